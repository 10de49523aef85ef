// GET /api/v1/reports: calls by source over time, answered and missed per
// employee, and how long missed callers waited for a call back (SPEC §8).
// Pool utilisation is the pool report (GET /api/v1/sites/{id}/pool-report).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callbackStats, callsBySourceSeries, type SourceDayRow } from '../../../console/reports.ts';
import { loadSettings } from '../../../db/repositories/settings.ts';
import { AppError } from '../../../errors.ts';
import type { AppDeps } from '../../app.ts';
import { errorResponses } from '../../schemas/common.ts';

const ReportsQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'default: 30 days before `to`' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
  },
  { additionalProperties: false },
);
const MAX_DAYS = 366;

const Reports = Type.Object({
  from: Type.String({ format: 'date-time', description: 'the start of the range reported on (included)' }),
  to: Type.String({ format: 'date-time', description: 'the end of the range reported on (left out)' }),
  time_zone: Type.String({ description: 'the time zone of the days, from the settings, e.g. Europe/Berlin' }),
  by_source: Type.Object(
    {
      sources: Type.Array(Type.String(), { description: 'the busiest six, then "other"' }),
      days: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])), { description: '{ day, <source>: calls, … }' }),
    },
    { description: 'inbound calls per day and source' },
  ),
  by_employee: Type.Array(
    Type.Object({
      employee_id: Type.Integer({ description: "the employee's id" }),
      name: Type.String({ description: "the employee's full name" }),
      answered: Type.Integer({ description: 'inbound calls they answered' }),
      missed: Type.Integer({ description: 'inbound calls of their clients nobody answered' }),
      answered_rate: Type.Union([Type.Number(), Type.Null()], { description: 'answered / (answered + missed), from 0 to 1; null when both are 0' }),
    }),
    { description: 'each employee who answered or missed an inbound call in the range, by name' },
  ),
  callbacks: Type.Object(
    {
      called_back: Type.Integer({ description: 'missed inbound calls whose caller was called back' }),
      not_called_back: Type.Integer({ description: 'missed inbound calls whose caller was not called back (yet)' }),
      median_minutes: Type.Union([Type.Number(), Type.Null()], { description: 'the median wait for a call back, in minutes; null when nobody was called back' }),
      p90_minutes: Type.Union([Type.Number(), Type.Null()], { description: 'nine in ten called back callers waited this many minutes or less; null when nobody was called back' }),
      buckets: Type.Array(
        Type.Object({
          label: Type.String({ description: 'the wait: 15m (up to 15 minutes), 1h, 4h, 24h (up to a day), or later' }),
          calls: Type.Integer({ description: 'the called back calls whose wait falls in it' }),
        }),
        { description: 'the called back calls by how long the caller waited, shortest waits first' },
      ),
    },
    { description: 'how long callers whose inbound call was missed waited for a call back (an outbound call to their number)' },
  ),
});

export async function reportRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool } = opts.deps;
  app.get(
    '/',
    {
      schema: {
        tags: ['reports'],
        summary: 'Calls by source per day, answered and missed per employee, call-back times',
        description: `Inbound calls started in [from, to), at most ${MAX_DAYS} days; days in the time_zone setting.`,
        querystring: ReportsQuery,
        response: { 200: Reports, ...errorResponses },
      },
    },
    async (req) => {
      const to = req.query.to ? new Date(req.query.to) : new Date();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * 86400_000);
      if (from >= to) throw AppError.field('VALIDATION_FAILED', '/from', 'must be before to');
      if (to.getTime() - from.getTime() > MAX_DAYS * 86400_000) throw AppError.field('VALIDATION_FAILED', '/from', `the range may span at most ${MAX_DAYS} days`);
      const { time_zone: tz } = await loadSettings(pool);
      const range = [from, to];
      const [bySource, byEmployee, callbacks] = await Promise.all([
        pool.query<SourceDayRow>(
          `SELECT to_char(c.started_at AT TIME ZONE $3, 'YYYY-MM-DD') AS day, coalesce(c.attribution ->> 'label', 'unattributed') AS source, count(*)::int AS calls
             FROM calls c WHERE c.direction = 'inbound' AND NOT c.is_test AND c.started_at >= $1 AND c.started_at < $2 GROUP BY 1, 2`,
          [...range, tz],
        ),
        pool.query<{ employee_id: string; name: string; answered: number; missed: number }>(
          `SELECT e.id AS employee_id, e.full_name AS name,
                  count(*) FILTER (WHERE c.answered_by_employee_id = e.id AND c.disposition = 'answered')::int AS answered,
                  count(*) FILTER (WHERE c.responsible_employee_id = e.id AND c.disposition <> 'answered')::int AS missed
             FROM employees e
             JOIN calls c ON (c.answered_by_employee_id = e.id OR c.responsible_employee_id = e.id)
                         AND c.direction = 'inbound' AND NOT c.is_test AND c.started_at >= $1 AND c.started_at < $2
            GROUP BY e.id ORDER BY lower(e.full_name), e.id`,
          range,
        ),
        pool.query<{ delay: number | null }>(
          `SELECT extract(epoch FROM (SELECT min(o.started_at) FROM calls o
                                       WHERE o.direction = 'outbound' AND NOT o.is_test AND o.callee = c.caller AND o.started_at > c.started_at) - c.started_at) / 60 AS delay
             FROM calls c
            WHERE c.direction = 'inbound' AND NOT c.is_test AND c.disposition <> 'answered' AND c.caller IS NOT NULL AND c.started_at >= $1 AND c.started_at < $2`,
          range,
        ),
      ]);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        time_zone: tz,
        by_source: callsBySourceSeries(bySource.rows),
        by_employee: byEmployee.rows.map((r) => {
          const total = r.answered + r.missed;
          return { employee_id: Number(r.employee_id), name: r.name, answered: r.answered, missed: r.missed, answered_rate: total ? r.answered / total : null };
        }),
        callbacks: callbackStats(callbacks.rows.map((r) => (r.delay === null ? null : Math.round(Number(r.delay) * 10) / 10))),
      };
    },
  );
}
