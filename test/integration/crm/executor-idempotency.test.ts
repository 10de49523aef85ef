// Idempotency (SPEC §6 "Never write twice"): re-running a job, resuming after a
// crash between a request and its ledger entry, two calls of one new number at
// once, a contact that appears in the mirror meanwhile; and batching where calls
// queue up.
import t from 'tap';
import { batchingWriter } from '../../../src/crm/executor/batcher.ts';
import { ledgerRepository } from '../../../src/crm/executor/ledger.ts';
import { mirrorRecorder } from '../../../src/crm/executor/mirror-record.ts';
import { runWrites, type SyncedRecords, type WriteRun } from '../../../src/crm/executor/run-writes.ts';
import { enqueue } from '../../../src/crm/executor/sync-state.ts';
import { createHubSpotWriter } from '../../../src/crm/hubspot/writer.ts';
import type { CrmWrite } from '../../../src/crm/types.ts';
import { silentLogger } from '../../support/db.ts';
import { crm, syncedCall } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

// The rows of the post-call table alone: the completed task for every answered call (on by
// default) is tested in executor-defaults.test.ts.
const TABLE_ONLY = { crm_completed_task_for_answered_calls: false };

const searches = (w: { emulator: { control: { requests: { count(f: RegExp): number } } } }) => w.emulator.control.requests.count(/\/search$/);

t.test('re-running a job writes nothing twice', async (t) => {
  const w = await crmWorld(t);
  await w.settings(TABLE_ONLY);
  const worker = await w.startWorker();
  const id = await w.record({ client: '+380504440001', answeredBy: w.ana, disposition: 'missed' });
  await w.settled([id]);
  const first = await syncedCall(w.pool, id);
  const records = () => ['contacts', 'deals', 'calls', 'tasks'].map((type) => w.emulator.control.records(type).length);
  const counts = records();
  const before = w.objectRequests();

  t.equal(await worker.executor.sync(id, { attempts: 1, maxAttempts: 25 }), 'skipped', 'a synced call is not synced again');
  await w.pool.query(`UPDATE calls SET crm_sync_state = 'pending' WHERE id = $1`, [id]);
  await enqueue(w.pool, id);
  await w.settled([id]);
  const again = await syncedCall(w.pool, id);
  t.equal(again.crm_sync_state, 'synced');
  t.equal(w.objectRequests(), before, 'the re-run made no request: every write is in the ledger');
  t.same(records(), counts, 'nothing new in HubSpot');
  t.same(again.ledger, first.ledger);
  t.same([again.crm_contact_id, again.crm_deal_id, again.crm_call_id], [first.crm_contact_id, first.crm_deal_id, first.crm_call_id]);
});

t.test('a crash after HubSpot wrote but before the ledger did: the record is found again, not written twice', async (t) => {
  const w = await crmWorld(t);
  await w.settings(TABLE_ONLY);
  await w.startWorker();
  const id = await w.record({ client: '+380504440002', answeredBy: w.ana });
  await w.settled([id]);
  const first = await syncedCall(w.pool, id);
  // As if the process died after HubSpot answered the deal and the call engagement, before recording them.
  await w.pool.query(`UPDATE crm_sync_ledger SET object_id = NULL, written_at = NULL, started_at = now() - interval '1 minute' WHERE call_id = $1 AND key IN ('deal', 'call')`, [id]);
  await w.pool.query(`UPDATE calls SET crm_sync_state = 'pending' WHERE id = $1`, [id]);
  const searchesBefore = searches(w);
  const creates = w.emulator.control.requests.count(/^POST \/crm\/v3\/objects\/\w+(\/batch\/create)?$/);
  await enqueue(w.pool, id);
  await w.settled([id]);
  const again = await syncedCall(w.pool, id);
  t.equal(again.crm_sync_state, 'synced');
  t.same(again.ledger, first.ledger, 'the same records, found by ringpath_call_id and write key');
  t.same(again.matrix_rows, ['inbound_answered_new'], 'the same plan: the contact and deal are known as this call’s own');
  t.equal(searches(w) - searchesBefore, 2, 'one search per write in doubt');
  t.equal(w.emulator.control.requests.count(/^POST \/crm\/v3\/objects\/\w+(\/batch\/create)?$/), creates, 'nothing created');
  t.equal(crm(w.emulator).ofCall('deals', id).length, 1);
  t.equal(crm(w.emulator).ofCall('calls', id).length, 1);
});

