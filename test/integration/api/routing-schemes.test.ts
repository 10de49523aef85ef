import t from 'tap';
import { testApi, type TestApi } from '../../support/app.ts';

const URL = '/api/v1/routing-schemes';

/** Employees are inserted directly: their API is written elsewhere. */
async function employee(api: TestApi, name: string, role: 'sales_rep' | 'head' | 'quality_control' = 'sales_rep'): Promise<number> {
  const { rows } = await api.db.pool.query<{ id: number }>(
    'INSERT INTO employees (email, full_name, sales_role) VALUES ($1, $2, $3) RETURNING id',
    [`${name.toLowerCase()}@example.com`, name, role],
  );
  return rows[0]!.id;
}

const kyivHours = { time_zone: 'Europe/Kyiv', intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] };

const allSteps = (a: number, b: number) => [
  { type: 'responsible_manager', lookup_order: ['deal_owner', 'contact_owner'], ring_timeout_s: 15 },
  { type: 'employees', employee_ids: [b, a], ring_strategy: 'sequential', schedule: kyivHours },
  { type: 'new_client_distribution', mode: 'round_robin' },
  { type: 'senior_manager', ring_timeout_s: 30 },
  { type: 'external_number', number: '(044) 123-45-67' },
];

type Problem = { code: string; errors?: Array<{ field: string; message: string }> };
const names = (p: Problem, field: string) => (p.errors ?? []).some((e) => e.field.endsWith(field));

async function storedSteps(api: TestApi, schemeId: number) {
  const { rows } = await api.db.pool.query<{ position: number; type: string; employees: string[] | null }>(
    `SELECT s.position, s.type::text,
            (SELECT array_agg(e.employee_id::text ORDER BY e.position) FROM routing_step_employees e WHERE e.step_id = s.id) AS employees
       FROM routing_steps s WHERE s.scheme_id = $1 ORDER BY s.position`,
    [schemeId],
  );
  return rows;
}

t.test('routing schemes: all five step types round-trip', async (t) => {
  const api = await testApi(t);
  const [anna, boris] = [await employee(api, 'Anna'), await employee(api, 'Boris', 'head')];
  const res = await api.post(URL, { name: 'Main line', steps: allSteps(anna, boris) });
  t.equal(res.statusCode, 201, res.body);
  const scheme = res.json();
  t.equal(scheme.name, 'Main line');
  t.same(
    scheme.steps,
    [
      { type: 'responsible_manager', ring_timeout_s: 15, lookup_order: ['deal_owner', 'contact_owner'] },
      { type: 'employees', ring_timeout_s: 20, schedule: kyivHours, employee_ids: [boris, anna], ring_strategy: 'sequential' },
      { type: 'new_client_distribution', ring_timeout_s: 20, mode: 'round_robin' },
      { type: 'senior_manager', ring_timeout_s: 30 },
      { type: 'external_number', ring_timeout_s: 20, number: '+380441234567' },
    ],
    'defaults applied (ring timeout 20), number in E.164, order kept',
  );
  t.notOk('schedule' in scheme.steps[0], 'a step without a schedule has none');
  t.same((await api.get(`${URL}/${scheme.id}`)).json(), scheme, 'GET returns what POST did');

  const rows = await storedSteps(api, scheme.id);
  t.same(
    rows.map((r) => [r.position, r.type]),
    [[0, 'responsible_manager'], [1, 'employees'], [2, 'new_client_distribution'], [3, 'senior_manager'], [4, 'external_number']],
    'steps stored in typed rows, by position',
  );
  t.same(rows[1]!.employees, [String(boris), String(anna)], 'employees stored in ringing order');

  const again = await api.patch(`${URL}/${scheme.id}`, { steps: scheme.steps });
  t.equal(again.statusCode, 200, 'what GET returns is accepted back');
  t.same(again.json().steps, scheme.steps);
});

