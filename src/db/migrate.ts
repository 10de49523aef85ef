import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
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
  const names = applied.map((m) => m.name);
  log.info({ applied: names }, names.length ? `applied ${names.length} migration(s)` : 'database schema is up to date');
  return names;
}
