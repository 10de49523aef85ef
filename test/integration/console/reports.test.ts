// GET /api/v1/reports: calls by source per day, answered and missed per
// employee, call-back times; analysts read it, employees may not.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { consoleUser, login, storeCall } from '../../support/console.ts';

t.test('the reports count inbound calls in the range by source, by employee and by call-back time', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  t.equal((await api.patch('/api/v1/settings', { time_zone: 'Europe/Kyiv' })).statusCode, 200);
  const anna = (await api.post('/api/v1/employees', { email: 'anna@example.com', full_name: 'Anna' })).json().id as number;
  const at = (iso: string) => new Date(iso);
  await storeCall(db, { caller: '+380501110001', source: 'google / cpc', answeredByEmployeeId: anna, startedAt: at('2026-06-01T10:00:00Z') });
  await storeCall(db, { caller: '+380501110002', source: 'google / cpc', disposition: 'missed', responsibleEmployeeId: anna, startedAt: at('2026-06-01T22:30:00Z') });
  await storeCall(db, { caller: '+380501110003', source: 'Billboard', disposition: 'missed', startedAt: at('2026-06-02T09:00:00Z') });
  await storeCall(db, { caller: '+380501110009', source: 'Billboard', startedAt: at('2026-05-01T09:00:00Z') }); // outside the range
  await db.query(
    `INSERT INTO calls (id, direction, callee, started_at, ended_at, disposition, crm_sync_state)
     VALUES (gen_random_uuid(), 'outbound', '+380501110002', '2026-06-01T22:50:00Z', '2026-06-01T22:51:00Z', 'answered', 'not_required')`,
  );
  const r = await api.get('/api/v1/reports?from=2026-06-01T00:00:00Z&to=2026-06-03T00:00:00Z');
  t.equal(r.statusCode, 200, r.body);
  const body = r.json();
  t.same(body.by_source, {
    sources: ['google / cpc', 'Billboard'],
    days: [
      { day: '2026-06-01', 'google / cpc': 1, Billboard: 0 },
      // 22:30 UTC is 01:30 the next day in Kyiv
      { day: '2026-06-02', 'google / cpc': 1, Billboard: 1 },
    ],
  });
  t.same(body.by_employee, [{ employee_id: anna, name: 'Anna', answered: 1, missed: 1, answered_rate: 0.5 }]);
  t.match(body.callbacks, { called_back: 1, not_called_back: 1, median_minutes: 20, p90_minutes: 20 });
  t.match(body.callbacks.buckets, [{ label: '15m', calls: 0 }, { label: '1h', calls: 1 }]);

  const bad = await api.get('/api/v1/reports?from=2026-06-03T00:00:00Z&to=2026-06-01T00:00:00Z');
  t.equal(bad.statusCode, 400);
  t.match(bad.json().errors, [{ field: '/from', message: 'must be before to' }]);
  t.equal((await api.get('/api/v1/reports?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')).statusCode, 400, 'at most 366 days');

  await consoleUser(db, { email: 'an@example.com', accessLevel: 'analyst', salesRole: 'head' });
  await consoleUser(db, { email: 'em@example.com', accessLevel: 'employee', salesRole: 'head' });
  t.equal((await (await login(api.app, 'an@example.com')).get('/api/v1/reports')).statusCode, 200, 'an analyst reads reports');
  t.equal((await (await login(api.app, 'em@example.com')).get('/api/v1/reports')).statusCode, 403, 'the employee level may not');
});