t.test('routing schemes: list, rename, replace steps, delete', async (t) => {
  const api = await testApi(t);
  const anna = await employee(api, 'Anna');
  const first = (await api.post(URL, { name: 'First', steps: [{ type: 'senior_manager' }] })).json();
  await api.post(URL, { name: 'Second', steps: [{ type: 'employees', employee_ids: [anna], ring_strategy: 'simultaneous' }] });

  const list = await api.get(`${URL}?limit=1&offset=1`);
  t.equal(list.statusCode, 200);
  t.equal(list.json().total, 2);
  t.equal(list.json().limit, 1);
  t.equal(list.json().offset, 1);
  t.same(list.json().items.map((s: { name: string }) => s.name), ['Second']);
  t.same(list.json().items[0].steps[0].employee_ids, [anna], 'listed schemes carry their steps');

  const renamed = await api.patch(`${URL}/${first.id}`, { name: 'First line' });
  t.equal(renamed.statusCode, 200, renamed.body);
  t.equal(renamed.json().name, 'First line');
  t.same(renamed.json().steps, first.steps, 'renaming keeps the steps');

  const replaced = await api.patch(`${URL}/${first.id}`, {
    steps: [{ type: 'external_number', number: '+34 912 345 678' }, { type: 'senior_manager', ring_timeout_s: 45 }],
  });
  t.equal(replaced.statusCode, 200, replaced.body);
  t.same(replaced.json().steps.map((s: { type: string }) => s.type), ['external_number', 'senior_manager']);
  t.equal(replaced.json().name, 'First line', 'replacing steps keeps the name');
  t.equal((await storedSteps(api, first.id)).length, 2, 'old steps are gone, not appended to');

  t.equal((await api.del(`${URL}/${first.id}`)).statusCode, 204);
  t.equal((await api.get(`${URL}/${first.id}`)).statusCode, 404, 'gone');
  t.equal((await storedSteps(api, first.id)).length, 0, 'its steps went with it');
});

t.test('routing schemes: unknown ids are 404, bad ids 400', async (t) => {
  const api = await testApi(t);
  const get = await api.get(`${URL}/999`);
  t.equal(get.statusCode, 404);
  t.equal(get.json().code, 'NOT_FOUND');
  t.equal((await api.patch(`${URL}/999`, { name: 'x' })).statusCode, 404, 'PATCH');
  t.equal((await api.del(`${URL}/999`)).statusCode, 404, 'DELETE');
  t.equal((await api.get(`${URL}/abc`)).statusCode, 400, 'non-numeric id');
});

