// Running the outbound jobs (webhooks, GA4) in tests: graphile-worker's runOnce
// runs every job that is due, and makeJobsDue moves retries scheduled for later
// to now, so no test waits for a real backoff.
import { runOnce } from 'graphile-worker';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Pool } from '../../src/db/pool.ts';
import { outboundTasks } from '../../src/jobs/outbound-worker.ts';
import { silentLogger } from './db.ts';
import { workerLogger } from '../../src/jobs/logger.ts';

export function outboundConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1000', ...env });
}

/** Run every due outbound job once (and the jobs they schedule for now). */
export async function runDueJobs(pool: Pool, config: Config, opts: { now?: () => Date; random?: () => number } = {}): Promise<void> {
  await runOnce({ pgPool: pool, taskList: outboundTasks({ config, pool, logger: silentLogger, ...opts }), logger: workerLogger(silentLogger), noHandleSignals: true });
}

/** Jobs waiting for a later run_at become due now; returns how many there were. */
export async function makeJobsDue(pool: Pool): Promise<number> {
  const { rowCount } = await pool.query('UPDATE graphile_worker._private_jobs SET run_at = now() WHERE run_at > now()');
  return rowCount ?? 0;
}

export async function pendingJobs(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs');
  return rows[0]?.n ?? 0;
}
