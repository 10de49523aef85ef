import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMigrations as runQueueMigrations } from 'graphile-worker';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { workerLogger } from '../jobs/logger.ts';
import type { Logger } from '../logger.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Apply every pending SQL migration in migrations/. node-pg-migrate holds a
 * PostgreSQL advisory lock for the whole run, so processes starting together
 * on one database wait for each other instead of racing.
 */
export async function migrate(databaseUrl: string, logger: Logger): Promise<string[]> {
  const log = logger.child({ component: 'migrate' });
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    checkOrder: true,
    logger: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
  });
  await migrateJobQueue(databaseUrl, logger);
  const names = applied.map((m) => m.name);
  log.info({ applied: names }, names.length ? `applied ${names.length} migration(s)` : 'database schema is up to date');
  return names;
}

/**
 * The job queue's own schema (graphile_worker), installed and upgraded by
 * graphile-worker. Its migrations take no lock, so ringpath holds one.
 */
async function migrateJobQueue(databaseUrl: string, logger: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('ringpath:job-queue-migrations'))`);
    await runQueueMigrations({ connectionString: databaseUrl, logger: workerLogger(logger) });
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('ringpath:job-queue-migrations'))`).catch(() => undefined);
    await client.end();
  }
}
