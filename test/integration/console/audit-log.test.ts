// The audit log of settings changes: who, what, when, the old and new values.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { consoleUser, login } from '../../support/console.ts';

t.test('settings changes are logged with who made them and the fields before and after', async (t) => {
  const api = await testApi(t);
  const adminId = await consoleUser(api.db.pool, { email: 'boss@example.com', accessLevel: 'admin', salesRole: 'head' });
  const boss = await login(api.app, 'boss@example.com');
  const zoneBefore = (await api.get('/api/v1/settings')).json().time_zone;

  t.equal((await boss.send('PATCH', '/api/v1/settings', { time_zone: 'Europe/Kyiv' })).statusCode, 200);
  const created = await api.post('/api/v1/employees', { email: 'olena@example.com', full_name: 'Olena Koval' });
  const id = created.json().id as number;
  t.equal((await boss.send('PATCH', `/api/v1/employees/${id}`, { full_name: 'Olena Koval-Shevchenko' })).statusCode, 200);
  t.equal((await boss.send('PUT', `/api/v1/employees/${id}/console-password`, { password: 'temporary password 1' })).statusCode, 204);
  t.equal((await boss.send('DELETE', `/api/v1/employees/${id}`)).statusCode, 204);
  // refused and read-only requests are not changes
  t.equal((await boss.send('PATCH', '/api/v1/settings', { time_zone: 'Mars/Olympus' })).statusCode, 400);
  await boss.get('/api/v1/settings');
  await boss.send('POST', '/api/v1/calls/simulate', { from: '+380501112233', to: '+380441110001' });

  const log = await boss.get('/api/v1/audit-log?limit=10');
  t.equal(log.statusCode, 200, log.body);
  const items = log.json().items as Array<Record<string, unknown>>;
  t.equal(log.json().total, 5);
  t.match(items[4], {
    actor: { kind: 'employee', employee_id: adminId, label: 'boss@example.com' },
    method: 'PATCH',
    path: '/api/v1/settings',
    old_value: { time_zone: zoneBefore },
    new_value: { time_zone: 'Europe/Kyiv' },
    status: 200,
  });
  t.match(items[3], { actor: { kind: 'api_key', label: 'API key tests' }, method: 'POST', old_value: null, new_value: { email: 'olena@example.com' } });
  t.match(items[2], {
    method: 'PATCH',
    resource: '/api/v1/employees/:id',
    path: `/api/v1/employees/${id}`,
    old_value: { full_name: 'Olena Koval' },
    new_value: { full_name: 'Olena Koval-Shevchenko' },
  });
  t.same(Object.keys(items[2]!.new_value as object), ['full_name'], 'only the changed field');
  t.match(items[1], { method: 'PUT', resource: '/api/v1/employees/:id/console-password', old_value: null, new_value: null });
  t.notOk(JSON.stringify(items).includes('temporary password 1'), 'no password in the log');
  t.match(items[0], { method: 'DELETE', old_value: { full_name: 'Olena Koval-Shevchenko' }, new_value: null });
  t.ok(items.every((i) => typeof i.at === 'string' && !Number.isNaN(Date.parse(i.at as string))), 'each has its time');
});

t.test('an analyst reads the audit log; an employee may not', async (t) => {
  const api = await testApi(t);
  await consoleUser(api.db.pool, { email: 'a@example.com', accessLevel: 'analyst', salesRole: 'head' });
  await consoleUser(api.db.pool, { email: 'e@example.com', accessLevel: 'employee', salesRole: 'head' });
  t.equal((await (await login(api.app, 'a@example.com')).get('/api/v1/audit-log')).statusCode, 200);
  t.equal((await (await login(api.app, 'e@example.com')).get('/api/v1/audit-log')).statusCode, 403);
});
