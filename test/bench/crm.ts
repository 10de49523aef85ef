// CRM sync benchmark: `npm run bench:crm [-- --calls N]` (or BENCH_CRM_CALLS=N).
//
// CDRs are stored with recordCall() at 100 calls per minute, mixing every row of the
// post-call table, while the real worker (concurrency from CRM_WORKER_CONCURRENCY,
// default 4) syncs them through the real gateway to the HubSpot emulator, limited to
// 100 requests per 10 s and 4 searches per second (HUBSPOT_RATE_LIMIT = 100), with a
// random search indexing lag (1 to 5 s). The table's rows alone are measured: the
// optional completed task for every answered call (on by default) is switched off,
// as it adds one request to each answered call.
// Then a second run near the limit: calls arrive so that their requests come to about
// 90 per 10 s (BENCH_CRM_NEAR_LIMIT_S seconds of them, default 30).
// PostgreSQL: DATABASE_URL, or an embedded one in a temporary directory.
//
// Requests per call are what the executor charges each call (crm_sync_outcomes.requests;
// a batch of n counts 1/n each); counted_requests is their sum over both runs, and
// emulator_requests the objects/associations requests in the emulator's own request log.
// Sync lag: from the CDR's insert to the sync's commit (both PostgreSQL's clock).
// The last line printed is one JSON object:
//   {"requests_per_call_new", "requests_per_call_existing", "sync_lag_p50_ms", "sync_lag_p95_ms", "failed_jobs",
//    "emulator_requests", "counted_requests", "near_limit_lag_p95_ms", "near_limit_failed_jobs"}
// Targets: new ≤ 3, existing ≤ 1, emulator_requests = counted_requests, p95 < 5000 ms, 0 failed, at the limit too.
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { createHubSpotGateway } from '../../src/crm/hubspot/client.ts';
import { replaceOwners } from '../../src/crm/mirror/catalog.ts';
import { writeContacts, writeDeals } from '../../src/crm/mirror/store.ts';
import { createPool } from '../../src/db/pool.ts';
import { recordCall } from '../../src/db/repositories/calls.ts';
import { settingsRepository } from '../../src/db/repositories/settings.ts';
import { startCrmWorker } from '../../src/jobs/crm-worker.ts';
import { createLogger } from '../../src/logger.ts';
import { startHubSpotEmulator } from '../support/hubspot-emulator/index.ts';
import { cdr, recordingLink, type CallSpec, type Person } from '../support/crm/world.ts';
import { picker, prng } from '../support/prng.ts';
import { benchDatabase } from './database.ts';

const argIndex = process.argv.indexOf('--calls');
const CALLS = Number(argIndex > 0 ? process.argv[argIndex + 1] : (process.env.BENCH_CRM_CALLS ?? 150));
const PER_MINUTE = 100;
const EXISTING_CLIENTS = 200;
const DRAIN_MS = 60_000;
const NEAR_LIMIT_S = Number(process.env.BENCH_CRM_NEAR_LIMIT_S ?? 30);
if (!Number.isInteger(CALLS) || CALLS < 1) throw new Error('--calls must be a positive integer');

const random = prng(20260621);
const pick = picker(random);

const logger = createLogger('silent');
const database = await benchDatabase('crm', logger);
const pool = createPool(database.url, 20, logger);

const emulator = await startHubSpotEmulator({
  token: `pat-bench-${randomBytes(6).toString('hex')}`,
  rateLimit: { perTenSeconds: 100, searchPerSecond: 4 },
  searchLagMs: 1_000,
  searchLagMaxMs: 5_000,
});
const config = loadConfig({
  HUBSPOT_TOKEN: emulator.token,
  HUBSPOT_BASE_URL: emulator.url,
  HUBSPOT_RATE_LIMIT: '100',
  HUBSPOT_SEARCH_RATE_LIMIT: '4',
  CRM_WORKER_CONCURRENCY: process.env.CRM_WORKER_CONCURRENCY ?? '4',
  DEFAULT_COUNTRY: 'UA',
  LOG_LEVEL: 'silent',
});

