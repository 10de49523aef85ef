// Errors people can read: malformed JSON, format messages, one stable code per conflict.
import t from 'tap';
import { BLOCKING_REFERENCES, UNIQUE_CONSTRAINTS } from '../../../src/http/problem.ts';
import { testApi, type TestApi } from '../../support/app.ts';

const raw = (api: TestApi, method: 'POST' | 'PATCH', url: string, payload: string) =>
  api.app.inject({ method, url, headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' }, payload });

t.test('malformed JSON is INVALID_JSON with the line and column of the fault', async (t) => {
  const api = await testApi(t);
  const cases: Array<[string, string, RegExp]> = [
    ['a trailing comma on line 3', '{\n  "name": "Main",\n  "steps": [],\n}', /line 4, column 1: a comma before "}"/],
    ['a missing comma', '{\n  "name": "Main"\n  "steps": []\n}', /line 3, column 3: expected "," or "}" but found "\\""/],
    ['single quotes', "{'name': 'Main'}", /line 1, column 2: .*double quotes/],
    ['cut short', '{"name": "Ma', /line 1, column 13: a string is not closed/],
  ];
  for (const [name, body, detail] of cases) {
    const r = await raw(api, 'POST', '/api/v1/routing-schemes', body);
    t.equal(r.statusCode, 400, name);
    t.equal(r.json().code, 'INVALID_JSON', name);
    t.match(r.json().detail, detail, name);
    t.notMatch(r.body, /FST_/, `${name}: no framework code`);
  }
  const empty = await raw(api, 'POST', '/api/v1/routing-schemes', '');
  t.match(empty.json(), { status: 400, code: 'INVALID_JSON', detail: /the body is empty/ });
  const poisoned = await raw(api, 'POST', '/api/v1/routing-schemes', '{"__proto__": {"x": 1}}');
  t.match(poisoned.json(), { status: 400, code: 'INVALID_JSON', detail: /__proto__/ });
  t.equal((await api.get('/api/v1/routing-schemes')).json().total, 0, 'nothing was stored');
});

t.test('format errors are sentences, never regular expressions', async (t) => {
  const api = await testApi(t);
  const site = { name: 'Shop', domain: 'shop.example.com', fallback_number: '+380441110000' };
  const cases: Array<[string, string, unknown, string, string]> = [
    ['a bad domain', '/api/v1/sites', { ...site, domain: 'not a domain' }, '/domain', 'must be a domain name such as example.com'],
    ['a bad email', '/api/v1/employees', { email: 'ana', full_name: 'Ana' }, '/email', 'must be an email address such as ana@example.com'],
    ['a bad extension', '/api/v1/employees', { email: 'a@example.com', full_name: 'Ana', extension: '12' }, '/extension', 'must be 3 digits such as 101'],
    ['a blank name', '/api/v1/employees', { email: 'a@example.com', full_name: '   ' }, '/full_name', 'must not be blank'],
    [
      'a bad SIP login',
      '/api/v1/employees',
      { email: 'a@example.com', full_name: 'Ana', main_destinations: [{ type: 'sip_account', login: 'a b', password: 'Secret-password-1' }] },
      '/main_destinations/0/login',
      'must be 3–64 of A–Z a–z 0–9 . _ -, such as olena.k',
    ],
    ['a name of the wrong type', '/api/v1/employees', { email: 'a@example.com', full_name: 5 }, '/full_name', 'must be a string'],
    ['an empty name', '/api/v1/sites', { ...site, name: '' }, '/name', 'must not be empty'],
  ];
  for (const [name, url, body, field, message] of cases) {
    const r = await api.post(url, body);
    t.equal(r.statusCode, 400, name);
    t.same(r.json().errors, [{ field, message }], name);
    t.notMatch(r.json().detail, /[\^$\\]|must match/, `${name}: no regular expression in the detail`);
  }
});

t.test('every conflict has its own stable code', async (t) => {
  const api = await testApi(t);
  const site = { name: 'Shop', domain: 'shop.example.com', fallback_number: '+380441110000' };
  const siteId = (await api.post('/api/v1/sites', site)).json().id;
  t.match((await api.post('/api/v1/sites', { ...site, domain: 'SHOP.example.com' })).json(), { status: 409, code: 'SITE_DOMAIN_TAKEN', errors: [{ field: '/domain' }] });

  t.equal((await api.post('/api/v1/pools', { site_id: siteId, name: 'Pool' })).statusCode, 201);
  t.match((await api.post('/api/v1/pools', { site_id: siteId, name: 'Again' })).json(), { status: 409, code: 'SITE_HAS_POOL' });
  const del = await api.del(`/api/v1/sites/${siteId}`);
  t.match(del.json(), { status: 409, code: 'SITE_HAS_POOL', detail: /delete the pool first/ }, 'a site with a pool cannot be deleted');

  const steps = [{ type: 'senior_manager' }];
  t.equal((await api.post('/api/v1/routing-schemes', { name: 'Main', steps })).statusCode, 201);
  t.match((await api.post('/api/v1/routing-schemes', { name: 'main', steps })).json(), { status: 409, code: 'SCHEME_NAME_TAKEN', errors: [{ field: '/name' }] });

  await api.post('/api/v1/employees', { email: 'a@example.com', full_name: 'Ana', is_senior_manager: true });
  const second = await api.post('/api/v1/employees', { email: 'b@example.com', full_name: 'Bo', is_senior_manager: true });
  t.equal(second.json().code, 'SENIOR_MANAGER_EXISTS');
  t.match(second.json().detail, /^Another employee is already the senior manager, and there can be only one\. .*\.$/, 'reads as a sentence');
});

t.test('every unique index and delete-blocking foreign key maps to a conflict code of its own', async (t) => {
  const api = await testApi(t);
  // constraints no API request can break: written by ringpath itself, or guarded by the route before any write
  const internal = new Set([
    'api_keys_prefix_key', 'calls_sip_call_id_key', 'crm_sync_ledger_call_key', 'visitor_sessions_public_id', 'tracking_numbers_held_by',
    'sites_public_key_key', 'sip_registrations_sip_account_id_contact_uri_key',
    // a call's one live recording token, and a delivery's webhook-id: both written by ringpath
    'recording_tokens_live', 'webhook_deliveries_message_id_key',
    // lists the routes replace whole, numbering them themselves
    'employee_destinations_employee_id_role_position_key', 'routing_steps_scheme_id_position_key', 'site_source_rules_site_id_position_key',
  ]);
  const { rows: uniques } = await api.db.pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE i.indisunique AND NOT i.indisprimary AND n.nspname = 'public' AND c.relname NOT LIKE 'pgmigrations%' ORDER BY 1`,
  );
  const { rows: blocking } = await api.db.pool.query<{ name: string }>(
    `SELECT conname AS name FROM pg_constraint WHERE contype = 'f' AND confdeltype IN ('r', 'a') AND connamespace = 'public'::regnamespace ORDER BY 1`,
  );
  for (const name of internal) t.ok(uniques.some((u) => u.name === name), `${name} exists (the list above is current)`);
  const codes = new Set<string>();
  for (const { name } of uniques) {
    if (internal.has(name)) continue;
    t.ok(UNIQUE_CONSTRAINTS[name], `unique index ${name} has a conflict code`);
    if (UNIQUE_CONSTRAINTS[name]) codes.add(`${UNIQUE_CONSTRAINTS[name]!.code} ${UNIQUE_CONSTRAINTS[name]!.field}`);
  }
  for (const { name } of blocking) t.ok(BLOCKING_REFERENCES[name], `foreign key ${name} blocking a delete has a conflict code`);
  t.equal(codes.size, Object.keys(UNIQUE_CONSTRAINTS).length, 'no two unique indexes share a code and field');
  for (const c of [...Object.values(UNIQUE_CONSTRAINTS), ...Object.values(BLOCKING_REFERENCES)]) t.not(c.code, 'CONFLICT');
});
