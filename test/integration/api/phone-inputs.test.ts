// Phone numbers given to the API: legacy national forms are read, extensions are refused by name.
import t from 'tap';
import { testApi } from '../../support/app.ts';

t.test('the legacy Ukrainian form is stored as E.164', async (t) => {
  const api = await testApi(t); // DEFAULT_COUNTRY=UA
  const r = await api.post('/api/v1/employees', { email: 'ana@example.com', full_name: 'Ana', main_destinations: [{ type: 'phone', number: '8 050 123 45 67' }] });
  t.equal(r.statusCode, 201, r.body);
  t.same(r.json().main_destinations, [{ type: 'phone', number: '+380501234567' }]);
});

t.test('a number with an extension is refused wherever it is given, naming the field and the extension', async (t) => {
  const api = await testApi(t);
  const cases: Array<[string, 'POST' | 'PATCH', string, object, string]> = [
    ['employee destination', 'POST', '/api/v1/employees', { email: 'a@example.com', full_name: 'A', main_destinations: [{ type: 'phone', number: '050 123 45 67 ext. 12' }] }, '/main_destinations/0/number'],
    ['tracking number', 'POST', '/api/v1/tracking-numbers', { number: '044 123 45 67 x12', kind: 'static', source_name: 'Flyer' }, '/number'],
    ['external-number step', 'POST', '/api/v1/routing-schemes', { name: 'Out', steps: [{ type: 'external_number', number: 'tel:+380441234567;ext=12' }] }, '/steps/0/number'],
    ['site fallback number', 'POST', '/api/v1/sites', { name: 'Shop', domain: 'shop.example.com', fallback_number: '044 123 45 67 доб. 12' }, '/fallback_number'],
    ['trunk caller id', 'PATCH', '/api/v1/settings', { trunk_default_caller_id: '044 123 45 67 ext 12' }, '/trunk_default_caller_id'],
  ];
  for (const [name, method, url, body, field] of cases) {
    const r = method === 'POST' ? await api.post(url, body) : await api.patch(url, body);
    t.equal(r.statusCode, 400, name);
    t.match(r.json(), { code: 'PHONE_INVALID', errors: [{ field, message: /^has an extension \(12\)/ }] }, name);
  }
  const counts = await api.db.pool.query<{ n: number }>(
    'SELECT (SELECT count(*) FROM employees) + (SELECT count(*) FROM tracking_numbers) + (SELECT count(*) FROM routing_schemes) + (SELECT count(*) FROM sites) AS n',
  );
  t.equal(Number(counts.rows[0]!.n), 0, 'nothing was stored');
  t.equal((await api.get('/api/v1/settings')).json().trunk_default_caller_id, null, 'the setting is unchanged');
});
