// A ringpath process that plans real calls (round-robin turns taken and saved)
// and prints who had each call's first new-client turn: one side of the
// "two processes" round-robin test. Usage:
//   node --import tsx test/support/plan-calls.ts DATABASE_URL TRACKING_NUMBER CALLS
// It prints "ready" once connected, waits for a line on stdin, then plans CALLS
// calls at once and prints {"firsts":[…],"saved":[…]} as JSON.
import { createInterface } from 'node:readline';
import { databaseSources, planInboundCall } from '../../src/calls/plan.ts';
import { createPool } from '../../src/db/pool.ts';
import { resolveTrackingNumber } from '../../src/db/repositories/directory.ts';
import { roundRobinPort } from '../../src/db/repositories/round-robin.ts';
import { createLogger } from '../../src/logger.ts';

const [url, trackingNumber, calls] = process.argv.slice(2);
const pool = createPool(url!, 5, createLogger('silent'));
const tn = await resolveTrackingNumber(pool, trackingNumber!);
if (!tn) throw new Error(`${trackingNumber} is not a tracking number`);
const deps = { pool, sources: databaseSources(pool), lookupBudgetMs: 1_000, roundRobin: roundRobinPort(pool) };
await pool.query('SELECT 1');
console.log('ready');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
process.stdin.destroy();
const planned = await Promise.all(
  Array.from({ length: Number(calls) }, (_, i) =>
    planInboundCall(deps, { trackingNumber: tn, caller: `+38063${String(process.pid % 1000).padStart(3, '0')}${String(i).padStart(4, '0')}`, at: new Date() }, 'advance'),
  ),
);
console.log(
  JSON.stringify({
    firsts: planned.map((p) => p.plan.attempts.find((a) => a.stepType === 'new_client_distribution')?.targets[0]?.employeeId ?? null),
    saved: planned.map((p) => p.rotationSaved),
  }),
);
await pool.end();