// ---- the world: six sales reps, a senior manager, clients HubSpot and the mirror know ----
const staff: Person[] = [];
for (let i = 0; i < 7; i++) {
  const owner = emulator.control.addOwner({ email: `rep${i}@example.com`, firstName: `Rep${i}`, lastName: 'Bench' });
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO employees (email, full_name, hubspot_owner_id, is_senior_manager) VALUES ($1, $2, $3, $4) RETURNING id`,
    [owner.email, `Rep${i} Bench`, owner.id, i === 6],
  );
  staff.push({ employeeId: rows[0]!.id, ownerId: owner.id, name: `Rep${i} Bench` });
}
const reps = staff.slice(0, 6);
await replaceOwners(pool, emulator.control.owners().map((o) => ({ id: o.id, email: o.email ?? null, firstName: o.firstName ?? null, lastName: o.lastName ?? null, archived: false })));
await settingsRepository.save(pool, { crm_outbound_create_for_new_client: true, crm_completed_task_for_answered_calls: false });

const existing: Array<{ phone: string; owner: Person }> = [];
for (let i = 0; i < EXISTING_CLIENTS; i++) {
  const phone = `+38050${String(3_000_000 + i)}`;
  const owner = pick(reps);
  const contact = emulator.control.seed('contacts', { phone, firstname: `Client ${i}`, hubspot_owner_id: owner.ownerId });
  const deal = emulator.control.seed('deals', { dealname: `Deal ${i}`, pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: owner.ownerId }, {
    associations: [{ toType: 'contacts', toId: contact.id }],
  });
  const at = new Date();
  await writeContacts(pool, [{ id: contact.id, lastModifiedAt: at, ownerId: owner.ownerId, firstName: `Client ${i}`, lastName: null, email: null, phones: [{ property: 'phone', raw: phone, e164: phone, problem: null }], phoneScope: null }]);
  await writeDeals(pool, [{ id: deal.id, lastModifiedAt: at, name: `Deal ${i}`, ownerId: owner.ownerId, pipelineId: 'default', stageId: 'qualifiedtobuy', closedInCrm: false, contactIds: [contact.id] }]);
  existing.push({ phone, owner });
}

// ---- the mix: every row of the post-call table ----
let fresh = 0;
const newNumber = () => `+38067${String(1_000_000 + fresh++)}`;
const other = (p: Person) => pick(reps.filter((r) => r !== p));
// [weight, label, the matrix row it must land in, the call]
const MIX: Array<[weight: number, label: string, row: string, spec: () => CallSpec]> = [
  [20, 'inbound_answered_new', 'inbound_answered_new', () => ({ client: newNumber(), answeredBy: pick(reps) })],
  [20, 'inbound_answered_responsible', 'inbound_answered_responsible', () => { const c = pick(existing); return { client: c.phone, answeredBy: c.owner }; }],
  [10, 'inbound_answered_colleague', 'inbound_answered_colleague', () => { const c = pick(existing); return { client: c.phone, answeredBy: other(c.owner) }; }],
  [10, 'inbound_missed_new', 'inbound_missed_new', () => ({ client: newNumber(), disposition: 'missed' })],
  [10, 'inbound_missed_existing', 'inbound_missed_existing', () => ({ client: pick(existing).phone, disposition: 'missed' })],
  [10, 'outbound_existing', 'outbound_existing', () => ({ direction: 'outbound', client: pick(existing).phone, placedBy: pick(reps) })],
  [8, 'outbound_new', 'outbound_new', () => ({ direction: 'outbound', client: newNumber(), placedBy: pick(reps) })],
  [4, 'outbound_unknown_skipped', 'outbound_unknown_skipped', () => ({ direction: 'outbound', client: newNumber(), placedBy: pick(reps), disposition: 'missed' })],
  [4, 'inbound_answered_new_unknown_employee', 'inbound_answered_new', () => ({ client: newNumber(), answeredBy: { destination: '+380671112233' } })],
  [4, 'anonymous', 'anonymous', () => ({ client: null, answeredBy: pick(reps) })],
];
const totalWeight = MIX.reduce((n, [w]) => n + w, 0);
function nextCall(): { label: string; expected: string; spec: CallSpec } {
  let r = random() * totalWeight;
  for (const [w, label, expected, spec] of MIX) if ((r -= w) < 0) return { label, expected, spec: spec() };
  const [, label, expected, spec] = MIX[0]!;
  return { label, expected, spec: spec() };
}

// ---- the runs ----
interface Sent { id: string; label: string; expected: string }
const isObjectRequest = (r: { path: string }) => r.path.startsWith('/crm/v3/objects/') || r.path.startsWith('/crm/v4/');

/** Stores `count` calls at `perMinute`, then waits until none is pending (or DRAIN_MS passed). */
async function runCalls(count: number, perMinute: number): Promise<Sent[]> {
  const sent: Sent[] = [];
  const began = Date.now();
  for (let i = 0; i < count; i++) {
    const due = began + (i * 60_000) / perMinute;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const { label, expected, spec } = nextCall();
    const id = randomUUID();
    await recordCall(pool, cdr(id, spec), { crmSync: true });
    sent.push({ id, label, expected });
  }
  const drainDeadline = Date.now() + DRAIN_MS;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM calls WHERE id = ANY($1::uuid[]) AND crm_sync_state = 'pending'`, [sent.map((x) => x.id)]);
    if (rows[0]?.n === 0 || Date.now() > drainDeadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return sent;
}

