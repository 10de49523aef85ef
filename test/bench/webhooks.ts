// Webhook delivery benchmark: `npm run bench:webhooks [-- --calls N]` (default 300).
//
// The production path: calls' events go through the PostgreSQL CallEvents adapter
// (one delivery row and job per subscribed endpoint), and the real outbound worker
// (graphile-worker, OUTBOUND_WORKER_CONCURRENCY, default 4) signs and POSTs them to
// a receiver on 127.0.0.1 that verifies every signature with standardwebhooks.
// 20 calls at a time each announce call.started, call.answered and call.ended, to
// two endpoints; one in ten deliveries to the second endpoint first gets a 503,
// so retries (moved to now, as the 30 s backoff would only slow the run) and the
// order behind them are part of the run.
// PostgreSQL: DATABASE_URL, or an embedded one in a temporary directory.
// The last line printed is one JSON object:
//   {"calls", "deliveries", "deliveries_per_s", "latency_p50_ms", "latency_p99_ms", "retries", "order_violations", "unverified", "undelivered"}
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/db/pool.ts';
import { startOutboundWorker } from '../../src/jobs/outbound-worker.ts';
import { createLogger } from '../../src/logger.ts';
import { answeredEvent, startedEvent, type CallStart } from '../../src/outbound/events.ts';
import { webhookStore } from '../../src/outbound/webhook-store.ts';
import { buildCallRecord, noAttribution } from '../../src/calls/record.ts';
import { Recogniser } from '../../src/calls/recognise.ts';
import { postgresCallEvents } from '../../src/sip/adapters/postgres.ts';
import { startReceiver } from '../support/webhook-receiver.ts';
import { benchDatabase } from './database.ts';

const argIndex = process.argv.indexOf('--calls');
const CALLS = Number(argIndex > 0 ? process.argv[argIndex + 1] : (process.env.BENCH_WEBHOOK_CALLS ?? 300));
if (!Number.isInteger(CALLS) || CALLS < 1 || CALLS > 100_000) throw new Error('--calls must be an integer from 1 to 100000');
const PARALLEL = 20;
const DRAIN_MS = 120_000;

const logger = createLogger('warn');
const db = await benchDatabase('webhooks', logger);
const pool = createPool(db.url, 16, logger);
const config = loadConfig({ LOG_LEVEL: 'warn', WEBHOOK_ALLOW_PRIVATE: 'true' });
const a = await startReceiver();
const b = await startReceiver();
const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
a.secret = secret;
b.secret = secret;
const types = ['call.started', 'call.answered', 'call.ended'];
await webhookStore.create(pool, { url: a.url, eventTypes: types, secret, description: 'bench a' });
await webhookStore.create(pool, { url: b.url, eventTypes: types, secret, description: 'bench b' });
// one in ten of b's requests fails once
b.script = Array.from({ length: CALLS * 3 }, (_, i) => (i % 10 === 5 ? 503 : 204));

const worker = await startOutboundWorker({ config, pool, logger, pollIntervalMs: 200 });
const events = postgresCallEvents(pool, () => undefined);

const started = performance.now();
let next = 0;
async function caller(): Promise<void> {
  while (next < CALLS) {
    next++;
    const c: CallStart = { callId: randomUUID(), direction: 'inbound', caller: '+380501234567', trackingNumber: '+380441234567', startedAt: new Date(), attribution: noAttribution() };
    await events.emit(startedEvent(c, new Date()));
    await events.emit(answeredEvent(c, new Date(), null));
    const ended = new Date();
    // stored as outbound here: the call is never stored, so no GA4 export job should be queued for it
    await events.finished(
      buildCallRecord(
        {
          id: c.callId, sipCallId: null, direction: 'outbound', caller: { kind: 'none' }, callerRaw: null, callee: { kind: 'none' },
          trackingNumber: null, attribution: c.attribution, trace: [], callerHungUp: false, startedAt: c.startedAt, endedAt: ended,
          recordingPath: null, answered: { destination: { type: 'phone', number: '+380671110001' }, at: c.startedAt },
        },
        new Recogniser([]),
      ),
    );
  }
}
await Promise.all(Array.from({ length: PARALLEL }, caller));
const enqueuedS = (performance.now() - started) / 1000;

const expected = CALLS * 3 * 2;
const deadline = Date.now() + DRAIN_MS;
let retries = 0;
for (;;) {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE state = 'delivered'`);
  if ((rows[0]?.n ?? 0) >= expected || Date.now() > deadline) break;
  // retries wait 30 s by the schedule; the benchmark moves them to now
  const moved = await pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE run_at > now()
       AND task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'webhook_deliver')`);
  retries += moved.rowCount ?? 0;
  await new Promise((r) => setTimeout(r, 100));
}
const drainedS = (performance.now() - started) / 1000;
await worker.stop();

const { rows: lat } = await pool.query<{ ms: number }>(
  `SELECT extract(epoch FROM (delivered_at - created_at)) * 1000 AS ms FROM webhook_deliveries WHERE state = 'delivered' ORDER BY 1`,
);
const q = (p: number) => (lat.length ? Number(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.ms) : NaN);
const { rows: undeliveredRows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE state <> 'delivered'`);
let orderViolations = 0;
for (const r of [a, b]) {
  const byCall = new Map<string, string[]>();
  for (const x of r.received) if (x.answered !== 503) byCall.set(x.callId, [...(byCall.get(x.callId) ?? []), x.type]);
  for (const seq of byCall.values()) if (seq.join() !== types.join()) orderViolations++;
}
const unverified = [...a.received, ...b.received].filter((x) => !x.verified).length;
await a.close();
await b.close();
await pool.end();
await db.close();

const result = {
  calls: CALLS,
  deliveries: expected,
  deliveries_per_s: Math.round(lat.length / drainedS),
  latency_p50_ms: Math.round(q(0.5)),
  latency_p99_ms: Math.round(q(0.99)),
  retries,
  order_violations: orderViolations,
  unverified,
  undelivered: undeliveredRows[0]?.n ?? 0,
};
console.log(`webhooks: ${CALLS} calls × 3 events × 2 endpoints = ${expected} deliveries; events queued in ${enqueuedS.toFixed(1)} s by ${PARALLEL} callers`);
console.log(`delivered ${lat.length} in ${drainedS.toFixed(1)} s: ${result.deliveries_per_s}/s; event to delivery p50 ${result.latency_p50_ms} ms, p99 ${result.latency_p99_ms} ms`);
console.log(`retries moved to now: ${retries}; order violations: ${orderViolations}; unverified signatures: ${unverified}; undelivered: ${result.undelivered}`);
console.log(JSON.stringify(result));