t.test('routing schemes: bad input is a 400 naming the field, and stores nothing', async (t) => {
  const api = await testApi(t);
  const anna = await employee(api, 'Anna');
  const ok = { type: 'senior_manager' };
  const one = (step: object) => ({ name: 'S', steps: [step] });
  const cases: Array<[string, unknown, string, string?]> = [
    ['unknown scheme field', { name: 'S', steps: [ok], colour: 'red' }, '/colour'],
    ['missing steps', { name: 'S' }, '/steps'],
    ['no steps', { name: 'S', steps: [] }, '/steps'],
    ['21 steps', { name: 'S', steps: Array.from({ length: 21 }, () => ok) }, '/steps'],
    ['blank name', { name: '   ', steps: [ok] }, '/name'],
    ['name not a string', { name: 7, steps: [ok] }, '/name'],
    ['unknown step type', one({ type: 'voicemail' }), '/steps/0/type'],
    ['step without type', one({ ring_timeout_s: 10 }), '/steps/0/type'],
    ['ring timeout as string', one({ ...ok, ring_timeout_s: '20' }), '/steps/0/ring_timeout_s'],
    ['ring timeout 0', one({ ...ok, ring_timeout_s: 0 }), '/steps/0/ring_timeout_s'],
    ['ring timeout 601', one({ ...ok, ring_timeout_s: 601 }), '/steps/0/ring_timeout_s'],
    ['unknown step field', one({ ...ok, music: 'on' }), '/steps/0/music'],
    ['field of another type', one({ type: 'responsible_manager', lookup_order: ['deal_owner'], ring_strategy: 'sequential' }), '/steps/0/ring_strategy'],
    ['employee ids on senior manager', one({ ...ok, employee_ids: [anna] }), '/steps/0/employee_ids'],
    ['mode on employees', one({ type: 'employees', employee_ids: [anna], ring_strategy: 'sequential', mode: 'ring_all' }), '/steps/0/mode'],
    ['missing type field', one({ type: 'new_client_distribution' }), '/steps/0/mode'],
    ['bad mode', one({ type: 'new_client_distribution', mode: 'lottery' }), '/steps/0/mode'],
    ['bad ring strategy', one({ type: 'employees', employee_ids: [anna], ring_strategy: 'random' }), '/steps/0/ring_strategy'],
    ['empty lookup order', one({ type: 'responsible_manager', lookup_order: [] }), '/steps/0/lookup_order'],
    ['repeated lookup order', one({ type: 'responsible_manager', lookup_order: ['deal_owner', 'deal_owner'] }), '/steps/0/lookup_order'],
    ['unknown lookup target', one({ type: 'responsible_manager', lookup_order: ['company_owner'] }), '/steps/0/lookup_order/0'],
    ['no employees', one({ type: 'employees', employee_ids: [], ring_strategy: 'sequential' }), '/steps/0/employee_ids'],
    ['repeated employee', one({ type: 'employees', employee_ids: [anna, anna], ring_strategy: 'sequential' }), '/steps/0/employee_ids'],
    ['invalid phone', { name: 'S', steps: [ok, ok, { type: 'external_number', number: '12' }] }, '/steps/2/number', 'PHONE_INVALID'],
    ['bad time zone', one({ ...ok, schedule: { ...kyivHours, time_zone: 'Europe/Atlantis' } }), '/steps/0/schedule/time_zone'],
    ['bad HH:MM', one({ ...ok, schedule: { time_zone: 'UTC', intervals: [{ days: [1], from: '9:00', to: '18:00' }] } }), '/steps/0/schedule/intervals/0/from'],
    ['from equals to', one({ ...ok, schedule: { time_zone: 'UTC', intervals: [{ days: [1], from: '09:00', to: '09:00' }] } }), '/steps/0/schedule/intervals/0/to'],
    ['day 8', one({ ...ok, schedule: { time_zone: 'UTC', intervals: [{ days: [8], from: '09:00', to: '18:00' }] } }), '/steps/0/schedule/intervals/0/days/0'],
    ['null schedule', one({ ...ok, schedule: null }), '/steps/0/schedule'],
  ];
  for (const [name, body, field, code = 'VALIDATION_FAILED'] of cases) {
    const res = await api.post(URL, body);
    t.equal(res.statusCode, 400, `${name}: 400`);
    t.equal(res.json().code, code, `${name}: ${code}`);
    t.ok(names(res.json(), field), `${name}: names ${field} (${res.body})`);
  }
  const mixed = await api.post(URL, one({ type: 'responsible_manager', lookup_order: ['deal_owner'], number: '+380441234567' }));
  t.same(
    mixed.json().errors.filter((e: { field: string }) => e.field.startsWith('/steps/0/')),
    [{ field: '/steps/0/number', message: 'is not a known field' }],
    'a step is checked against its own type only',
  );
  t.equal((await api.get(URL)).json().total, 0, 'nothing stored');
});

t.test('routing schemes: employees must exist and be ringable', async (t) => {
  const api = await testApi(t);
  const anna = await employee(api, 'Anna');
  const quinn = await employee(api, 'Quinn', 'quality_control');
  const steps = (ids: number[]) => [{ type: 'senior_manager' }, { type: 'employees', employee_ids: ids, ring_strategy: 'simultaneous' }];

  const unknown = await api.post(URL, { name: 'S', steps: steps([anna, 424242]) });
  t.equal(unknown.statusCode, 422);
  t.equal(unknown.json().code, 'REFERENCE_NOT_FOUND');
  t.same(unknown.json().errors, [{ field: '/steps/1/employee_ids/1', message: 'employee 424242 does not exist' }]);

  const qc = await api.post(URL, { name: 'S', steps: steps([quinn, anna]) });
  t.equal(qc.statusCode, 422, 'a quality control employee cannot be rung');
  t.equal(qc.json().code, 'EMPLOYEE_NOT_RINGABLE', 'its own code');
  t.equal(qc.json().errors[0].field, '/steps/1/employee_ids/0');
  t.match(qc.json().errors[0].message, /quality control.*never rung/);
  t.equal((await api.get(URL)).json().total, 0, 'nothing stored');
});