interface Row { id: string; state: string; rows: string[] | null; requests: number | null; failures: number | null; lag_ms: number | null }
async function outcomes(sent: readonly Sent[]): Promise<Row[]> {
  const { rows } = await pool.query<Row>(
    `SELECT c.id, c.crm_sync_state AS state, o.matrix_rows AS rows, o.requests, o.failures,
            (extract(epoch FROM o.synced_at - c.created_at) * 1000)::float AS lag_ms
       FROM calls c LEFT JOIN crm_sync_outcomes o ON o.call_id = c.id WHERE c.id = ANY($1::uuid[])`,
    [sent.map((x) => x.id)],
  );
  return rows;
}
const lagsOf = (rows: readonly Row[]) => rows.filter((r) => r.state === 'synced' && r.lag_ms !== null).map((r) => r.lag_ms!).sort((a, b) => a - b);
const quantile = (xs: readonly number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
const failedOf = (rows: readonly Row[]) => rows.reduce((n, r) => n + (r.failures ?? 0) + (r.state === 'synced' ? 0 : 1), 0);
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number, d = 2) => Number(x.toFixed(d));
/** The most requests the emulator received in any rolling 10 s. */
function peakPerTenSeconds(times: readonly number[]): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! <= times[i]! - 10_000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

const worker = await startCrmWorker({ config, pool, logger, gateway: createHubSpotGateway(config.crm, pool, logger), recordingLink });
const mainBegan = Date.now();
const sent = await runCalls(CALLS, PER_MINUTE);
const generatedS = (Date.now() - mainBegan) / 1000;
const rows = await outcomes(sent);
const mainLog = emulator.control.requests.list().filter(isObjectRequest);

// Near the limit: calls at the pace that makes about 90 requests per 10 s.
const perCall = mainLog.length / CALLS;
const nearPerMinute = Math.max(1, Math.round((90 / perCall) * 6));
const nearCalls = Math.max(1, Math.round((nearPerMinute * NEAR_LIMIT_S) / 60));
const nearBegan = Date.now();
const nearSent = await runCalls(nearCalls, nearPerMinute);
const nearRows = await outcomes(nearSent);
await worker.stop();
const nearTimes = emulator.control.requests.list().filter((r) => r.at >= nearBegan).map((r) => r.at).sort((a, b) => a - b);

