// Opens ringpath's database: the server in DATABASE_URL, or the embedded one.
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { migrate } from './migrate.ts';
import { createPool, type Pool } from './pool.ts';

export interface Database {
  readonly url: string;
  readonly pool: Pool;
  readonly embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(
  config: Config,
  logger: Logger,
  opts: { migrate?: boolean } = {},
): Promise<Database> {
  // Loaded only when used: the embedded server's package has import-time side effects.
  const embedded = config.databaseUrl
    ? undefined
    : await (await import('./embedded.ts')).startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPgPort,
        logger,
      });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    if (opts.migrate ?? true) await migrate(url, logger);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const pool = createPool(url, config.databasePoolSize, logger);
  let closed = false;
  return {
    url,
    pool,
    embedded: embedded !== undefined,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch((err: unknown) => logger.warn({ err }, 'closing the PostgreSQL pool failed'));
      await embedded?.stop();
    },
  };
}
