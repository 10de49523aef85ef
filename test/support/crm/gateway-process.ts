// A HubSpot gateway in a process of its own, for the tests of the request budget
// every ringpath process shares:
//   node --import tsx test/support/crm/gateway-process.ts
// Environment: DATABASE_URL, HUBSPOT_TOKEN, HUBSPOT_BASE_URL, HUBSPOT_RATE_LIMIT,
// HUBSPOT_SEARCH_RATE_LIMIT. Prints "ready"; then, for each line "standard N" or
// "search N" on stdin, makes N calls at once through the gateway (standard: a page
// of deals; search: a deals search) and prints "done <kind> <ok> <failed>".
// Exits when stdin ends.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../../src/config.ts';
import { createHubSpotGateway } from '../../../src/crm/hubspot/client.ts';
import { createPool } from '../../../src/db/pool.ts';
import { createLogger } from '../../../src/logger.ts';

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel, process.stderr);
if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
const pool = createPool(config.databaseUrl, 5, logger);
const gateway = createHubSpotGateway(config.crm, pool, logger);

async function run(kind: 'standard' | 'search', n: number): Promise<void> {
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      kind === 'standard'
        ? gateway.call('standard', `deals page ${i}`, (c) => c.crm.deals.basicApi.getPage())
        : gateway.call('search', `deals search ${i}`, (c) => c.crm.deals.searchApi.doSearch({ filterGroups: [], limit: 1 })),
    ),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  for (const f of failed) process.stderr.write(`${String(f.reason)}\n`);
  process.stdout.write(`done ${kind} ${n - failed.length} ${failed.length}\n`);
}

const pending: Array<Promise<void>> = [];
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  const [kind, n] = line.trim().split(/\s+/);
  if ((kind === 'standard' || kind === 'search') && Number(n) > 0) pending.push(run(kind, Number(n)));
  else process.stderr.write(`unknown command: ${line}\n`);
});
input.on('close', () => {
  void Promise.allSettled(pending)
    .then(() => pool.end())
    .then(() => process.exit(0));
});
process.stdout.write(`ready ${process.pid}\n`);
