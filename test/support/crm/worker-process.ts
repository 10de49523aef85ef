// A CRM sync worker as a process of its own, for the kill -9 tests:
//   node --import tsx test/support/crm/worker-process.ts
// Environment: DATABASE_URL, HUBSPOT_TOKEN, HUBSPOT_BASE_URL (and the other ringpath
// variables), CRM_SETTLE_MS. Prints "ready" once the worker runs; SIGTERM stops it.
import { loadConfig } from '../../../src/config.ts';
import { createHubSpotGateway } from '../../../src/crm/hubspot/client.ts';
import { createPool } from '../../../src/db/pool.ts';
import { startCrmWorker } from '../../../src/jobs/crm-worker.ts';
import { createLogger } from '../../../src/logger.ts';
import { recordingLink } from './world.ts';

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel, process.stderr);
if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
const pool = createPool(config.databaseUrl, 10, logger);
const worker = await startCrmWorker({
  config,
  pool,
  logger,
  gateway: createHubSpotGateway(config.crm, pool, logger),
  recordingLink,
  options: { pollIntervalMs: 200, settleMs: Number(process.env.CRM_SETTLE_MS ?? 1_000), maxSearchLagMs: Number(process.env.CRM_MAX_SEARCH_LAG_MS ?? 1_000), livenessIntervalMs: 500 },
});
process.stdout.write(`ready ${process.pid}\n`);
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
