// Opens ringpath's database: the server in DATABASE_URL, the embedded one a
// running `ringpath serve` shares through DATA_DIR, or an embedded one of its own.
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { migrate } from './migrate.ts';
import { createPool, type Pool } from './pool.ts';
import { findSharedConnection, publishConnection } from './shared-connection.ts';

export interface Database {
  readonly url: string;
  readonly pool: Pool;
  /** True when this process started the embedded PostgreSQL (and stops it on close). */
  readonly embedded: boolean;
  close(): Promise<void>;
}

/** The embedded server's module; a clear error where it is not installed (the Docker image leaves it out). */
async function embeddedModule(): Promise<typeof import('./embedded.ts')> {
  try {
    return await import('./embedded.ts');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error('the embedded PostgreSQL is not installed here: set DATABASE_URL to a PostgreSQL server');
    }
    throw err;
  }
}

export async function openDatabase(
  config: Config,
  logger: Logger,
  opts: {
    migrate?: boolean;
    /** `ringpath serve`: share the embedded server it starts with other ringpath commands on the same DATA_DIR. */
    share?: boolean;
  } = {},
): Promise<Database> {
  const shared = config.databaseUrl ? undefined : await findSharedConnection(config.dataDir);
  if (shared) logger.debug({ pid: shared.pid }, 'using the embedded PostgreSQL of the running ringpath serve');
  // Loaded only when used: the embedded server's package has import-time side effects.
  const embedded =
    config.databaseUrl || shared
      ? undefined
      : await (await embeddedModule()).startEmbeddedPostgres({
          dataDir: config.dataDir,
          port: config.embeddedPgPort,
          logger,
        });
  const url = config.databaseUrl ?? shared?.url ?? embedded!.url;
  let unpublish: (() => Promise<void>) | undefined;
  try {
    if (opts.migrate ?? true) await migrate(url, logger);
    if (embedded && opts.share) unpublish = await publishConnection(config.dataDir, url);
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
      await unpublish?.().catch((err: unknown) => logger.warn({ err }, 'removing the shared connection file failed'));
      await pool.end().catch((err: unknown) => logger.warn({ err }, 'closing the PostgreSQL pool failed'));
      await embedded?.stop();
    },
  };
}
