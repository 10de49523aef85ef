// The live view: missed-call notifications for the signed-in employee over
// server-sent events, snoozed for 15 minutes or an hour, dismissed, and a
// head's "notify me of every missed call".
import http from 'node:http';
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { consoleUser, login, storeCall } from '../../support/console.ts';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

t.test('each employee is told of their own clients\' missed calls that nobody called back; a head may ask for every one', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const rep = await consoleUser(db, { email: 'rep@example.com', accessLevel: 'employee', salesRole: 'sales_rep' });
  const head = await consoleUser(db, { email: 'head@example.com', accessLevel: 'employee', salesRole: 'head' });
  const mine = await storeCall(db, { caller: '+380501110001', disposition: 'missed', responsibleEmployeeId: rep, startedAt: minutesAgo(5) });
  await storeCall(db, { caller: '+380501110002', disposition: 'answered', responsibleEmployeeId: rep, startedAt: minutesAgo(5) });
  await storeCall(db, { caller: '+380501110003', disposition: 'missed', responsibleEmployeeId: rep, startedAt: minutesAgo(60 * 30) });
  const calledBack = await storeCall(db, { caller: '+380501110004', disposition: 'missed', responsibleEmployeeId: rep, startedAt: minutesAgo(20) });
  await db.query(
    `INSERT INTO calls (id, direction, caller, callee, started_at, ended_at, disposition, crm_sync_state)
     VALUES (gen_random_uuid(), 'outbound', NULL, '+380501110004', now() - interval '10 minutes', now() - interval '9 minutes', 'answered', 'not_required')`,
  );
  const nobodys = await storeCall(db, { caller: '+380501110005', disposition: 'missed', startedAt: minutesAgo(3) });

  const repSession = await login(api.app, 'rep@example.com');
  const list = await repSession.get('/api/v1/live/notifications');
  t.equal(list.statusCode, 200);
  t.same(list.json().items.map((n: { call_id: string }) => n.call_id), [mine], 'only the recent missed call of their client that nobody called back');
  t.notOk(list.json().items.some((n: { call_id: string }) => n.call_id === calledBack), 'a call that was called back is not offered');

  const headSession = await login(api.app, 'head@example.com');
  t.equal((await headSession.get('/api/v1/live/notifications')).json().count, 0, 'a head without the setting gets their own only');
  t.equal((await headSession.send('PATCH', '/api/v1/live/preferences', { notify_every_missed_call: true })).statusCode, 200);
  t.same(
    (await headSession.get('/api/v1/live/notifications')).json().items.map((n: { call_id: string }) => n.call_id),
    [nobodys, mine],
    'with the setting on: every missed call, newest first',
  );
  const refused = await repSession.send('PATCH', '/api/v1/live/preferences', { notify_every_missed_call: true });
  t.equal(refused.statusCode, 403, 'a sales rep may not ask for every missed call');
  t.equal((await db.query('SELECT notify_every_missed_call FROM employees WHERE id = $1', [rep])).rows[0].notify_every_missed_call, false);
  t.equal(head > 0, true);
});

t.test('snoozing hides a notification until the time runs out; dismissing hides it for good; bad input is refused', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const rep = await consoleUser(db, { email: 'rep@example.com', accessLevel: 'employee', salesRole: 'sales_rep' });
  const a = await storeCall(db, { caller: '+380501110001', disposition: 'missed', responsibleEmployeeId: rep, startedAt: minutesAgo(5) });
  const b = await storeCall(db, { caller: '+380501110002', disposition: 'missed', responsibleEmployeeId: rep, startedAt: minutesAgo(4) });
  const s = await login(api.app, 'rep@example.com');
  t.equal((await s.get('/api/v1/live/notifications')).json().count, 2, 'two notifications: a count of two');

  for (const minutes of [5, 30, '15']) {
    const bad = await s.send('POST', '/api/v1/live/snooze', { call_id: a, minutes });
    t.equal(bad.statusCode, 400, `snooze for ${JSON.stringify(minutes)} is refused`);
  }
  t.equal((await s.send('POST', '/api/v1/live/snooze', { call_id: '00000000-0000-4000-8000-000000000000', minutes: 15 })).statusCode, 422, 'an unknown call');

  t.equal((await s.send('POST', '/api/v1/live/snooze', { call_id: a, minutes: 15 })).statusCode, 204);
  const { rows } = await db.query<{ s: number }>(
    `SELECT extract(epoch FROM hidden_until - now())::int AS s FROM console_notification_state WHERE call_id = $1 AND employee_id = $2`,
    [a, rep],
  );
  t.ok(rows[0]!.s > 14 * 60 && rows[0]!.s <= 15 * 60, `hidden for 15 minutes (${rows[0]!.s} s)`);
  t.same((await s.get('/api/v1/live/notifications')).json().items.map((n: { call_id: string }) => n.call_id), [b], 'snoozed: hidden');

  t.equal((await s.send('POST', '/api/v1/live/snooze', { call_id: b, minutes: 60 })).statusCode, 204);
  t.equal((await s.get('/api/v1/live/notifications')).json().count, 0);
  // the 15 minutes run out
  await db.query(`UPDATE console_notification_state SET hidden_until = now() - interval '1 second' WHERE call_id = $1`, [a]);
  t.match((await s.get('/api/v1/live/notifications')).json().items, [{ call_id: a, reminded: true }], 'back, marked as a reminder');

  t.equal((await s.send('POST', '/api/v1/live/dismiss', { call_id: a })).statusCode, 204);
  t.equal((await s.get('/api/v1/live/notifications')).json().count, 0, 'dismissed');
  t.equal((await api.post('/api/v1/live/dismiss', { call_id: a })).statusCode, 403, 'an API key has no notifications');
});

t.test('the event stream sends the list at once and again when a missed call arrives', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const rep = await consoleUser(db, { email: 'rep@example.com', accessLevel: 'employee', salesRole: 'sales_rep' });
  const s = await login(api.app, 'rep@example.com');
  const url = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const events: Array<{ count: number }> = [];
  let buffer = '';
  const req = http.get(`${url}/api/v1/live/events`, { headers: { cookie: s.cookie } });
  const response = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /text\/event-stream/);
  const waitFor = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (events.length >= n ? resolve() : undefined);
      response.on('data', check);
      check();
    });
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const data = /^event: notifications\ndata: (.*)$/m.exec(block);
      if (data) events.push(JSON.parse(data[1]!));
    }
  });
  await waitFor(1);
  t.equal(events[0]!.count, 0, 'the list at once: empty');
  await storeCall(db, { caller: '+380501110001', disposition: 'missed', responsibleEmployeeId: rep, startedAt: new Date() });
  await waitFor(2);
  t.equal(events[1]!.count, 1, 'a missed call arrives on the stream');
  const ended = new Promise<void>((resolve) => response.on('end', () => resolve()));
  t.equal((await s.send('POST', '/api/v1/auth/logout')).statusCode, 204);
  await ended;
  t.pass('logging out ends the stream');
  req.destroy();
  const anon = await api.app.inject({ method: 'GET', url: '/api/v1/live/events' });
  t.equal(anon.statusCode, 401, 'the stream needs a session');
});
