// The composition root: config in, a running ringpath out. Nothing else in
// ringpath wires adapters together or touches process-level concerns.
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { ensureFirstAdmin } from './auth/bootstrap.ts';
import { warmCallPath } from './calls/warm.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { ensureSecret } from './db/repositories/secrets.ts';
import { buildApp } from './http/app.ts';
import type { ReadinessCheck } from './http/routes/health.ts';
import type { Logger } from './logger.ts';
import { recordingTokens, recordingTokenUrl } from './recordings/tokens.ts';
import { recordingLinks, type RecordingLinks } from './recordings/sign.ts';
import { postgresCallEvents, postgresCallPorts } from './sip/adapters/postgres.ts';
import { startOutboundWorker } from './jobs/outbound-worker.ts';
import { installSipApp } from './sip/app.ts';
import { outboundCallRatePostgres } from './sip/dial-rate.ts';
import { nonces } from './sip/digest.ts';
import { Directory } from './sip/directory.ts';
import { sipLimits } from './sip/limits.ts';
import type { SipMetrics } from './sip/deps.ts';
import { directMedia, type Media } from './sip/media.ts';
import { sipMetrics } from './sip/metrics.ts';
import { rtpengineMedia } from './sip/rtpengine.ts';
import { connectDrachtio, type SipConnection } from './sip/srf.ts';
import { postgresAttribution } from './dni/attribution-port.ts';
import { createHubSpotGateway } from './crm/hubspot/client.ts';
import { startCrmMirror } from './crm/mirror/index.ts';
import { startCrmWorker } from './jobs/crm-worker.ts';
import { startHoldSweeper } from './dni/sweeper.ts';

export interface Ringpath {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly sip: SipConnection | undefined;
  /** The base URL the HTTP server listens on. */
  readonly url: string;
  /** Signed links to recordings, as /recordings checks them. */
  readonly recordingLinks: RecordingLinks;
  close(): Promise<void>;
}

/** rtpengine (media anchoring and recording) when RTPENGINE_NG is set; else SDP passes straight between the legs. */
function mediaFor(config: Config, logger: Logger, metrics: SipMetrics): Media {
  const ng = config.sip.rtpengineNg;
  if (!ng) return directMedia;
  return rtpengineMedia({
    ng,
    recordingsDir: config.sip.recordingsDir,
    // rtpengine-recording's output-dir when rtpengine records with recording-method=proc (sip/rtpengine.conf)
    daemonOutputDir: config.sip.rtpengineRecordingDir,
    logger: logger.child({ component: 'sip' }),
    onUnavailable: () => metrics.mediaUnavailable(),
  });
}

async function startSip(
  config: Config,
  db: Database,
  logger: Logger,
  registry: Registry,
  links: RecordingLinks,
): Promise<{ sip: SipConnection; directory: Directory }> {
  const directory = new Directory(db.pool);
  await directory.listen(db.url, logger);
  // warm before the first call can arrive, and so before /readyz says ready
  logger.info(await warmCallPath(db.pool, directory), 'call path warmed: directory cached, connections open, statements prepared');
  const sip = connectDrachtio(config.sip, logger);
  const metrics = sipMetrics(registry);
  installSipApp({
    srf: sip.srf,
    config,
    logger: logger.child({ component: 'sip' }),
    ...postgresCallPorts(db.pool, directory, { crmSync: config.crm.hubspotToken !== undefined, lookupBudgetMs: config.sip.lookupBudgetMs }),
    media: mediaFor(config, logger, metrics),
    attribution: postgresAttribution(db.pool, logger),
    nonces: nonces(await ensureSecret(db.pool, 'sip-digest-nonces')),
    limits: sipLimits(db.pool, { authFailureLimit: config.sip.authFailureLimit, registerPerMinute: config.sip.registerRateLimit }),
    dialRate: outboundCallRatePostgres(db.pool),
    metrics,
    events: postgresCallEvents(db.pool, (recordingPath) => links.link({ recordingPath })),
  });
  return { sip, directory };
}

/** The CRM side when HUBSPOT_TOKEN is set: the mirror kept current, and the post-call worker. */
async function startCrm(config: Config, db: Database, logger: Logger): Promise<() => Promise<void>> {
  const gateway = createHubSpotGateway(config.crm, db.pool, logger);
  const mirror = startCrmMirror({ config, pool: db.pool, logger, gateway });
  // HubSpot keeps the URL for good: a stable, revocable token rather than a link that expires.
  const recordingLink = async (c: { id: string; recordingPath: string }) => {
    const token = await recordingTokens.forCall(db.pool, c);
    return token === undefined ? undefined : recordingTokenUrl(config.publicUrl, token);
  };
  const worker = await startCrmWorker({ config, pool: db.pool, logger, gateway, recordingLink });
  return async () => {
    await worker.stop();
    await mirror.stop();
  };
}

export async function startRingpath(config: Config, logger: Logger): Promise<Ringpath> {
  const db = await openDatabase(config, logger, { share: true });
  // what has started, stopped in reverse order on close or on a failed start
  const stops: Array<() => Promise<void> | void> = [() => db.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch((err: unknown) => logger.warn({ err }, 'shutdown step failed'));
  };
  try {
    await ensureFirstAdmin(db.pool, config, logger);
    const registry = new Registry();
    const readiness: ReadinessCheck[] = [];
    const links = recordingLinks({
      publicUrl: config.publicUrl,
      secret: config.sip.recordingUrlSecret ?? (await ensureSecret(db.pool, 'recording-links')),
      ttlS: config.sip.recordingUrlTtlS,
    });
    let sip: SipConnection | undefined;
    if (config.sip.drachtioHost) {
      const started = await startSip(config, db, logger, registry, links);
      sip = started.sip;
      stops.push(() => started.directory.close(), () => started.sip.close());
      readiness.push({ name: 'sip', check: () => started.sip.check() });
    } else {
      logger.info('DRACHTIO_HOST is not set: running without the SIP side');
    }
    if (config.crm.hubspotToken) stops.push(await startCrm(config, db, logger));
    else logger.info('HUBSPOT_TOKEN is not set: CRM sync is off; calls are still tracked and routed');
    const outbound = await startOutboundWorker({ config, pool: db.pool, logger });
    stops.push(() => outbound.stop());
    const sweeper = startHoldSweeper({ pool: db.pool, logger, intervalS: config.dni.sweepIntervalS });
    stops.push(() => sweeper.stop());
    const app = await buildApp({ config, pool: db.pool, logger, registry, readiness, recordingLinks: links });
    stops.push(() => app.close());
    const url = await app.listen({ port: config.port, host: config.host });
    logger.info({ url, embeddedDatabase: db.embedded, sip: sip !== undefined, crm: config.crm.hubspotToken !== undefined }, 'ringpath is listening');
    return { app, db, sip, url, recordingLinks: links, close: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
