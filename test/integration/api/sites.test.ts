import t from 'tap';
import { testApi } from '../../support/app.ts';

const site = { name: 'Main site', domain: 'shop.example.com', fallback_number: '(050) 123-45-67', swap_selectors: ['.phone'] };

t.test('sites: create, read, list, update, delete', async (t) => {
  const api = await testApi(t);
  const created = await api.post('/api/v1/sites', site);
  t.equal(created.statusCode, 201, created.body);
  const body = created.json();
  t.equal(body.fallback_number, '+380501234567', 'fallback number normalised to E.164');
  t.match(body.public_key, /^pk_/);
  t.equal(body.hold_time_s, 900, 'default hold time');

  const got = await api.get(`/api/v1/sites/${body.id}`);
  t.equal(got.statusCode, 200);
  t.same(got.json(), body);

  await api.post('/api/v1/sites', { ...site, domain: 'b.example.com' });
  const list = await api.get('/api/v1/sites?limit=1&offset=1');
  t.equal(list.statusCode, 200);
  t.equal(list.json().total, 2);
  t.equal(list.json().items.length, 1);
  t.equal(list.json().items[0].domain, 'b.example.com');

  const patched = await api.patch(`/api/v1/sites/${body.id}`, { hold_time_s: 600, fallback_number: '+380 44 123 4567' });
  t.equal(patched.statusCode, 200, patched.body);
  t.equal(patched.json().hold_time_s, 600);
  t.equal(patched.json().fallback_number, '+380441234567');
  t.equal(patched.json().name, 'Main site', 'untouched fields kept');

  t.equal((await api.del(`/api/v1/sites/${body.id}`)).statusCode, 204);
  t.equal((await api.get(`/api/v1/sites/${body.id}`)).statusCode, 404);
  t.equal((await api.del(`/api/v1/sites/${body.id}`)).statusCode, 404);
});

t.test('sites: bad input is a problem naming the field, and stores nothing', async (t) => {
  const api = await testApi(t);
  const cases: Array<[string, unknown, string]> = [
    ['wrong type', { ...site, hold_time_s: '600' }, '/hold_time_s'],
    ['unknown field', { ...site, colour: 'red' }, '/colour'],
    ['missing field', { name: 'x', domain: 'x.example.com' }, '/fallback_number'],
    ['invalid phone', { ...site, fallback_number: '12' }, '/fallback_number'],
    ['bad domain', { ...site, domain: 'not a domain' }, '/domain'],
  ];
  for (const [name, body, field] of cases) {
    const res = await api.post('/api/v1/sites', body);
    t.equal(res.statusCode, 400, `${name}: 400`);
    t.match(res.headers['content-type'], /application\/problem\+json/, `${name}: problem+json`);
    t.ok(res.json().errors.some((e: { field: string }) => e.field.endsWith(field)), `${name}: names ${field}`);
  }
  t.equal((await api.get('/api/v1/sites')).json().total, 0, 'nothing stored');
  const dup = await api.post('/api/v1/sites', site);
  t.equal(dup.statusCode, 201);
  const again = await api.post('/api/v1/sites', site);
  t.equal(again.statusCode, 409, 'duplicate domain is a conflict');
  t.equal((await api.patch(`/api/v1/sites/${dup.json().id}`, {})).statusCode, 400, 'empty patch rejected');
});

t.test('the API rejects requests without a valid key', async (t) => {
  const api = await testApi(t);
  const none = await api.app.inject({ method: 'GET', url: '/api/v1/sites' });
  t.equal(none.statusCode, 401);
  t.equal(none.json().code, 'UNAUTHORIZED');
  const wrong = await api.app.inject({ method: 'GET', url: '/api/v1/sites', headers: { authorization: `Bearer ${api.key.slice(0, -2)}xx` } });
  t.equal(wrong.statusCode, 401);
  await api.db.pool.query('UPDATE api_keys SET revoked_at = now()');
  t.equal((await api.get('/api/v1/sites')).statusCode, 401, 'revoked key refused');
});