// ---- figures ----
const byLabel = new Map<string, number[]>();
for (const x of sent) byLabel.set(x.label, [...(byLabel.get(x.label) ?? []), rows.find((r) => r.id === x.id)?.requests ?? 0]);
const lags = lagsOf(rows);
const nearLags = lagsOf(nearRows);
const failedJobs = failedOf(rows);
const nearFailed = failedOf(nearRows);
const unexpected = sent.filter((x) => !rows.find((r) => r.id === x.id)?.rows?.includes(x.expected)).length;
const log = emulator.control.requests.list();
const objectRequests = log.filter(isObjectRequest).length;
const counted = Math.round([...rows, ...nearRows].reduce((n, r) => n + (r.requests ?? 0), 0));

console.log(`CRM sync: ${CALLS} calls generated in ${generatedS.toFixed(1)} s (${PER_MINUTE}/min), worker concurrency ${config.crm.workerConcurrency}`);
console.log(`HubSpot emulator: 100 requests / 10 s, 4 searches / s, search lag 1-5 s; ${EXISTING_CLIENTS} existing clients in HubSpot and the mirror`);
console.log('post-call table rows only (the completed task for every answered call is off in this run)');
console.log('requests per call, by row of the post-call table:');
for (const [key, xs] of [...byLabel.entries()].sort()) console.log(`  ${key.padEnd(38)} ${String(xs.length).padStart(4)} calls  ${mean(xs).toFixed(2)} requests/call`);
console.log(`requests: ${objectRequests} to objects/associations in the emulator's log (charged to calls: ${counted}), ${log.length - objectRequests} one-off (properties, pipelines)`);
console.log(`429 answers: ${log.filter((r) => r.status === 429).length}; batch requests: ${log.filter((r) => r.path.endsWith('/batch/create')).length}`);
console.log(`sync lag ms: p50 ${quantile(lags, 0.5).toFixed(0)}  p95 ${quantile(lags, 0.95).toFixed(0)}  max ${(lags.at(-1) ?? 0).toFixed(0)}`);
console.log(`synced ${rows.filter((r) => r.state === 'synced').length}/${CALLS}; failed attempts or calls ${failedJobs}; calls not in their expected row ${unexpected}`);
console.log(
  `near the limit: ${nearCalls} calls at ${nearPerMinute}/min (${perCall.toFixed(2)} requests a call); peak ${peakPerTenSeconds(nearTimes)} requests in 10 s; ` +
    `lag p50 ${quantile(nearLags, 0.5).toFixed(0)} p95 ${quantile(nearLags, 0.95).toFixed(0)} ms; synced ${nearRows.filter((r) => r.state === 'synced').length}/${nearCalls}; failed ${nearFailed}`,
);
const result = {
  requests_per_call_new: round(mean(byLabel.get('inbound_answered_new') ?? [])),
  requests_per_call_existing: round(mean(byLabel.get('inbound_answered_responsible') ?? [])),
  sync_lag_p50_ms: Math.round(quantile(lags, 0.5)),
  sync_lag_p95_ms: Math.round(quantile(lags, 0.95)),
  failed_jobs: failedJobs,
  emulator_requests: objectRequests,
  counted_requests: counted,
  near_limit_lag_p95_ms: Math.round(quantile(nearLags, 0.95)),
  near_limit_failed_jobs: nearFailed,
};
const met =
  result.requests_per_call_new <= 3 && result.requests_per_call_existing <= 1 && result.emulator_requests === result.counted_requests &&
  result.sync_lag_p95_ms < 5_000 && failedJobs === 0 && nearFailed === 0;
console.log(`targets (new ≤ 3, existing ≤ 1, emulator = counted, p95 < 5000 ms, 0 failed, at the limit too): ${met ? 'met' : 'NOT met'}`);

await pool.end();
await emulator.close();
await database.close();
console.log(JSON.stringify(result));