t.test('routing schemes: names are unique, case-insensitively', async (t) => {
  const api = await testApi(t);
  const steps = [{ type: 'senior_manager' }];
  t.equal((await api.post(URL, { name: 'Sales', steps })).statusCode, 201);
  const dup = await api.post(URL, { name: 'SALES', steps });
  t.equal(dup.statusCode, 409);
  t.equal(dup.json().code, 'SCHEME_NAME_TAKEN');
  t.ok(names(dup.json(), '/name'), 'names /name');
  const other = (await api.post(URL, { name: 'Support', steps })).json();
  const rename = await api.patch(`${URL}/${other.id}`, { name: ' sales ' });
  t.equal(rename.statusCode, 409, 'renaming onto a taken name (after trimming) is a conflict too');
  t.equal((await api.get(`${URL}/${other.id}`)).json().name, 'Support');
});

t.test('routing schemes: a failed PATCH leaves the stored scheme unchanged', async (t) => {
  const api = await testApi(t);
  const anna = await employee(api, 'Anna');
  const quinn = await employee(api, 'Quinn', 'quality_control');
  await api.post(URL, { name: 'Taken', steps: [{ type: 'senior_manager' }] });
  const scheme = (await api.post(URL, { name: 'Mine', steps: [{ type: 'employees', employee_ids: [anna], ring_strategy: 'simultaneous' }] })).json();
  const replacement = [{ type: 'external_number', number: '+380441234567' }];
  const failures: Array<[string, unknown, number]> = [
    ['name taken (after the steps were replaced)', { name: 'taken', steps: replacement }, 409],
    ['quality control employee', { steps: [{ type: 'employees', employee_ids: [quinn], ring_strategy: 'sequential' }] }, 422],
    ['unknown employee', { steps: [{ type: 'employees', employee_ids: [anna, 999999], ring_strategy: 'sequential' }] }, 422],
    ['invalid phone', { steps: [{ type: 'external_number', number: 'not a number' }] }, 400],
    ['bad time zone', { steps: [{ type: 'senior_manager', schedule: { ...kyivHours, time_zone: 'Kyiv' } }] }, 400],
    ['empty patch', {}, 400],
  ];
  for (const [name, body, status] of failures) {
    const res = await api.patch(`${URL}/${scheme.id}`, body);
    t.equal(res.statusCode, status, `${name}: ${status}`);
    t.same((await api.get(`${URL}/${scheme.id}`)).json(), scheme, `${name}: scheme unchanged`);
  }
  t.equal((await storedSteps(api, scheme.id)).length, 1, 'still exactly the original step rows');
});

t.test('routing schemes: deleting a scheme in use is a conflict', async (t) => {
  const api = await testApi(t);
  const scheme = (await api.post(URL, { name: 'Used', steps: [{ type: 'senior_manager' }] })).json();
  const { pool } = api.db;
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO tracking_numbers (number, kind, source_name, routing_scheme_id) VALUES ('+380441112233', 'static', 'Billboard', $1) RETURNING id`,
    [scheme.id],
  );
  const byNumber = await api.del(`${URL}/${scheme.id}`);
  t.equal(byNumber.statusCode, 409);
  t.equal(byNumber.json().code, 'SCHEME_IN_USE');
  t.match(byNumber.json().detail, /1 tracking number/);

  await pool.query('UPDATE tracking_numbers SET routing_scheme_id = NULL WHERE id = $1', [rows[0]!.id]);
  const site = await pool.query<{ id: number }>(
    `INSERT INTO sites (name, domain, public_key, fallback_number) VALUES ('S', 's.example.com', 'pk_test', '+380441112244') RETURNING id`,
  );
  await pool.query(`INSERT INTO pools (site_id, name, routing_scheme_id) VALUES ($1, 'Pool', $2)`, [site.rows[0]!.id, scheme.id]);
  const byPool = await api.del(`${URL}/${scheme.id}`);
  t.equal(byPool.statusCode, 409, 'a pool using it blocks the delete too');
  t.match(byPool.json().detail, /1 pool/);
  t.equal((await api.get(`${URL}/${scheme.id}`)).statusCode, 200, 'still there');

  await pool.query('UPDATE pools SET routing_scheme_id = NULL');
  t.equal((await api.del(`${URL}/${scheme.id}`)).statusCode, 204, 'deletable once nothing uses it');
});

t.test('routing schemes: documented in the OpenAPI document', async (t) => {
  const api = await testApi(t);
  const res = await api.app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(res.statusCode, 200);
  const paths = res.json().paths;
  t.ok(paths['/api/v1/routing-schemes/'] ?? paths['/api/v1/routing-schemes'], 'the collection');
  t.ok(paths['/api/v1/routing-schemes/{id}'], 'one scheme');
});
