import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { testApi, type TestApi } from '../../support/app.ts';

const STRONG = 'Str0ng!Passw0rd#';
const anna = { email: 'Anna.Smith@Example.com', full_name: 'Anna Smith' };

/** The messages of the problem's field errors that point at `field` (a JSON pointer into the body). */
function messagesFor(res: LightMyRequestResponse, field: string): string[] {
  const p = res.json<{ errors?: Array<{ field: string; message: string }> }>();
  return (p.errors ?? []).filter((e) => e.field === field).map((e) => e.message);
}

async function count(api: TestApi, table: 'employees' | 'sip_accounts' | 'employee_destinations'): Promise<number> {
  const { rows } = await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

async function create(t: Test, api: TestApi, body: object): Promise<{ id: number; [k: string]: unknown }> {
  const res = await api.post('/api/v1/employees', body);
  t.equal(res.statusCode, 201, `created ${JSON.stringify(body).slice(0, 60)}…`);
  return res.json();
}

t.test('employees: create with defaults, read, list, update, delete', async (t) => {
  const api = await testApi(t);
  const res = await api.post('/api/v1/employees', anna);
  t.equal(res.statusCode, 201, res.body);
  const body = res.json();
  t.equal(body.email, 'anna.smith@example.com', 'email stored in lower case');
  t.match(body, {
    full_name: 'Anna Smith',
    access_level: 'employee',
    sales_role: 'sales_rep',
    extension: null,
    hubspot_owner_id: null,
    receives_new_clients: false,
    is_senior_manager: false,
    main_destinations: [],
    additional_destinations: [],
  }, 'defaults applied');

  const got = await api.get(`/api/v1/employees/${body.id}`);
  t.equal(got.statusCode, 200);
  t.same(got.json(), body, 'GET returns what POST returned');

  const full = {
    email: 'boss@example.com', full_name: 'Bohdan Head', access_level: 'admin', sales_role: 'head', extension: '101',
    hubspot_owner_id: '12345', receives_new_clients: true, is_senior_manager: false,
    main_destinations: [{ type: 'phone', number: '050 765 43 21' }],
  };
  const second = await create(t, api, full);
  t.match(second, { access_level: 'admin', sales_role: 'head', extension: '101', hubspot_owner_id: '12345', receives_new_clients: true });
  const list = await api.get('/api/v1/employees?limit=1&offset=1');
  t.equal(list.statusCode, 200);
  t.match(list.json(), { total: 2, limit: 1, offset: 1 });
  t.equal(list.json().items.length, 1);
  t.same(list.json().items[0].main_destinations, [{ type: 'phone', number: '+380507654321' }], 'list items carry destinations');

  const patched = await api.patch(`/api/v1/employees/${second.id}`, { full_name: 'Bohdan H.', extension: null, hubspot_owner_id: null });
  t.equal(patched.statusCode, 200, patched.body);
  t.match(patched.json(), { full_name: 'Bohdan H.', extension: null, hubspot_owner_id: null, access_level: 'admin', sales_role: 'head' }, 'null clears, untouched fields kept');
  t.same(patched.json().main_destinations, second.main_destinations, 'destinations not in the PATCH are kept');

  t.equal((await api.del(`/api/v1/employees/${body.id}`)).statusCode, 204);
  t.equal((await api.get(`/api/v1/employees/${body.id}`)).statusCode, 404);
  t.equal((await api.del(`/api/v1/employees/${body.id}`)).statusCode, 404, 'second delete is a 404');
});

t.test('employees: destinations are normalised and SIP passwords are stored as digests only', async (t) => {
  const api = await testApi(t);
  const res = await api.post('/api/v1/employees', {
    ...anna,
    main_destinations: [
      { type: 'phone', number: '(050) 123-45-67' },
      { type: 'sip_account', login: 'anna.desk', password: STRONG },
      { type: 'sip_uri', uri: 'Anna@SIP.Example.com' },
    ],
    additional_destinations: [
      { type: 'phone', number: '+380 44 123 4567' },
      { type: 'sip_uri', uri: 'sip:anna@pbx.example.com:5061' },
    ],
  });
  t.equal(res.statusCode, 201, res.body);
  const e = res.json();
  t.match(e.main_destinations, [
    { type: 'phone', number: '+380501234567' },
    { type: 'sip_account', sip_account_id: Number, login: 'anna.desk' },
    { type: 'sip_uri', uri: 'sip:Anna@sip.example.com' },
  ], 'main destinations in order, normalised');
  t.same(e.additional_destinations, [
    { type: 'phone', number: '+380441234567' },
    { type: 'sip_uri', uri: 'sip:anna@pbx.example.com:5061' },
  ]);
  t.same(Object.keys(e.main_destinations[1]).sort(), ['login', 'sip_account_id', 'type'], 'a SIP account shows no password or digest');
  t.notMatch(res.body, /Str0ng|ha1/i, 'the response never contains the password or digests');

  const { rows } = await api.db.pool.query<{ ok_md5: boolean; ok_sha256: boolean; realm: string; row: string }>(
    `SELECT ha1_md5 = md5(login || ':' || realm || ':' || $1) AS ok_md5,
            ha1_sha256 = encode(sha256(convert_to(login || ':' || realm || ':' || $1, 'UTF8')), 'hex') AS ok_sha256,
            realm, row_to_json(s)::text AS row
       FROM sip_accounts s`,
    [STRONG],
  );
  t.equal(rows.length, 1);
  t.ok(rows[0]!.ok_md5, 'the DB holds HA1 = MD5(login:realm:password)');
  t.ok(rows[0]!.ok_sha256, 'the DB holds HA1 = SHA-256(login:realm:password)');
  t.equal(rows[0]!.realm, api.config.sipRealm, 'realm from the config');
  t.notMatch(rows[0]!.row, /Str0ng/, 'the password itself is stored nowhere');
});

t.test('employees: PATCH replaces a list; a SIP login the employee has keeps its account', async (t) => {
  const api = await testApi(t);
  const e = await create(t, api, {
    ...anna,
    main_destinations: [{ type: 'sip_account', login: 'alice', password: STRONG }, { type: 'phone', number: '0501234567' }],
    additional_destinations: [{ type: 'phone', number: '0441234567' }],
  });
  const digests = async () => (await api.db.pool.query('SELECT id, ha1_md5, ha1_sha256 FROM sip_accounts')).rows;
  const before = await digests();
  const url = `/api/v1/employees/${e.id}`;

  const kept = await api.patch(url, { main_destinations: [{ type: 'phone', number: '0671112233' }, { type: 'sip_account', login: 'alice' }] });
  t.equal(kept.statusCode, 200, kept.body);
  t.match(kept.json().main_destinations, [{ type: 'phone', number: '+380671112233' }, { type: 'sip_account', login: 'alice' }], 'new order');
  t.equal(kept.json().main_destinations[1].sip_account_id, (e.main_destinations as Array<{ sip_account_id?: number }>)[0]!.sip_account_id, 'same SIP account');
  t.same(await digests(), before, 'no password: the stored digests are kept');
  t.same(kept.json().additional_destinations, [{ type: 'phone', number: '+380441234567' }], 'the list not sent is untouched');

  const rekeyed = await api.patch(url, { main_destinations: [{ type: 'sip_account', login: 'alice', password: `${STRONG}x` }] });
  t.equal(rekeyed.statusCode, 200, rekeyed.body);
  const after = await digests();
  t.equal(after[0].id, before[0].id, 'a new password keeps the account');
  t.not(after[0].ha1_md5, before[0].ha1_md5, 'and replaces its digests');

  const noPassword = await api.patch(url, { main_destinations: [{ type: 'sip_account', login: 'bob.new' }] });
  t.equal(noPassword.statusCode, 400);
  t.match(messagesFor(noPassword, '/main_destinations/0/password'), [/required for a new SIP account/]);

  const respelt = await api.patch(url, { main_destinations: [{ type: 'sip_account', login: 'Alice' }] });
  t.match(messagesFor(respelt, '/main_destinations/0/password'), [/spelt/], 'changing the case of a login needs the password (HA1 covers the login)');
  const respeltWithPassword = await api.patch(url, { main_destinations: [{ type: 'sip_account', login: 'Alice', password: STRONG }] });
  t.equal(respeltWithPassword.json().main_destinations[0].login, 'Alice', 'with the password it is re-keyed');
  t.equal((await digests())[0].id, before[0].id, 'on the same account');

  const cleared = await api.patch(url, { main_destinations: [] });
  t.equal(cleared.statusCode, 200);
  t.equal(await count(api, 'sip_accounts'), 0, 'a SIP account no destination uses is deleted');
  t.equal(cleared.json().additional_destinations.length, 1);
});

t.test('employees: bad input is a problem naming the field, and stores nothing', async (t) => {
  const api = await testApi(t);
  const phone = (number: string) => ({ type: 'phone', number });
  const uri = (u: string) => ({ ...anna, main_destinations: [{ type: 'sip_uri', uri: u }] });
  const cases: Array<[string, object, string, string]> = [
    ['wrong type (name)', { ...anna, full_name: 5 }, '/full_name', 'VALIDATION_FAILED'],
    ['wrong type (flag)', { ...anna, receives_new_clients: 'yes' }, '/receives_new_clients', 'VALIDATION_FAILED'],
    ['extension as a number', { ...anna, extension: 101 }, '/extension', 'VALIDATION_FAILED'],
    ['extension of 2 digits', { ...anna, extension: '12' }, '/extension', 'VALIDATION_FAILED'],
    ['unknown field', { ...anna, nickname: 'A' }, '/nickname', 'VALIDATION_FAILED'],
    ['unknown destination field', { ...anna, main_destinations: [{ ...phone('0501234567'), label: 'x' }] }, '/main_destinations/0/label', 'VALIDATION_FAILED'],
    ['missing email', { full_name: 'A' }, '/email', 'VALIDATION_FAILED'],
    ['missing full name', { email: 'a@example.com' }, '/full_name', 'VALIDATION_FAILED'],
    ['blank full name', { ...anna, full_name: '   ' }, '/full_name', 'VALIDATION_FAILED'],
    ['bad email', { ...anna, email: 'not-an-email' }, '/email', 'VALIDATION_FAILED'],
    ['unknown access level', { ...anna, access_level: 'root' }, '/access_level', 'VALIDATION_FAILED'],
    ['destination without type', { ...anna, main_destinations: [{ number: '0501234567' }] }, '/main_destinations/0/type', 'VALIDATION_FAILED'],
    ['unknown destination type', { ...anna, main_destinations: [{ type: 'fax', number: '0501234567' }] }, '/main_destinations/0/type', 'VALIDATION_FAILED'],
    ['phone without number', { ...anna, main_destinations: [{ type: 'phone' }] }, '/main_destinations/0/number', 'VALIDATION_FAILED'],
    ['new SIP account without password', { ...anna, main_destinations: [{ type: 'sip_account', login: 'anna' }] }, '/main_destinations/0/password', 'VALIDATION_FAILED'],
    ['SIP login too short', { ...anna, main_destinations: [{ type: 'sip_account', login: 'ab', password: STRONG }] }, '/main_destinations/0/login', 'VALIDATION_FAILED'],
    ['SIP login with a space', { ...anna, main_destinations: [{ type: 'sip_account', login: 'an na', password: STRONG }] }, '/main_destinations/0/login', 'VALIDATION_FAILED'],
    ['invalid phone', { ...anna, main_destinations: [phone('12')] }, '/main_destinations/0/number', 'PHONE_INVALID'],
    ['invalid phone, second additional', { ...anna, additional_destinations: [phone('0501234567'), phone('call me')] }, '/additional_destinations/1/number', 'PHONE_INVALID'],
    ['SIP URI without host', uri('alice'), '/main_destinations/0/uri', 'VALIDATION_FAILED'],
    ['SIP URI with a bad host', uri('alice@bad_host!'), '/main_destinations/0/uri', 'VALIDATION_FAILED'],
    ['SIP URI of another scheme', uri('tel:+380501234567'), '/main_destinations/0/uri', 'VALIDATION_FAILED'],
    ['SIP URI with parameters', uri('alice@sip.example.com;transport=tcp'), '/main_destinations/0/uri', 'VALIDATION_FAILED'],
    ['same phone twice', { ...anna, main_destinations: [phone('0501234567'), phone('+380 50 123 45 67')] }, '/main_destinations/1/number', 'VALIDATION_FAILED'],
    ['same phone main and additional', { ...anna, main_destinations: [phone('0501234567')], additional_destinations: [phone('0501234567')] }, '/additional_destinations/0/number', 'VALIDATION_FAILED'],
    ['same SIP login twice', {
      ...anna,
      main_destinations: [{ type: 'sip_account', login: 'anna', password: STRONG }],
      additional_destinations: [{ type: 'sip_account', login: 'ANNA', password: STRONG }],
    }, '/additional_destinations/0/login', 'VALIDATION_FAILED'],
  ];
  for (const [name, body, field, code] of cases) {
    const res = await api.post('/api/v1/employees', body);
    t.equal(res.statusCode, 400, `${name}: 400`);
    t.match(res.headers['content-type'], /application\/problem\+json/, `${name}: problem+json`);
    t.equal(res.json().code, code, `${name}: ${code}`);
    t.ok(messagesFor(res, field).length > 0, `${name}: names ${field} (${res.body})`);
  }
  t.equal(await count(api, 'employees'), 0, 'no employee stored');
  t.equal(await count(api, 'sip_accounts'), 0, 'no SIP account stored');
  t.equal(await count(api, 'employee_destinations'), 0, 'no destination stored');
  const e = await create(t, api, anna);
  t.equal((await api.patch(`/api/v1/employees/${e.id}`, {})).statusCode, 400, 'empty PATCH rejected');
  t.equal((await api.get('/api/v1/employees/abc')).statusCode, 400, 'non-numeric id rejected');
});

t.test('employees: a weak SIP password is refused, saying what is missing', async (t) => {
  const api = await testApi(t);
  const rules = { length: 'at least 14 characters', upper: 'an upper case letter', lower: 'a lower case letter', digit: 'a digit', special: 'a special character' };
  const variants: Array<[string, Array<keyof typeof rules>]> = [
    ['Sh0rt!Pass', ['length']],
    ['all-lower-case-1', ['upper']],
    ['ALL-UPPER-CASE-1', ['lower']],
    ['No-Digits-Here!', ['digit']],
    ['NoSpecialChars123', ['special']],
    ['password', ['length', 'upper', 'digit', 'special']],
  ];
  for (const [password, missing] of variants) {
    const res = await api.post('/api/v1/employees', { ...anna, main_destinations: [{ type: 'sip_account', login: 'anna', password }] });
    t.equal(res.statusCode, 400, `${password}: 400`);
    t.equal(res.json().code, 'WEAK_SIP_PASSWORD', `${password}: WEAK_SIP_PASSWORD`);
    const [message = ''] = messagesFor(res, '/main_destinations/0/password');
    for (const [rule, text] of Object.entries(rules)) {
      const expected = missing.includes(rule as keyof typeof rules);
      t.equal(message.includes(text), expected, `${password}: ${expected ? 'names' : 'does not name'} ${rule}`);
    }
  }
  const e = await create(t, api, { ...anna, main_destinations: [{ type: 'sip_account', login: 'anna', password: STRONG }] });
  const before = (await api.db.pool.query('SELECT ha1_md5 FROM sip_accounts')).rows;
  const weak = await api.patch(`/api/v1/employees/${e.id}`, { main_destinations: [{ type: 'sip_account', login: 'anna', password: 'weak' }] });
  t.equal(weak.json().code, 'WEAK_SIP_PASSWORD', 'a weak new password for an existing login is refused too');
  t.same((await api.db.pool.query('SELECT ha1_md5 FROM sip_accounts')).rows, before, 'and the old digests stay');
});

t.test('employees: duplicate email, extension and SIP login are conflicts that store nothing', async (t) => {
  const api = await testApi(t);
  const first = await create(t, api, { ...anna, extension: '101', main_destinations: [{ type: 'sip_account', login: 'anna.desk', password: STRONG }] });
  const bohdan = { email: 'bohdan@example.com', full_name: 'Bohdan' };

  const email = await api.post('/api/v1/employees', { ...bohdan, email: 'ANNA.SMITH@example.com' });
  t.equal(email.statusCode, 409);
  t.equal(email.json().code, 'EMAIL_TAKEN');
  t.ok(messagesFor(email, '/email').length, 'names /email');

  const ext = await api.post('/api/v1/employees', { ...bohdan, extension: '101' });
  t.equal(ext.statusCode, 409);
  t.equal(ext.json().code, 'EXTENSION_TAKEN');
  t.ok(messagesFor(ext, '/extension').length, 'names /extension');

  const login = await api.post('/api/v1/employees', { ...bohdan, main_destinations: [{ type: 'sip_account', login: 'Anna.Desk', password: STRONG }] });
  t.equal(login.statusCode, 409, 'a SIP login is unique across employees, case-insensitively');
  t.equal(login.json().code, 'SIP_LOGIN_TAKEN');
  t.ok(messagesFor(login, '/main_destinations/0/login').length, 'names the destination');
  t.equal(await count(api, 'employees'), 1, 'the employee row of the refused create was rolled back');

  const b = await create(t, api, { ...bohdan, main_destinations: [{ type: 'phone', number: '0501234567' }] });
  const patchExt = await api.patch(`/api/v1/employees/${b.id}`, { extension: '101' });
  t.equal(patchExt.json().code, 'EXTENSION_TAKEN', 'PATCH to a taken extension');
  const patchLogin = await api.patch(`/api/v1/employees/${b.id}`, {
    full_name: 'Renamed',
    main_destinations: [{ type: 'sip_account', login: 'anna.desk', password: STRONG }],
  });
  t.equal(patchLogin.json().code, 'SIP_LOGIN_TAKEN', 'PATCH to a taken SIP login');
  const still = (await api.get(`/api/v1/employees/${b.id}`)).json();
  t.equal(still.full_name, 'Bohdan', 'the refused PATCH changed no field');
  t.same(still.main_destinations, [{ type: 'phone', number: '+380501234567' }], 'and dropped no destination');
  t.same((await api.get(`/api/v1/employees/${first.id}`)).json().main_destinations, first.main_destinations, 'the owner keeps the login');
});

t.test('employees: a rejected PATCH leaves the stored destinations as they were', async (t) => {
  const api = await testApi(t);
  const e = await create(t, api, {
    ...anna,
    main_destinations: [{ type: 'phone', number: '0501234567' }, { type: 'sip_account', login: 'anna', password: STRONG }],
    additional_destinations: [{ type: 'sip_uri', uri: 'anna@sip.example.com' }],
  });
  const url = `/api/v1/employees/${e.id}`;
  const bad = await api.patch(url, {
    main_destinations: [{ type: 'phone', number: '0671112233' }],
    additional_destinations: [{ type: 'phone', number: 'nope' }],
  });
  t.equal(bad.statusCode, 400);
  t.ok(messagesFor(bad, '/additional_destinations/0/number').length, 'names the bad number');
  const clash = await api.patch(url, { main_destinations: [{ type: 'sip_uri', uri: 'sip:anna@SIP.example.com' }] });
  t.equal(clash.statusCode, 400, 'a URI already stored as an additional destination');
  t.match(messagesFor(clash, '/main_destinations/0/uri'), [/stored additional/]);
  const got = (await api.get(url)).json();
  t.same(got.main_destinations, e.main_destinations, 'main destinations unchanged');
  t.same(got.additional_destinations, e.additional_destinations, 'additional destinations unchanged');
  t.equal(await count(api, 'sip_accounts'), 1, 'the SIP account survived');
});

t.test('employees: one senior manager, moved atomically', async (t) => {
  const api = await testApi(t);
  const a = await create(t, api, { ...anna, is_senior_manager: true });
  const second = await api.post('/api/v1/employees', { email: 'b@example.com', full_name: 'B', is_senior_manager: true });
  t.equal(second.statusCode, 409);
  t.equal(second.json().code, 'SENIOR_MANAGER_EXISTS');
  t.ok(messagesFor(second, '/is_senior_manager').length, 'names /is_senior_manager');
  const b = await create(t, api, { email: 'b@example.com', full_name: 'B' });
  const c = await create(t, api, { email: 'c@example.com', full_name: 'C', sales_role: 'quality_control', main_destinations: [{ type: 'phone', number: '0501234567' }] });
  t.equal((c.main_destinations as unknown[]).length, 1, 'a quality-control employee may still have destinations');
  t.equal((await api.patch(`/api/v1/employees/${b.id}`, { is_senior_manager: true })).json().code, 'SENIOR_MANAGER_EXISTS', 'PATCH too');

  const moved = await api.post(`/api/v1/employees/${b.id}/senior-manager`, {});
  t.equal(moved.statusCode, 200, moved.body);
  t.equal(moved.json().is_senior_manager, true);
  t.equal((await api.get(`/api/v1/employees/${a.id}`)).json().is_senior_manager, false, 'the previous one lost the flag');
  t.equal((await api.post(`/api/v1/employees/${b.id}/senior-manager`, {})).statusCode, 200, 'moving to the current one is fine');
  t.equal((await api.post('/api/v1/employees/999999/senior-manager', {})).statusCode, 404);

  const racing = await Promise.all([a.id, c.id, a.id, c.id].map((id) => api.post(`/api/v1/employees/${id}/senior-manager`, {})));
  t.same(racing.map((r) => r.statusCode), [200, 200, 200, 200], 'concurrent moves all succeed');
  const { rows } = await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM employees WHERE is_senior_manager');
  t.equal(rows[0]!.n, 1, 'and leave exactly one senior manager');
});

t.test('employees: DELETE is refused while a routing step rings the employee', async (t) => {
  const api = await testApi(t);
  const e = await create(t, api, { ...anna, main_destinations: [{ type: 'sip_account', login: 'anna', password: STRONG }] });
  const db = api.db.pool;
  const scheme = (await db.query<{ id: number }>("INSERT INTO routing_schemes (name) VALUES ('Sales line') RETURNING id")).rows[0]!.id;
  const step = (await db.query<{ id: number }>(
    "INSERT INTO routing_steps (scheme_id, position, type, ring_timeout_s, ring_strategy) VALUES ($1, 0, 'employees', 20, 'simultaneous') RETURNING id",
    [scheme],
  )).rows[0]!.id;
  await db.query('INSERT INTO routing_step_employees (step_id, employee_id, position) VALUES ($1, $2, 0)', [step, e.id]);

  const refused = await api.del(`/api/v1/employees/${e.id}`);
  t.equal(refused.statusCode, 409);
  t.equal(refused.json().code, 'EMPLOYEE_IN_ROUTING_SCHEME');
  t.match(refused.json().detail, /Sales line/, 'names the routing scheme');
  t.same((await api.get(`/api/v1/employees/${e.id}`)).json(), e, 'the employee is untouched');

  await db.query('DELETE FROM routing_steps WHERE id = $1', [step]);
  t.equal((await api.del(`/api/v1/employees/${e.id}`)).statusCode, 204);
  t.equal(await count(api, 'sip_accounts'), 0, 'their SIP accounts went with them');
});

t.test('employees: unknown ids are 404s', async (t) => {
  const api = await testApi(t);
  for (const [name, res] of [
    ['GET', await api.get('/api/v1/employees/424242')],
    ['PATCH', await api.patch('/api/v1/employees/424242', { full_name: 'X' })],
    ['DELETE', await api.del('/api/v1/employees/424242')],
  ] as const) {
    t.equal(res.statusCode, 404, `${name} 404`);
    t.equal(res.json().code, 'NOT_FOUND', `${name} NOT_FOUND`);
  }
});

t.test('employees: the OpenAPI document describes the resource', async (t) => {
  const api = await testApi(t);
  const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
  t.ok(doc.paths['/api/v1/employees/'] ?? doc.paths['/api/v1/employees'], 'collection path');
  t.same(doc.paths['/api/v1/employees/{id}/senior-manager'].post.tags, ['employees'], 'senior manager move, tagged');
});