t.test('a write in flight that never reached HubSpot is made once, after the search index has had time', async (t) => {
  const w = await crmWorld(t);
  await w.settings(TABLE_ONLY);
  const id = await w.record({ client: '+380504440003', answeredBy: w.ana });
  await w.pool.query(`INSERT INTO crm_sync_ledger (call_id, key, kind, object_type) VALUES ($1, 'contact', 'upsertContact', 'contact')`, [id]);
  await w.startWorker({ settleMs: 500 });
  await w.settled([id]);
  const call = await syncedCall(w.pool, id);
  t.equal(call.crm_sync_state, 'synced');
  t.equal(crm(w.emulator).ofCall('contacts', id).length, 1, 'one contact');
  t.ok(searches(w) >= 1, 'looked for it first');
  t.ok(call.ledger.contact);
});

t.test('two calls from one new number synced at once: one contact, one deal', async (t) => {
  const w = await crmWorld(t);
  await w.settings(TABLE_ONLY);
  const first = await w.record({ client: '+380504440004', answeredBy: w.ana });
  const second = await w.record({ client: '+380504440004', answeredBy: w.boris });
  await w.startWorker();
  const states = await w.settled([first, second]);
  t.same(Object.values(states), ['synced', 'synced']);
  const hs = crm(w.emulator);
  const contacts = w.emulator.control.records('contacts').filter((c) => c.properties.phone === '+380504440004');
  t.equal(contacts.length, 1, 'one contact for the number');
  t.equal(w.emulator.control.records('deals').length, 1, 'one deal');
  const rows = [await syncedCall(w.pool, first), await syncedCall(w.pool, second)];
  t.same(rows.map((r) => r.crm_contact_id), [contacts[0]!.id, contacts[0]!.id], 'both calls are on it');
  t.same(rows.flatMap((r) => r.matrix_rows).sort(), ['inbound_answered_colleague', 'inbound_answered_new'], 'the second call found the first one’s client');
  t.equal(hs.ofCall('calls', first).length + hs.ofCall('calls', second).length, 2);
});

t.test('a contact that reached the mirror after the plan was made is used, not created again', async (t) => {
  const w = await crmWorld(t);
  await w.settings(TABLE_ONLY);
  const phone = '+380504440005';
  const id = await w.record({ client: phone, answeredBy: w.ana });
  // The plan (made when the mirror had nothing) says "create the contact"; the mirror's sync has brought one in since.
  const known = await w.existingClient(phone, w.boris, { deal: false });
  const plan: CrmWrite[] = [{ kind: 'upsertContact', key: 'contact', callId: id, phoneE164: phone, properties: { phone }, ownerId: w.ana.ownerId }];
  const port = createHubSpotWriter(w.gateway());
  const db = await w.pool.connect();
  t.teardown(() => db.release());
  const ledger = await ledgerRepository.load(db, id);
  const run: WriteRun = { db, callId: id, ledger, writer: batchingWriter(port), port, mirror: mirrorRecorder, settleMs: 0, maxSearchLagMs: 0, spend: () => undefined, log: silentLogger, recovered: new Map() };
  const into: SyncedRecords = { contactId: null, dealId: null, engagementId: null };
  const before = w.objectRequests();
  await runWrites(run, plan, into, () => undefined);
  t.equal(into.contactId, known.contactId, 'the contact the mirror has');
  t.equal(w.objectRequests(), before, 'no request');
  t.match(ledger.get('contact'), { objectId: known.contactId, reused: true }, 'the ledger says it was reused');
});

t.test('engagements of calls that queue up leave in batches', async (t) => {
  const w = await crmWorld(t, { env: { CRM_WORKER_CONCURRENCY: '6' } });
  await w.settings(TABLE_ONLY);
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const phone = `+38050555000${i}`;
    await w.existingClient(phone, w.boris);
    ids.push(await w.record({ client: phone, answeredBy: w.boris }));
  }
  // HubSpot is slow to create calls: the engagements that arrive meanwhile wait and leave together.
  w.emulator.control.faults.latency(400, 'POST /crm/v3/objects/calls');
  await w.startWorker();
  await w.settled(ids);
  const singles = w.emulator.control.requests.count('POST /crm/v3/objects/calls');
  const batches = w.emulator.control.requests.count('POST /crm/v3/objects/calls/batch/create');
  t.ok(singles + batches < 6, `6 engagements in ${singles} single and ${batches} batch request(s)`);
  t.ok(batches >= 1, 'the batch endpoint was used');
  const hs = crm(w.emulator);
  for (const id of ids) {
    const call = await syncedCall(w.pool, id);
    t.equal(hs.ofCall('calls', id).length, 1, `call ${id.slice(0, 8)}: one engagement`);
    t.same(hs.links('calls', call.crm_call_id!, 'contacts'), [call.crm_contact_id], 'on its own client');
  }
  const { rows } = await w.pool.query<{ total: number }>('SELECT sum(requests)::float AS total FROM crm_sync_outcomes WHERE call_id = ANY($1::uuid[])', [ids]);
  t.equal(Math.round(rows[0]!.total * 1000) / 1000, singles + batches, 'each call is charged its share of the requests');
});
