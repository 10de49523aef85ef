// Which CRM workers are alive, across processes. graphile-worker releases a job
// whose worker died without a word (kill -9, a lost machine) only after 4 hours.
// Each worker process here holds a session advisory lock for its lifetime and
// registers its graphile-worker ids under it; a lock that can be taken means the
// process is gone, and its jobs are unlocked at once for another worker to resume
// (the CRM ledger makes the resumed sync write nothing twice).
//
// A job locked by a worker id nobody registered (the process died in the moment
// between locking a job and registering) is unlocked after a grace period.
import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from '../db/pool.ts';
import { componentLogger, type Logger } from '../logger.ts';

export interface Liveness {
  /** Records a graphile-worker id as this process's (before it does any work). */
  register(workerId: string): Promise<void>;
  /** Unlocks the jobs of dead workers now; answers how many workers it found dead. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export interface LivenessOptions {
  /** The task whose jobs are swept. */
  readonly task: string;
  /** Between sweeps (default 10 s). */
  readonly intervalMs?: number;
  /** How long a job may stay locked by an unregistered worker id (default 2 min). */
  readonly unregisteredGraceMs?: number;
}

async function withClient<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}

export async function startLiveness(pool: Pool, logger: Logger, opts: LivenessOptions): Promise<Liveness> {
  const log = componentLogger(logger, 'worker-liveness');
  const lockKey = randomBytes(8).readBigInt64BE().toString();
  const holder = await pool.connect();
  holder.on('error', (err) => log.error({ err }, 'the liveness connection failed; other processes may take over this process’s jobs'));
  await holder.query('SELECT pg_advisory_lock($1::bigint)', [lockKey]);
  const registered = new Set<string>();

  async function unlock(c: PoolClient, workerIds: readonly string[], why: string): Promise<void> {
    if (workerIds.length === 0) return;
    await c.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [workerIds]);
    await c.query('DELETE FROM crm_worker_instances WHERE worker_id = ANY($1::text[])', [workerIds]);
    log.warn({ workerIds }, `unlocked the jobs of ${why} workers`);
  }

  async function sweep(): Promise<number> {
    return withClient(pool, async (c) => {
      let dead = 0;
      const { rows } = await c.query<{ lock_key: string; workers: string[] }>(
        `SELECT lock_key::text, array_agg(worker_id) AS workers FROM crm_worker_instances WHERE lock_key <> $1::bigint GROUP BY lock_key`,
        [lockKey],
      );
      for (const r of rows) {
        const { rows: got } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [r.lock_key]);
        if (got[0]?.ok !== true) continue; // its process is alive
        await c.query('SELECT pg_advisory_unlock($1::bigint)', [r.lock_key]);
        await unlock(c, r.workers, 'dead');
        dead += r.workers.length;
      }
      const { rows: orphans } = await c.query<{ locked_by: string }>(
        `SELECT DISTINCT j.locked_by FROM graphile_worker.jobs j
          WHERE j.task_identifier = $1 AND j.locked_by IS NOT NULL AND j.locked_at < now() - ($2::int * interval '1 millisecond')
            AND NOT EXISTS (SELECT 1 FROM crm_worker_instances w WHERE w.worker_id = j.locked_by)`,
        [opts.task, opts.unregisteredGraceMs ?? 120_000],
      );
      const unregistered = orphans.map((o) => o.locked_by).filter((id) => !registered.has(id));
      await unlock(c, unregistered, 'unregistered');
      return dead + unregistered.length;
    });
  }

  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = sweep().catch((err: unknown) => log.warn({ err }, 'sweeping dead workers failed'));
  }, opts.intervalMs ?? 10_000);
  timer.unref();

  return {
    async register(workerId) {
      if (registered.has(workerId)) return;
      await pool.query(
        `INSERT INTO crm_worker_instances (worker_id, lock_key) VALUES ($1, $2::bigint)
         ON CONFLICT (worker_id) DO UPDATE SET lock_key = EXCLUDED.lock_key`,
        [workerId, lockKey],
      );
      registered.add(workerId);
    },
    sweep,
    async stop() {
      clearInterval(timer);
      await sweeping;
      await pool.query('DELETE FROM crm_worker_instances WHERE lock_key = $1::bigint', [lockKey]).catch(() => undefined);
      await holder.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]).catch(() => undefined);
      holder.release();
    },
  };
}
