import t from 'tap';
import { testApi, type TestApi } from '../../support/app.ts';

const URL = '/api/v1/tracking-numbers';

interface Problem {
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

const fields = (p: Problem): string[] => (p.errors ?? []).map((e) => e.field);
const names = (p: Problem, field: string): boolean => fields(p).some((f) => f.endsWith(field));

/** A site with a pool (through the API), a second pool, a routing scheme and an employee (through SQL). */
async function fixtures(api: TestApi) {
  const site = (domain: string) => api.post('/api/v1/sites', { name: domain, domain, fallback_number: '+380441110000' });
  const siteA = (await site('a.example.com')).json<{ id: number }>().id;
  const siteB = (await site('b.example.com')).json<{ id: number }>().id;
  const poolA = (await api.post('/api/v1/pools', { site_id: siteA, name: 'A' })).json<{ id: number }>().id;
  const poolB = (await api.post('/api/v1/pools', { site_id: siteB, name: 'B' })).json<{ id: number }>().id;
  const { rows: schemes } = await api.db.pool.query<{ id: number }>(`INSERT INTO routing_schemes (name) VALUES ('Sales') RETURNING id`);
  const { rows: employees } = await api.db.pool.query<{ id: number }>(
    `INSERT INTO employees (email, full_name) VALUES ('ann@example.com', 'Ann Smith') RETURNING id`,
  );
  return { poolA, poolB, schemeId: schemes[0]!.id, employeeId: employees[0]!.id };
}

const billboard = { number: '(050) 123-45-67', kind: 'static', source_name: 'Billboard on Main St' };

t.test('static number: create, read, update, delete', async (t) => {
  const api = await testApi(t);
  const { schemeId, employeeId } = await fixtures(api);
  const created = await api.post(URL, {
    ...billboard,
    utm_source: 'billboard',
    utm_medium: 'offline',
    utm_campaign: 'spring',
    routing_scheme_id: schemeId,
    caller_id_for_employee_id: employeeId,
  });
  t.equal(created.statusCode, 201, created.body);
  const body = created.json();
  t.equal(body.number, '+380501234567', 'number normalised to E.164 with the default country');
  t.equal(body.kind, 'static');
  t.equal(body.pool_id, null);
  t.equal(body.utm_campaign, 'spring');
  t.equal(body.utm_term, null, 'absent UTM is null');
  t.equal(body.routing_scheme_id, schemeId);
  t.equal(body.caller_id_for_employee_id, employeeId);
  t.equal(body.held_until, null, 'pool state is present and empty');
  t.equal(body.released_at, null);
  t.equal(new Date(body.created_at).toISOString(), body.created_at, 'created_at is an ISO timestamp');

  const got = await api.get(`${URL}/${body.id}`);
  t.equal(got.statusCode, 200);
  const { warnings, ...stored } = body;
  t.same(warnings, [], 'no warnings for a number with a routing scheme');
  t.same(got.json(), stored, 'GET returns what POST returned, without its warnings');

  const patched = await api.patch(`${URL}/${body.id}`, { number: '+380 44 123 4567', utm_campaign: 'summer', utm_medium: null });
  t.equal(patched.statusCode, 200, patched.body);
  t.equal(patched.json().number, '+380441234567');
  t.equal(patched.json().utm_campaign, 'summer');
  t.equal(patched.json().utm_medium, null, 'null clears an optional field');
  t.equal(patched.json().utm_source, 'billboard', 'untouched fields kept');
  t.equal(patched.json().source_name, 'Billboard on Main St');

  t.equal((await api.del(`${URL}/${body.id}`)).statusCode, 204);
  t.equal((await api.get(`${URL}/${body.id}`)).statusCode, 404);
  t.equal((await api.del(`${URL}/${body.id}`)).statusCode, 404);
  t.equal((await api.patch(`${URL}/${body.id}`, { utm_term: 'x' })).statusCode, 404, 'PATCH of a missing number is 404');
});

t.test('pool number: create, move to another pool, override the scheme', async (t) => {
  const api = await testApi(t);
  const { poolA, poolB, schemeId } = await fixtures(api);
  const created = await api.post(URL, { number: '+380671112233', kind: 'pool', pool_id: poolA });
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  t.equal(created.json().pool_id, poolA);
  t.equal(created.json().source_name, null, 'a pool number has no fixed source');
  t.equal(created.json().routing_scheme_id, null, "uses the pool's scheme by default");

  const moved = await api.patch(`${URL}/${id}`, { pool_id: poolB, routing_scheme_id: schemeId });
  t.equal(moved.statusCode, 200, moved.body);
  t.equal(moved.json().pool_id, poolB, "a pool number's pool may change");
  t.equal(moved.json().routing_scheme_id, schemeId, "overrides the pool's scheme");
  t.same((await api.get(`/api/v1/pools/${poolB}`)).json().numbers, ['+380671112233'], 'the new pool lists it');

  const cleared = await api.patch(`${URL}/${id}`, { routing_scheme_id: null });
  t.equal(cleared.json().routing_scheme_id, null, 'the override can be removed');

  await api.db.pool.query(`UPDATE tracking_numbers SET released_at = '2024-05-01T10:00:00Z' WHERE id = $1`, [id]);
  t.equal((await api.get(`${URL}/${id}`)).json().released_at, '2024-05-01T10:00:00.000Z', 'pool state is shown as ISO');
  const readOnly = await api.patch(`${URL}/${id}`, { released_at: null });
  t.equal(readOnly.statusCode, 400, 'pool state cannot be written');
  t.ok(names(readOnly.json(), '/released_at'));
});

t.test('bad input is a problem naming the field, and stores nothing', async (t) => {
  const api = await testApi(t);
  const { poolA } = await fixtures(api);
  const cases: Array<[string, unknown, string, string]> = [
    ['wrong type', { ...billboard, utm_source: 7 }, '/utm_source', 'VALIDATION_FAILED'],
    ['id as a string', { number: '+380671112233', kind: 'pool', pool_id: String(poolA) }, '/pool_id', 'VALIDATION_FAILED'],
    ['unknown field', { ...billboard, colour: 'red' }, '/colour', 'VALIDATION_FAILED'],
    ['missing number', { kind: 'static', source_name: 'x' }, '/number', 'VALIDATION_FAILED'],
    ['unknown kind', { ...billboard, kind: 'dynamic' }, '/kind', 'VALIDATION_FAILED'],
    ['invalid phone', { ...billboard, number: '12' }, '/number', 'PHONE_INVALID'],
    ['letters for a phone', { ...billboard, number: 'call me' }, '/number', 'PHONE_INVALID'],
    ['static without source', { number: '+380671112233', kind: 'static' }, '/source_name', 'VALIDATION_FAILED'],
    ['static with a pool', { ...billboard, pool_id: poolA }, '/pool_id', 'VALIDATION_FAILED'],
    ['pool without a pool', { number: '+380671112233', kind: 'pool' }, '/pool_id', 'VALIDATION_FAILED'],
    ['pool with a source', { number: '+380671112233', kind: 'pool', pool_id: poolA, source_name: 'x' }, '/source_name', 'VALIDATION_FAILED'],
    ['pool with UTMs', { number: '+380671112233', kind: 'pool', pool_id: poolA, utm_term: 'x' }, '/utm_term', 'VALIDATION_FAILED'],
  ];
  for (const [name, body, field, code] of cases) {
    const res = await api.post(URL, body);
    t.equal(res.statusCode, 400, `${name}: 400`);
    t.match(res.headers['content-type'], /application\/problem\+json/, `${name}: problem+json`);
    t.equal(res.json().code, code, `${name}: ${code}`);
    t.ok(names(res.json(), field), `${name}: names ${field}`);
  }
  t.equal((await api.get(URL)).json().total, 0, 'nothing stored');
});

t.test('dangling references are 422 naming the field', async (t) => {
  const api = await testApi(t);
  for (const field of ['routing_scheme_id', 'caller_id_for_employee_id']) {
    const res = await api.post(URL, { ...billboard, [field]: 9999 });
    t.equal(res.statusCode, 422, `${field}: 422`);
    t.equal(res.json().code, 'REFERENCE_NOT_FOUND');
    t.same(fields(res.json()), [`/${field}`], `${field}: named`);
  }
  const pool = await api.post(URL, { number: '+380671112233', kind: 'pool', pool_id: 9999, routing_scheme_id: 8888 });
  t.equal(pool.statusCode, 422);
  t.same(fields(pool.json()), ['/pool_id', '/routing_scheme_id'], 'every dangling reference is listed');
  t.match(pool.json().detail, /pool 9999 does not exist/);

  const ok = await api.post(URL, billboard);
  const patched = await api.patch(`${URL}/${ok.json().id}`, { caller_id_for_employee_id: 9999 });
  t.equal(patched.statusCode, 422, 'PATCH checks references too');
  t.same(fields(patched.json()), ['/caller_id_for_employee_id']);
  t.equal((await api.get(URL)).json().total, 1, 'only the valid number was stored');
});

t.test('a number is tracked once, whatever its format', async (t) => {
  const api = await testApi(t);
  const { poolA } = await fixtures(api);
  t.equal((await api.post(URL, billboard)).statusCode, 201);
  const again = await api.post(URL, { number: '+380501234567', kind: 'pool', pool_id: poolA });
  t.equal(again.statusCode, 409, 'the same number in another format is a conflict');
  t.equal(again.json().code, 'TRACKING_NUMBER_TAKEN');
  t.ok(names(again.json(), '/number'));

  const other = await api.post(URL, { ...billboard, number: '0441234567' });
  const clash = await api.patch(`${URL}/${other.json().id}`, { number: '050 123 45 67' });
  t.equal(clash.statusCode, 409, 'PATCH onto a taken number is a conflict');
  t.equal((await api.get(`${URL}/${other.json().id}`)).json().number, '+380441234567', 'unchanged');
});

t.test('PATCH keeps the kind and its field rules', async (t) => {
  const api = await testApi(t);
  const { poolA } = await fixtures(api);
  const st = (await api.post(URL, billboard)).json<{ id: number }>().id;
  const pl = (await api.post(URL, { number: '+380671112233', kind: 'pool', pool_id: poolA })).json<{ id: number }>().id;

  const kind = await api.patch(`${URL}/${st}`, { kind: 'pool', pool_id: poolA });
  t.equal(kind.statusCode, 400, 'kind cannot change');
  t.ok(names(kind.json(), '/kind'), 'names /kind');
  t.match(kind.json().detail, /cannot be changed/);
  t.equal((await api.patch(`${URL}/${st}`, { kind: 'static', utm_term: 'x' })).statusCode, 200, 'restating the kind is fine');

  const poolOnStatic = await api.patch(`${URL}/${st}`, { pool_id: poolA });
  t.equal(poolOnStatic.statusCode, 400);
  t.ok(names(poolOnStatic.json(), '/pool_id'), 'a static number takes no pool');
  const sourceOnPool = await api.patch(`${URL}/${pl}`, { source_name: 'Radio', utm_source: 'radio' });
  t.equal(sourceOnPool.statusCode, 400);
  t.same(fields(sourceOnPool.json()), ['/source_name', '/utm_source'], 'every static-only field is named');
  const nullSource = await api.patch(`${URL}/${st}`, { source_name: null });
  t.equal(nullSource.statusCode, 400, 'a static number keeps its source');
  const empty = await api.patch(`${URL}/${st}`, {});
  t.equal(empty.statusCode, 400, 'empty PATCH rejected');
  const badPhone = await api.patch(`${URL}/${st}`, { number: '+1' });
  t.equal(badPhone.json().code, 'PHONE_INVALID');
  t.equal((await api.get(`${URL}/${pl}`)).json().source_name, null, 'nothing changed');
});

t.test('list: pagination and filters', async (t) => {
  const api = await testApi(t);
  const { poolA, poolB } = await fixtures(api);
  for (const n of ['+380441000001', '+380441000002', '+380441000003']) {
    t.equal((await api.post(URL, { ...billboard, number: n })).statusCode, 201);
  }
  t.equal((await api.post(`/api/v1/pools/${poolA}/numbers`, { numbers: ['+380671000001', '+380671000002'] })).statusCode, 201);
  t.equal((await api.post(URL, { number: '+380671000003', kind: 'pool', pool_id: poolB })).statusCode, 201);

  const page = await api.get(`${URL}?limit=2&offset=1`);
  t.equal(page.statusCode, 200);
  t.same({ ...page.json(), items: page.json().items.map((i: { number: string }) => i.number) }, {
    items: ['+380441000002', '+380441000003'],
    total: 6,
    limit: 2,
    offset: 1,
  });
  const defaults = (await api.get(URL)).json();
  t.same([defaults.limit, defaults.offset, defaults.items.length], [50, 0, 6], 'default page');

  t.equal((await api.get(`${URL}?kind=pool`)).json().total, 3, 'kind filter');
  t.equal((await api.get(`${URL}?kind=static`)).json().total, 3);
  const inA = (await api.get(`${URL}?pool_id=${poolA}`)).json();
  t.same(inA.items.map((i: { number: string }) => i.number), ['+380671000001', '+380671000002'], 'pool filter');
  t.equal((await api.get(`${URL}?kind=static&pool_id=${poolA}`)).json().total, 0, 'filters combine');
  t.equal((await api.get(`${URL}?kind=pool&limit=1&offset=2`)).json().items[0].pool_id, poolB, 'filters page too');

  for (const q of ['kind=dynamic', 'pool_id=abc', 'limit=0', 'limit=201', 'offset=-1', 'colour=red']) {
    t.equal((await api.get(`${URL}?${q}`)).statusCode, 400, `${q} rejected`);
  }
});
