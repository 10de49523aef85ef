// Permanent failures (SPEC §6, "visible when it fails for good"): the call is
// dead-lettered with the reason, listed by GET /api/v1/calls?crm_sync_state=failed,
// and the retry action syncs it without repeating what was already written.
import t from 'tap';
import { crm, syncedCall } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

t.test('a 4xx on the engagement: dead letter in the API, then the retry action', async (t) => {
  const w = await crmWorld(t);
  const api = await w.api();
  await w.startWorker();
  w.emulator.control.faults.failNext(1, { status: 400, route: 'POST /crm/v3/objects/calls' });
  const id = await w.record({ client: '+380509990001', answeredBy: w.ana });
  t.same(await w.settled([id]), { [id]: 'failed' });

  const list = await api.get('/api/v1/calls?crm_sync_state=failed');
  t.equal(list.statusCode, 200, list.body);
  t.match(list.json(), { total: 1, items: [{ id, crm_sync_state: 'failed', crm_sync_error: /^call: .*400/ }] });
  t.equal((await api.get('/api/v1/calls?crm_sync_state=synced')).json().total, 0);
  const detail = await api.get(`/api/v1/calls/${id}`);
  t.equal(detail.statusCode, 200, detail.body);
  const sync = detail.json().crm_sync;
  t.match(sync, { state: 'failed', failed_write: 'call', failed_status: 400, matrix_rows: ['inbound_answered_new'], error: /400/ });
  t.ok(sync.failed_at, 'when it failed');
  t.same(sync.writes.map((x: { key: string; object_id: string | null }) => [x.key, x.object_id !== null]), [['contact', true], ['deal', true]], 'what was written before the failure');
  t.same(detail.json().routing_trace, []);

  const retry = await api.post(`/api/v1/calls/${id}/crm-sync/retry`);
  t.equal(retry.statusCode, 202, retry.body);
  t.same(retry.json(), { id, crm_sync_state: 'pending' });
  t.same(await w.settled([id]), { [id]: 'synced' });
  const hs = crm(w.emulator);
  t.same([hs.ofCall('contacts', id).length, hs.ofCall('deals', id).length, hs.ofCall('calls', id).length], [1, 1, 1], 'nothing written twice');
  const after = (await api.get(`/api/v1/calls/${id}`)).json().crm_sync;
  t.match(after, { state: 'synced', error: null, failed_write: null, manual_retries: 1 });
  t.equal((await api.get('/api/v1/calls?crm_sync_state=failed')).json().total, 0);

  t.equal((await api.post(`/api/v1/calls/${id}/crm-sync/retry`)).statusCode, 409, 'only a dead-lettered call can be retried');
  t.equal((await api.post('/api/v1/calls/00000000-0000-4000-8000-000000000000/crm-sync/retry')).statusCode, 404);
  t.equal((await api.get('/api/v1/calls/not-a-uuid')).statusCode, 400);
  t.equal((await api.get('/api/v1/calls?crm_sync_state=lost')).statusCode, 400);
});

t.test('an owner HubSpot no longer knows: dead letter naming it; fixed in HubSpot, retried', async (t) => {
  const w = await crmWorld(t);
  const api = await w.api();
  await w.startWorker();
  // The mirror still lists the owner; HubSpot has deactivated them.
  await w.pool.query(`INSERT INTO crm_owners (id, email, first_name) VALUES ('424242', 'gone@example.com', 'Gone')`);
  await w.pool.query(`UPDATE employees SET hubspot_owner_id = '424242' WHERE id = $1`, [w.ana.employeeId]);
  const id = await w.record({ client: '+380509990002', answeredBy: w.ana });
  t.same(await w.settled([id]), { [id]: 'failed' });
  const call = await syncedCall(w.pool, id);
  t.match(call.crm_sync_error, /^contact: .*400.*424242/, 'the reason names the write and the owner');
  t.equal(w.emulator.control.records('contacts').length, 0, 'nothing was written');

  w.emulator.control.addOwner({ id: '424242', email: 'gone@example.com', firstName: 'Back' });
  t.equal((await api.post(`/api/v1/calls/${id}/crm-sync/retry`)).statusCode, 202);
  t.same(await w.settled([id]), { [id]: 'synced' });
  t.equal(crm(w.emulator).props('contacts', (await syncedCall(w.pool, id)).crm_contact_id).hubspot_owner_id, '424242');
});
