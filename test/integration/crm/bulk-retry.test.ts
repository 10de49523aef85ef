// Bulk retry of dead-lettered calls: one bad token dead-letters every call; once it
// is fixed, one request queues them all again (or only those failed for one reason),
// and nothing already written is written twice.
import t from 'tap';
import { crm } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

t.test('POST /api/v1/calls/crm-sync/retry: all dead-lettered calls, or those matching a reason', async (t) => {
  const w = await crmWorld(t);
  const api = await w.api();
  await w.startWorker();
  const CALLS = 'POST /crm/v3/objects/calls';
  // A revoked token on the engagements of three calls, a refused value on a fourth.
  // One call at a time, so that no two engagements leave in one batch request.
  const revoked: string[] = [];
  for (let i = 0; i < 3; i++) {
    w.emulator.control.faults.failNext(1, { status: 401, route: CALLS });
    const id = await w.record({ client: `+38050999300${i}`, answeredBy: w.ana });
    t.same(await w.settled([id]), { [id]: 'failed' }, `call ${i + 1} dead-lettered by the revoked token`);
    revoked.push(id);
  }
  w.emulator.control.faults.failNext(1, { status: 400, route: CALLS });
  const refused = await w.record({ client: '+380509993009', answeredBy: w.ana });
  t.same(await w.settled([refused]), { [refused]: 'failed' });
  t.equal((await api.get('/api/v1/calls?crm_sync_state=failed')).json().total, 4);

  const none = await api.post('/api/v1/calls/crm-sync/retry', { reason_contains: 'no such reason' });
  t.equal(none.statusCode, 202, none.body);
  t.same(none.json(), { retried: 0, ids: [] });

  const byReason = await api.post('/api/v1/calls/crm-sync/retry', { reason_contains: 'invalid_authentication' });
  t.equal(byReason.statusCode, 202, byReason.body);
  t.same(byReason.json().retried, 3);
  t.same([...byReason.json().ids].sort(), [...revoked].sort(), 'the three calls the bad token failed, not the fourth');
  t.same(Object.values(await w.settled(revoked)), ['synced', 'synced', 'synced']);
  t.equal((await api.get('/api/v1/calls?crm_sync_state=failed')).json().total, 1, 'the refused call is still dead-lettered');

  const all = await api.post('/api/v1/calls/crm-sync/retry');
  t.equal(all.statusCode, 202, all.body);
  t.same(all.json(), { retried: 1, ids: [refused] });
  t.same(await w.settled([refused]), { [refused]: 'synced' });

  const hs = crm(w.emulator);
  for (const id of [...revoked, refused]) {
    t.same([hs.ofCall('contacts', id).length, hs.ofCall('deals', id).length, hs.ofCall('calls', id).length], [1, 1, 1], `call ${id.slice(0, 8)}: written once`);
  }
  const { rows } = await w.pool.query<{ manual_retries: number }>('SELECT manual_retries FROM crm_sync_outcomes WHERE call_id = ANY($1::uuid[])', [[...revoked, refused]]);
  t.same(rows.map((r) => r.manual_retries), [1, 1, 1, 1], 'each retry is on record');

  const bad = await api.post('/api/v1/calls/crm-sync/retry', { reason_contains: '' });
  t.equal(bad.statusCode, 400, 'an empty reason is refused');
  t.match(bad.json(), { detail: /reason_contains/ });
  t.equal((await api.post('/api/v1/calls/crm-sync/retry', { reason: 'x' })).statusCode, 400, 'an unknown field is refused');
});
