// The CRM mirror's loop in a process of its own, for the tests of several
// ringpath processes sharing the mirror's work:
//   node --import tsx test/support/crm/mirror-process.ts
// Environment: DATABASE_URL, HUBSPOT_TOKEN, HUBSPOT_BASE_URL (and the other ringpath
// variables), MIRROR_POLL_MS. Prints "ready" once connected; starts the loop on the
// line "start" on stdin; stops it and exits when stdin ends or on SIGTERM.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../../src/config.ts';
import { createHubSpotGateway } from '../../../src/crm/hubspot/client.ts';
import { startCrmMirror, type CrmMirror } from '../../../src/crm/mirror/index.ts';
import { createPool } from '../../../src/db/pool.ts';
import { createLogger } from '../../../src/logger.ts';

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel, process.stderr);
if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
const pool = createPool(config.databaseUrl, 5, logger);
await pool.query('SELECT 1');
let mirror: CrmMirror | undefined;

let stopping: Promise<void> | undefined;
const stop = () =>
  (stopping ??= (async () => {
    await mirror?.stop();
    await pool.end();
    process.exit(0);
  })());

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() !== 'start' || mirror) return void process.stderr.write(`ignored: ${line}\n`);
  mirror = startCrmMirror({
    config,
    pool,
    logger,
    gateway: createHubSpotGateway(config.crm, pool, logger),
    options: { pollMs: Number(process.env.MIRROR_POLL_MS ?? 2_000) },
  });
  process.stdout.write('started\n');
});
input.on('close', () => void stop());
process.once('SIGTERM', () => void stop());
process.stdout.write(`ready ${process.pid}\n`);
