import t from 'tap';
import { testApi, type TestApi } from '../../support/app.ts';

const URL = '/api/v1/pools';

interface Problem {
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

const fields = (p: Problem): string[] => (p.errors ?? []).map((e) => e.field);

async function createSite(api: TestApi, domain: string): Promise<number> {
  const res = await api.post('/api/v1/sites', { name: domain, domain, fallback_number: '+380441110000' });
  return res.json<{ id: number }>().id;
}

async function createScheme(api: TestApi, name: string): Promise<number> {
  const { rows } = await api.db.pool.query<{ id: number }>('INSERT INTO routing_schemes (name) VALUES ($1) RETURNING id', [name]);
  return rows[0]!.id;
}

async function numbersOf(api: TestApi, poolId: number): Promise<string[]> {
  return (await api.get(`${URL}/${poolId}`)).json<{ numbers: string[] }>().numbers;
}

t.test('pools: create, read, list, update, delete', async (t) => {
  const api = await testApi(t);
  const site = await createSite(api, 'shop.example.com');
  const scheme = await createScheme(api, 'Sales');
  const created = await api.post(URL, { site_id: site, name: 'Shop visitors', routing_scheme_id: scheme });
  t.equal(created.statusCode, 201, created.body);
  const body = created.json();
  t.match(body, { site_id: site, name: 'Shop visitors', routing_scheme_id: scheme, size: 0, numbers: [], exhausted_count: 0 });
  t.equal(new Date(body.updated_at).toISOString(), body.updated_at, 'timestamps are ISO');

  const got = await api.get(`${URL}/${body.id}`);
  t.equal(got.statusCode, 200);
  t.same(got.json(), body, 'GET returns what POST returned');

  const second = await api.post(URL, { site_id: await createSite(api, 'blog.example.com'), name: 'Blog' });
  t.equal(second.json().routing_scheme_id, null, 'the scheme is optional');
  const list = await api.get(`${URL}?limit=1&offset=1`);
  t.equal(list.statusCode, 200);
  t.equal(list.json().total, 2);
  t.same(list.json().items.map((p: { name: string }) => p.name), ['Blog']);
  t.equal(list.json().items[0].size, 0, 'list items carry the size');
  t.notOk('numbers' in list.json().items[0], 'but not the numbers');

  const patched = await api.patch(`${URL}/${body.id}`, { name: 'Shop' });
  t.equal(patched.statusCode, 200, patched.body);
  t.equal(patched.json().name, 'Shop');
  t.equal(patched.json().routing_scheme_id, scheme, 'untouched fields kept');
  const other = await createScheme(api, 'Support');
  t.equal((await api.patch(`${URL}/${body.id}`, { routing_scheme_id: other })).json().routing_scheme_id, other);
  t.equal((await api.patch(`${URL}/${body.id}`, { routing_scheme_id: null })).json().routing_scheme_id, null, 'null clears the scheme');

  t.equal((await api.del(`${URL}/${body.id}`)).statusCode, 204);
  t.equal((await api.get(`${URL}/${body.id}`)).statusCode, 404);
  t.equal((await api.del(`${URL}/${body.id}`)).statusCode, 404);
  t.equal((await api.patch(`${URL}/${body.id}`, { name: 'x' })).statusCode, 404);
});

t.test('pools: one per site, references must exist, bodies are strict', async (t) => {
  const api = await testApi(t);
  const site = await createSite(api, 'shop.example.com');
  t.equal((await api.post(URL, { site_id: site, name: 'First' })).statusCode, 201);
  const second = await api.post(URL, { site_id: site, name: 'Second' });
  t.equal(second.statusCode, 409, 'a second pool for the site is a conflict');
  t.same(fields(second.json()), ['/site_id']);
  t.match(second.json().detail, /already has a pool/);

  const noSite = await api.post(URL, { site_id: 9999, name: 'x' });
  t.equal(noSite.statusCode, 422);
  t.equal(noSite.json().code, 'REFERENCE_NOT_FOUND');
  t.same(fields(noSite.json()), ['/site_id'], 'a missing site is named');
  const noScheme = await api.post(URL, { site_id: await createSite(api, 'b.example.com'), name: 'x', routing_scheme_id: 9999 });
  t.same(fields(noScheme.json()), ['/routing_scheme_id'], 'a missing scheme is named');
  const pool = (await api.get(URL)).json().items[0].id;
  const patchScheme = await api.patch(`${URL}/${pool}`, { routing_scheme_id: 9999 });
  t.equal(patchScheme.statusCode, 422, 'PATCH checks the scheme too');

  const cases: Array<[string, string, unknown, string]> = [
    ['wrong type', 'POST', { site_id: String(site), name: 'x' }, '/site_id'],
    ['unknown field', 'POST', { site_id: site, name: 'x', size: 10 }, '/size'],
    ['missing name', 'POST', { site_id: site }, '/name'],
    ['empty name', 'POST', { site_id: site, name: '' }, '/name'],
    ['site cannot move', 'PATCH', { site_id: site }, '/site_id'],
    ['empty patch', 'PATCH', {}, ''],
  ];
  for (const [name, method, body, field] of cases) {
    const res = method === 'POST' ? await api.post(URL, body) : await api.patch(`${URL}/${pool}`, body);
    t.equal(res.statusCode, 400, `${name}: 400`);
    t.ok(fields(res.json()).some((f) => f.endsWith(field)), `${name}: names ${field || 'the body'}`);
  }
  t.equal((await api.get(URL)).json().total, 1, 'only the first pool exists');
});

t.test('bulk add: numbers in any format join the pool', async (t) => {
  const api = await testApi(t);
  const pool = (await api.post(URL, { site_id: await createSite(api, 'shop.example.com'), name: 'Shop' })).json().id;
  const res = await api.post(`${URL}/${pool}/numbers`, { numbers: ['050 111 11 13', '+380501111111', '(050) 111-11-12'] });
  t.equal(res.statusCode, 201, res.body);
  t.same(res.json().numbers, ['+380501111111', '+380501111112', '+380501111113'], 'E.164, in order');
  t.equal(res.json().size, 3);
  const tracked = (await api.get(`/api/v1/tracking-numbers?pool_id=${pool}`)).json();
  t.equal(tracked.total, 3, 'each is a tracking number');
  t.ok(tracked.items.every((n: { kind: string; source_name: null }) => n.kind === 'pool' && n.source_name === null), 'of kind pool');

  const more = await api.post(`${URL}/${pool}/numbers`, { numbers: ['+380501111114'] });
  t.equal(more.json().size, 4, 'a later add extends the pool');

  const full = Array.from({ length: 500 }, (_, i) => `+38067${String(1000000 + i)}`);
  const big = await api.post(`${URL}/${pool}/numbers`, { numbers: full });
  t.equal(big.statusCode, 201, 'up to 500 numbers at once');
  t.equal(big.json().size, 504);
});

t.test('bulk add is all or nothing', async (t) => {
  const api = await testApi(t);
  const pool = (await api.post(URL, { site_id: await createSite(api, 'shop.example.com'), name: 'Shop' })).json().id;
  await api.post(`${URL}/${pool}/numbers`, { numbers: ['+380501111111'] });
  await api.post('/api/v1/tracking-numbers', { number: '+380441234567', kind: 'static', source_name: 'Billboard' });
  const before = await numbersOf(api, pool);

  const invalid = await api.post(`${URL}/${pool}/numbers`, { numbers: ['+380501111112', '12', 'call me'] });
  t.equal(invalid.statusCode, 400);
  t.equal(invalid.json().code, 'PHONE_INVALID');
  t.same(fields(invalid.json()), ['/numbers/1', '/numbers/2'], 'every invalid entry is listed');

  const taken = await api.post(`${URL}/${pool}/numbers`, { numbers: ['+380501111112', '044 123 4567', '0501111111'] });
  t.equal(taken.statusCode, 409);
  t.equal(taken.json().code, 'TRACKING_NUMBER_TAKEN');
  t.same(fields(taken.json()), ['/numbers/1', '/numbers/2'], 'static and pool numbers alike are taken');
  t.match(taken.json().detail, /nothing was added/);

  const repeated = await api.post(`${URL}/${pool}/numbers`, { numbers: ['+380501111112', '050 111 11 13', '0501111112'] });
  t.equal(repeated.statusCode, 400, 'a number twice in one request is rejected');
  t.same(fields(repeated.json()), ['/numbers/2']);
  t.match(repeated.json().errors[0].message, /\/numbers\/0/, 'pointing at the first occurrence');

  t.same(await numbersOf(api, pool), before, 'after each failure the pool has the same numbers');
  t.equal((await api.get('/api/v1/tracking-numbers')).json().total, 2, 'and no tracking number was stored');

  const shapes: Array<[string, unknown, number]> = [
    ['empty list', { numbers: [] }, 400],
    ['over 500', { numbers: Array.from({ length: 501 }, (_, i) => `+38067${String(1000000 + i)}`) }, 400],
    ['not strings', { numbers: [380501111115] }, 400],
    ['unknown field', { numbers: ['+380501111115'], kind: 'pool' }, 400],
  ];
  for (const [name, body, status] of shapes) {
    t.equal((await api.post(`${URL}/${pool}/numbers`, body)).statusCode, status, `${name}: ${status}`);
  }
  t.equal((await api.post(`${URL}/9999/numbers`, { numbers: ['+380501111115'] })).statusCode, 404, 'unknown pool: 404');
  t.same(await numbersOf(api, pool), before, 'still unchanged');
});

t.test('a pool with numbers cannot be deleted', async (t) => {
  const api = await testApi(t);
  const site = await createSite(api, 'shop.example.com');
  const pool = (await api.post(URL, { site_id: site, name: 'Shop' })).json().id;
  await api.post(`${URL}/${pool}/numbers`, { numbers: ['+380501111111', '+380501111112'] });

  const blocked = await api.del(`${URL}/${pool}`);
  t.equal(blocked.statusCode, 409);
  t.equal(blocked.json().code, 'POOL_HAS_NUMBERS');
  t.match(blocked.json().detail, /still has 2 numbers/, 'the detail says why');

  const members = (await api.get(`/api/v1/tracking-numbers?pool_id=${pool}`)).json().items as Array<{ id: number }>;
  for (const m of members) t.equal((await api.del(`/api/v1/tracking-numbers/${m.id}`)).statusCode, 204);
  t.equal((await api.del(`${URL}/${pool}`)).statusCode, 204, 'an empty pool can be deleted');
  t.equal((await api.del(`/api/v1/sites/${site}`)).statusCode, 204, 'and then its site');
});
