// The composition root: config in, a running ringpath out. Nothing else in
// ringpath wires adapters together or touches process-level concerns.
import type { FastifyInstance } from 'fastify';
import { ensureFirstAdmin } from './auth/bootstrap.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { buildApp } from './http/app.ts';
import type { Logger } from './logger.ts';

export interface Ringpath {
  readonly app: FastifyInstance;
  readonly db: Database;
  /** The base URL the HTTP server listens on. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startRingpath(config: Config, logger: Logger): Promise<Ringpath> {
  const db = await openDatabase(config, logger);
  let app: FastifyInstance | undefined;
  try {
    await ensureFirstAdmin(db.pool, config, logger);
    app = await buildApp({ config, pool: db.pool, logger });
    const url = await app.listen({ port: config.port, host: config.host });
    logger.info({ url, embeddedDatabase: db.embedded }, 'ringpath is listening');
    const started = app;
    return {
      app: started,
      db,
      url,
      async close() {
        await started.close();
        await db.close();
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await db.close();
    throw err;
  }
}
