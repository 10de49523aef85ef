// Transient HubSpot answers (SPEC §6): 423 Locked, 477 Migration in Progress with a
// Retry-After of hours, 5xx from HubSpot and its CDN, and 429 without Retry-After
// are retried or deferred; none of them dead-letters a call.
import t from 'tap';
import { makeWorkerUtils } from 'graphile-worker';
import { createHubSpotWriter } from '../../../src/crm/hubspot/writer.ts';
import { createHubSpotGateway } from '../../../src/crm/hubspot/client.ts';
import { crm, syncedCall } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';
import { silentLogger } from '../../support/db.ts';

const CALLS = 'POST /crm/v3/objects/calls';

t.test('423 Locked: retried no sooner than 2 s, then answered', async (t) => {
  const w = await crmWorld(t);
  const waits: number[] = [];
  const gateway = createHubSpotGateway(w.config.crm, w.pool, silentLogger, { sleep: async (ms) => void waits.push(ms) });
  w.emulator.control.faults.failNext(2, { status: 423, route: /^GET \/crm\/v3\/owners/ });
  const owners = await gateway.call('standard', 'list owners', (c) => c.crm.owners.ownersApi.getPage());
  t.ok(owners.results.length >= 3, 'the third try went through');
  t.equal(waits.length, 2, 'two waits');
  t.ok(waits.every((ms) => ms >= 2_000), `each wait at least 2 s: ${waits.join(', ')}`);
});

for (const status of [502, 503, 504, 524]) {
  t.test(`${status} on the engagement: retried, synced, nothing written twice`, async (t) => {
    const w = await crmWorld(t);
    await w.startWorker();
    // More failures than the gateway's own attempts: the job itself must be retried by the queue.
    w.emulator.control.faults.failNext(6, { status, route: CALLS, html: status === 524 });
    const id = await w.record({ client: '+380509991001', answeredBy: w.ana });
    t.same(await w.settled([id], 90_000), { [id]: 'synced' });
    t.same(crm(w.emulator).ofCall('calls', id).length, 1, 'one engagement');
    t.equal(w.emulator.control.requests.count((r) => r.status === status), 6, `HubSpot did answer ${status}`);
  });
}

t.test('477 with a Retry-After of two hours: the job is deferred to then, not dead-lettered', async (t) => {
  const w = await crmWorld(t);
  await w.startWorker();
  w.emulator.control.faults.failNext(1, { status: 477, retryAfterS: 7200, route: CALLS });
  const id = await w.record({ client: '+380509991002', answeredBy: w.ana });
  const job = async () =>
    (await w.pool.query<{ run_at: Date; attempts: number; last_error: string | null }>(`SELECT run_at, attempts, last_error FROM graphile_worker.jobs WHERE key = $1`, [id])).rows[0];
  let deferred: Awaited<ReturnType<typeof job>>;
  for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
    deferred = await job();
    if (deferred && deferred.run_at.getTime() > Date.now() + 3_600_000) break;
    if (Date.now() > deadline) throw new Error(`job not deferred: ${JSON.stringify(deferred)}`);
  }
  const delay = deferred.run_at.getTime() - Date.now();
  t.ok(delay > 7_100_000 && delay <= 7_200_000, `run_at about two hours ahead (${Math.round(delay / 1000)} s)`);
  t.equal(deferred.attempts, 0, 'the deferral used up no attempt');
  const waiting = await syncedCall(w.pool, id);
  t.equal(waiting.crm_sync_state, 'pending', 'the call waits');
  t.match(waiting, { ledger: { contact: /\d+/, deal: /\d+/ } }, 'what was written before is kept');
  t.same(crm(w.emulator).ofCall('calls', id).length, 0);

  // Two hours later (the queue's own reschedule, run_at = now):
  const utils = await makeWorkerUtils({ pgPool: w.pool });
  t.teardown(() => utils.release());
  const { rows } = await w.pool.query<{ id: string }>(`SELECT id FROM graphile_worker.jobs WHERE key = $1`, [id]);
  await utils.rescheduleJobs(rows.map((r) => r.id), { runAt: new Date() });
  t.same(await w.settled([id]), { [id]: 'synced' });
  const hs = crm(w.emulator);
  t.same([hs.ofCall('contacts', id).length, hs.ofCall('deals', id).length, hs.ofCall('calls', id).length], [1, 1, 1], 'nothing written twice');
});

t.test('429 without Retry-After: waited out, every call synced once', async (t) => {
  const w = await crmWorld(t, { env: { HUBSPOT_RATE_LIMIT: '1000', CRM_WORKER_CONCURRENCY: '4' } });
  await createHubSpotWriter(w.gateway()).ensureSchema();
  w.emulator.control.rateLimit.set({ perTenSeconds: 6, retryAfter: false });
  w.emulator.control.rateLimit.reset();
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(await w.record({ client: `+38050999200${i}`, answeredBy: w.ana }));
  await w.startWorker();
  t.same(Object.values(await w.settled(ids, 120_000)), Array(4).fill('synced'));
  const rejected = w.emulator.control.requests.list((r) => r.status === 429);
  t.ok(rejected.length >= 1, 'HubSpot did answer 429');
  const hs = crm(w.emulator);
  for (const id of ids) t.equal(hs.ofCall('calls', id).length, 1, `call ${id.slice(0, 8)}: one engagement`);
});
