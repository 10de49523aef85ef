import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../../db/pool.ts';

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export async function healthRoutes(app: FastifyInstance, opts: { db: Queryable; checks?: readonly ReadinessCheck[] }) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks: ReadinessCheck[] = [
      { name: 'database', check: async () => void (await opts.db.query('SELECT 1')) },
      ...(opts.checks ?? []),
    ];
    const results: Record<string, string> = {};
    let ready = true;
    await Promise.all(
      checks.map(async (c) => {
        try {
          await c.check();
          results[c.name] = 'ok';
        } catch (err) {
          ready = false;
          results[c.name] = err instanceof Error ? err.message : String(err);
        }
      }),
    );
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: results });
  });
}
