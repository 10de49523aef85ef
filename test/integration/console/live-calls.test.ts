// Calls in progress: the PostgreSQL CallEvents adapter adds a call on
// call.started, marks it on call.answered and removes it on call.ended, and
// GET /api/v1/live/calls lists them within each role's scope.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { LIVE_CALL_MAX_AGE_H } from '../../../src/calls/live.ts';
import { answeredEvent, startedEvent, type CallStart } from '../../../src/outbound/events.ts';
import { postgresCallEvents } from '../../../src/sip/adapters/postgres.ts';
import { testApi } from '../../support/app.ts';
import { consoleUser, login } from '../../support/console.ts';
import { finishedCall } from '../../support/export-calls.ts';

const start = (caller: string, startedAt = new Date()): CallStart => ({
  callId: randomUUID(),
  direction: 'inbound',
  caller,
  trackingNumber: '+380441234567',
  startedAt,
  attribution: { confidence: 'static', label: 'Billboard' },
});

t.test('the adapter adds a call when it starts, marks who answered, and removes it when it ends', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const events = postgresCallEvents(db, () => undefined);
  const rows = async () => (await db.query('SELECT call_id, caller, source, answered_by_employee_id, answered_at FROM live_calls ORDER BY started_at')).rows;
  const emp = await consoleUser(db, { email: 'ana@example.com', accessLevel: 'employee', salesRole: 'sales_rep' });

  const record = finishedCall({ caller: '+380501110001', startedAt: new Date(), talkS: 30, attribution: { confidence: 'static', label: 'Billboard' } });
  const c: CallStart = { ...start('+380501110001', record.startedAt), callId: record.id };
  await events.emit(startedEvent(c, new Date()));
  t.match(await rows(), [{ call_id: record.id, caller: '+380501110001', source: 'Billboard', answered_by_employee_id: null, answered_at: null }], 'added on call.started');
  t.equal((await db.query('SELECT count(*)::int AS n FROM webhook_deliveries')).rows[0].n, 0, 'with no subscriber, no delivery is queued');

  await events.emit(answeredEvent(c, new Date(), emp));
  t.match(await rows(), [{ call_id: record.id, answered_by_employee_id: String(emp) }], 'marked on call.answered');
  const listed = (await api.get('/api/v1/live/calls')).json();
  t.match(listed, { count: 1, items: [{ call_id: record.id, answered_by_employee_id: emp, tracking_number: '+380441234567' }] }, 'listed by the API');

  await events.finished(record);
  t.same(await rows(), [], 'removed on call.ended');
  t.same((await api.get('/api/v1/live/calls')).json(), { items: [], count: 0 });
});

t.test(`a call whose end was lost is swept away after ${LIVE_CALL_MAX_AGE_H} h`, async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const events = postgresCallEvents(db, () => undefined);
  const lost = start('+380501110001', new Date(Date.now() - (LIVE_CALL_MAX_AGE_H * 60 + 1) * 60_000));
  await events.emit(startedEvent(lost, new Date()));
  t.equal((await api.get('/api/v1/live/calls')).json().count, 0, 'a call past the bound is not listed');
  t.equal((await db.query('SELECT count(*)::int AS n FROM live_calls')).rows[0].n, 1, 'its row is still there until the next call');
  const fresh = start('+380501110002');
  await events.emit(startedEvent(fresh, new Date()));
  t.same((await db.query('SELECT call_id FROM live_calls')).rows, [{ call_id: fresh.callId }], 'the next call sweeps it away');
});

t.test("a sales rep sees only live calls with their own clients; a head at the analyst level sees every one", async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const rep = await consoleUser(db, { email: 'rep@example.com', accessLevel: 'employee', salesRole: 'sales_rep', hubspotOwnerId: 'owner-rep' });
  await consoleUser(db, { email: 'head@example.com', accessLevel: 'analyst', salesRole: 'head' });
  await db.query(`INSERT INTO crm_contacts (id, owner_id) VALUES ('c-rep', 'owner-rep'), ('c-other', 'owner-other')`);
  await db.query(`INSERT INTO crm_contact_phones (contact_id, property, raw, e164) VALUES ('c-rep', 'phone', '+380501110001', '+380501110001'), ('c-other', 'phone', '+380501110002', '+380501110002')`);
  const events = postgresCallEvents(db, () => undefined);
  const owned = start('+380501110001');
  const others = start('+380501110002');
  const answeredByRep = start('+380501110003');
  const stranger = start('+380501110004');
  for (const c of [owned, others, answeredByRep, stranger]) await events.emit(startedEvent(c, new Date()));
  await events.emit(answeredEvent(answeredByRep, new Date(), rep));

  const ids = (body: { items: Array<{ call_id: string }> }) => body.items.map((c) => c.call_id).sort();
  const repList = (await (await login(api.app, 'rep@example.com')).get('/api/v1/live/calls')).json();
  t.same(ids(repList), [owned.callId, answeredByRep.callId].sort(), 'the rep: their CRM contact, and the call they answered');
  const headList = (await (await login(api.app, 'head@example.com')).get('/api/v1/live/calls')).json();
  t.same(ids(headList), [owned.callId, others.callId, answeredByRep.callId, stranger.callId].sort(), 'the head: every call');
});

t.test('when the live table cannot be written, webhook deliveries are still queued first', async (t) => {
  const api = await testApi(t, { WEBHOOK_ALLOW_PRIVATE: 'true' });
  const db = api.db.pool;
  const created = await api.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', event_types: ['call.started', 'call.ended'] });
  t.equal(created.statusCode, 201, created.body);
  await db.query('ALTER TABLE live_calls RENAME TO live_calls_gone');
  t.teardown(() => db.query('ALTER TABLE live_calls_gone RENAME TO live_calls').then(() => undefined, () => undefined));
  const events = postgresCallEvents(db, () => undefined);
  const c = start('+380501110001');
  await t.rejects(events.emit(startedEvent(c, new Date())), /live_calls/, 'the failure is reported (the call path logs it)');
  const { rows } = await db.query('SELECT event_type FROM webhook_deliveries WHERE call_id = $1', [c.callId]);
  t.same(rows, [{ event_type: 'call.started' }], 'the delivery was queued');
});
