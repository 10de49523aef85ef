// The composition root: config in, a running ringpath out. Nothing else in
// ringpath wires adapters together or touches process-level concerns.
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { ensureFirstAdmin } from './auth/bootstrap.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { buildApp } from './http/app.ts';
import type { ReadinessCheck } from './http/routes/health.ts';
import type { Logger } from './logger.ts';
import { installSipApp } from './sip/app.ts';
import { Directory } from './sip/directory.ts';
import { sipLimits } from './sip/limits.ts';
import { directMedia } from './sip/media.ts';
import { sipMetrics } from './sip/metrics.ts';
import { connectDrachtio, type SipConnection } from './sip/srf.ts';
import { fixedSourceAttribution } from './tracking/attribution.ts';

export interface Ringpath {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly sip: SipConnection | undefined;
  /** The base URL the HTTP server listens on. */
  readonly url: string;
  close(): Promise<void>;
}

async function startSip(config: Config, db: Database, logger: Logger, registry: Registry): Promise<{ sip: SipConnection; directory: Directory }> {
  const directory = new Directory(db.pool);
  await directory.listen(db.url, logger);
  const sip = connectDrachtio(config.sip, logger);
  installSipApp({
    srf: sip.srf,
    pool: db.pool,
    config,
    logger: logger.child({ component: 'sip' }),
    directory,
    media: directMedia,
    attribution: fixedSourceAttribution,
    limits: sipLimits(db.pool, { authFailureLimit: config.sip.authFailureLimit, registerPerMinute: config.sip.registerRateLimit }),
    crmSync: false,
    metrics: sipMetrics(registry),
  });
  return { sip, directory };
}

export async function startRingpath(config: Config, logger: Logger): Promise<Ringpath> {
  const db = await openDatabase(config, logger);
  let app: FastifyInstance | undefined;
  let sip: SipConnection | undefined;
  let directory: Directory | undefined;
  try {
    await ensureFirstAdmin(db.pool, config, logger);
    const registry = new Registry();
    const readiness: ReadinessCheck[] = [];
    if (config.sip.drachtioHost) {
      ({ sip, directory } = await startSip(config, db, logger, registry));
      readiness.push({ name: 'sip', check: () => sip!.check() });
    } else {
      logger.info('DRACHTIO_HOST is not set: running without the SIP side');
    }
    app = await buildApp({ config, pool: db.pool, logger, registry, readiness });
    const url = await app.listen({ port: config.port, host: config.host });
    logger.info({ url, embeddedDatabase: db.embedded, sip: sip !== undefined }, 'ringpath is listening');
    const started = app;
    return {
      app: started,
      db,
      sip,
      url,
      async close() {
        sip?.close();
        await directory?.close();
        await started.close();
        await db.close();
      },
    };
  } catch (err) {
    sip?.close();
    await directory?.close();
    await app?.close().catch(() => undefined);
    await db.close();
    throw err;
  }
}
