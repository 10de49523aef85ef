// GET /api/v1/sites/{id}/pool-report (SPEC §4): a site's pool utilisation, exhaustion
// and recommended size over a range (src/dni/pool-report.ts). The per-site gauges in
// /metrics are registered here too (src/dni/pool-metrics.ts).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AT_FORMAT, parseAt } from '../../../util/time.ts';
import { poolReport } from '../../../dni/pool-report.ts';
import { registerPoolMetrics } from '../../../dni/pool-metrics.ts';
import { AppError } from '../../../errors.ts';
import type { AppDeps } from '../../app.ts';
import { IdParams, errorResponses } from '../../schemas/common.ts';
import { PoolReportQuery, PoolReportSchema } from '../../schemas/pool-report.ts';

const DAY_MS = 86_400_000;

function instant(text: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (text === undefined) return undefined;
  const at = parseAt(text);
  if (!at) throw AppError.field('VALIDATION_FAILED', `/${field}`, `must be ${AT_FORMAT} (got ${JSON.stringify(text)})`);
  return at;
}

export async function poolReportRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, logger } = opts.deps;
  registerPoolMetrics(app.metrics, pool, logger);

  app.get(
    '/:id/pool-report',
    {
      schema: {
        tags: ['sites'],
        summary: "A site's pool utilisation, exhaustion events and recommended pool size",
        description:
          'Holds in use per minute against the pool size, runs above 75% for 15 minutes or more, pool_exhausted events, the busiest hour ' +
          "(arrival rate λ, mean hold W) and the smallest pool with P(Poisson(λ·W) > N) ≤ 1%. The range is at most 31 days.",
        params: IdParams,
        querystring: PoolReportQuery,
        response: { 200: PoolReportSchema, ...errorResponses },
      },
    },
    async (req) => {
      const to = instant(req.query.to, 'to') ?? new Date();
      const from = instant(req.query.from, 'from') ?? new Date(to.getTime() - DAY_MS);
      return poolReport(pool, req.params.id, from, to);
    },
  );
}
