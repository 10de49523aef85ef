// Per-test databases on the run's PostgreSQL (see test/run.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { createLogger } from '../../src/logger.ts';

export const silentLogger = createLogger('silent');

function adminUrl(): string {
  const url = process.env.RINGPATH_TEST_ADMIN_URL;
  if (!url) throw new Error('run the tests with `npm test` (test/run.ts provides the database)');
  return url;
}

export function databaseUrl(db: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: Pool;
}

/** A database of the test's own, dropped when the test ends. `empty` skips the migrated template. */
export async function testDatabase(t: Test, opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const template = process.env.RINGPATH_TEST_TEMPLATE;
  await admin((c) => c.query(opts.empty || !template ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(name);
  const pool = createPool(url, 5, silentLogger);
  t.teardown(async () => {
    await pool.end().catch(() => undefined);
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
  });
  return { name, url, pool };
}
