// The database a benchmark runs on: a database of its own, migrated, on the
// embedded PostgreSQL (as ringpath runs by default) or on the server in
// DATABASE_URL; dropped again, with the embedded server, by close().
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import type { Logger } from '../../src/logger.ts';

export interface BenchDatabase {
  /** The benchmark's own, migrated database. */
  readonly url: string;
  /** A scratch folder removed by close(); the embedded server's data lives in it. */
  readonly tmp: string;
  /** The embedded server, when DATABASE_URL is not set. */
  readonly embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

export async function benchDatabase(name: string, logger: Logger): Promise<BenchDatabase> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), `ringpath-bench-${name}-`));
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: tmp, port: 0, logger, persistent: false });
    adminUrl = embedded.url;
    console.log(`PostgreSQL: embedded on port ${embedded.port}`);
  } else {
    console.log('PostgreSQL: DATABASE_URL');
  }
  const dbName = `bench_${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const close = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await embedded?.stop();
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    await migrate(url, logger);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, tmp, embedded, close };
}
