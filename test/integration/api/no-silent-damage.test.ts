// Deleting or demoting what others depend on is refused (409) naming them; ?force=true
// goes ahead and reports them. Tracking numbers that ring nobody are accepted with warnings.
import t from 'tap';
import { testApi, type TestApi } from '../../support/app.ts';

async function employee(api: TestApi, body: object): Promise<number> {
  const r = await api.post('/api/v1/employees', body);
  if (r.statusCode !== 201) throw new Error(r.body);
  return r.json().id;
}

async function seniorScheme(api: TestApi, name: string): Promise<number> {
  const r = await api.post('/api/v1/routing-schemes', { name, steps: [{ type: 'senior_manager' }] });
  if (r.statusCode !== 201) throw new Error(r.body);
  return r.json().id;
}

const isSenior = async (api: TestApi, id: number) => (await api.get(`/api/v1/employees/${id}`)).json().is_senior_manager;

t.test('the senior manager a routing scheme rings cannot be demoted or deleted without force', async (t) => {
  const api = await testApi(t);
  const boss = await employee(api, { email: 'boss@example.com', full_name: 'Boss', is_senior_manager: true });
  const schemeId = await seniorScheme(api, 'Main');

  const demote = await api.patch(`/api/v1/employees/${boss}`, { is_senior_manager: false });
  t.equal(demote.statusCode, 409);
  t.match(demote.json(), {
    code: 'SENIOR_MANAGER_NEEDED',
    detail: /^Demoting employee \d+, the senior manager, would leave these without one: routing scheme "Main"/,
    dependants: [{ kind: 'routing_scheme', id: schemeId, name: 'Main', reason: /senior-manager step/ }],
  });
  t.equal(await isSenior(api, boss), true, 'still the senior manager');

  const del = await api.del(`/api/v1/employees/${boss}`);
  t.equal(del.statusCode, 409);
  t.match(del.json(), { code: 'SENIOR_MANAGER_NEEDED', dependants: [{ kind: 'routing_scheme', id: schemeId }] });
  t.equal((await api.get(`/api/v1/employees/${boss}`)).statusCode, 200, 'not deleted');

  const forced = await api.patch(`/api/v1/employees/${boss}?force=true`, { is_senior_manager: false });
  t.equal(forced.statusCode, 200);
  t.match(forced.json(), { is_senior_manager: false, warnings: [{ code: 'NO_SENIOR_MANAGER', message: /routing scheme "Main" \(id \d+\) has a senior-manager step/ }] });

  const other = await employee(api, { email: 'rep@example.com', full_name: 'Rep' });
  const plain = await api.patch(`/api/v1/employees/${other}`, { full_name: 'Rep R.' });
  t.notOk('warnings' in plain.json(), 'an ordinary change carries no warnings');
  t.equal((await api.del(`/api/v1/employees/${other}`)).statusCode, 204, 'an employee nothing depends on is deleted as before');
});

t.test('while CRM sync is on the senior manager is needed even with no senior-manager step', async (t) => {
  const api = await testApi(t, { HUBSPOT_TOKEN: 'pat-test-token' });
  const boss = await employee(api, { email: 'boss@example.com', full_name: 'Boss', is_senior_manager: true });
  const del = await api.del(`/api/v1/employees/${boss}`);
  t.equal(del.statusCode, 409);
  t.match(del.json(), { code: 'SENIOR_MANAGER_NEEDED', dependants: [{ kind: 'crm_sync', id: null, name: 'CRM sync' }] });
  t.equal((await api.patch(`/api/v1/employees/${boss}`, { is_senior_manager: false })).json().code, 'SENIOR_MANAGER_NEEDED', 'demoting too');

  const forced = await api.del(`/api/v1/employees/${boss}?force=true`);
  t.equal(forced.statusCode, 200);
  t.match(forced.json(), { id: boss, deleted: true, warnings: [{ code: 'NO_SENIOR_MANAGER', message: /^CRM sync gives the senior manager/ }] });
  t.equal((await api.get(`/api/v1/employees/${boss}`)).statusCode, 404, 'deleted');
});

t.test('with CRM sync off and no senior-manager step the senior manager goes freely', async (t) => {
  const api = await testApi(t);
  const boss = await employee(api, { email: 'boss@example.com', full_name: 'Boss', is_senior_manager: true });
  t.equal((await api.patch(`/api/v1/employees/${boss}`, { is_senior_manager: false })).statusCode, 200);
  t.equal((await api.del(`/api/v1/employees/${boss}`)).statusCode, 204);
});

t.test("the employee whose caller id a tracking number is cannot be deleted without force", async (t) => {
  const api = await testApi(t);
  const scheme = (await api.post('/api/v1/routing-schemes', { name: 'Any', steps: [{ type: 'external_number', number: '+380441110000' }] })).json().id;
  const ana = await employee(api, { email: 'ana@example.com', full_name: 'Ana' });
  const tn = (await api.post('/api/v1/tracking-numbers', { number: '+380442223344', kind: 'static', source_name: 'Flyer', routing_scheme_id: scheme, caller_id_for_employee_id: ana })).json();

  const del = await api.del(`/api/v1/employees/${ana}`);
  t.equal(del.statusCode, 409);
  t.match(del.json(), {
    code: 'EMPLOYEE_IS_CALLER_ID',
    detail: /tracking number "\+380442223344"/,
    dependants: [{ kind: 'tracking_number', id: tn.id, name: '+380442223344' }],
  });
  t.equal((await api.get(`/api/v1/tracking-numbers/${tn.id}`)).json().caller_id_for_employee_id, ana, 'the number keeps its employee');

  const forced = await api.del(`/api/v1/employees/${ana}?force=true`);
  t.equal(forced.statusCode, 200);
  t.match(forced.json(), { deleted: true, warnings: [{ code: 'CALLER_ID_UNASSIGNED', message: /"\+380442223344"/ }] });
  t.equal((await api.get(`/api/v1/tracking-numbers/${tn.id}`)).json().caller_id_for_employee_id, null);
});

t.test('a tracking number with no routing scheme, or on an employee destination, is accepted with warnings', async (t) => {
  const api = await testApi(t);
  const bare = await api.post('/api/v1/tracking-numbers', { number: '+380442223344', kind: 'static', source_name: 'Flyer' });
  t.equal(bare.statusCode, 201);
  t.match(bare.json().warnings, [{ code: 'NO_ROUTING_SCHEME', message: /ring nobody/ }]);
  t.equal(bare.json().warnings.length, 1);

  const ana = await employee(api, { email: 'ana@example.com', full_name: 'Ana', main_destinations: [{ type: 'phone', number: '050 123 45 67' }] });
  const scheme = (await api.post('/api/v1/routing-schemes', { name: 'Any', steps: [{ type: 'external_number', number: '+380441110000' }] })).json().id;
  const mobile = await api.post('/api/v1/tracking-numbers', { number: '+380501234567', kind: 'static', source_name: 'Radio', routing_scheme_id: scheme });
  t.equal(mobile.statusCode, 201);
  t.match(mobile.json().warnings, [{ code: 'NUMBER_IS_EMPLOYEE_DESTINATION', message: new RegExp(`employee "Ana" \\(id ${ana}\\)`) }]);

  const fixed = await api.patch(`/api/v1/tracking-numbers/${bare.json().id}`, { routing_scheme_id: scheme });
  t.same(fixed.json().warnings, [], 'no warnings once it has a scheme');
  const unset = await api.patch(`/api/v1/tracking-numbers/${bare.json().id}`, { routing_scheme_id: null });
  t.match(unset.json().warnings, [{ code: 'NO_ROUTING_SCHEME' }], 'and again when PATCH takes it away');
});

t.test('numbers added to a pool without a routing scheme are accepted with warnings', async (t) => {
  const api = await testApi(t);
  const site = (await api.post('/api/v1/sites', { name: 'Shop', domain: 'shop.example.com', fallback_number: '+380441110000' })).json().id;
  const poolId = (await api.post('/api/v1/pools', { site_id: site, name: 'Pool' })).json().id;
  await employee(api, { email: 'ana@example.com', full_name: 'Ana', main_destinations: [{ type: 'phone', number: '044 222 33 02' }] });
  const added = await api.post(`/api/v1/pools/${poolId}/numbers`, { numbers: ['044 222 33 01', '044 222 33 02'] });
  t.equal(added.statusCode, 201, added.body);
  t.same(added.json().numbers, ['+380442223301', '+380442223302']);
  t.match(added.json().warnings, [
    { code: 'NO_ROUTING_SCHEME', message: /the 2 numbers added ring nobody/ },
    { code: 'NUMBER_IS_EMPLOYEE_DESTINATION', message: /^\+380442223302 .*"Ana"/ },
  ]);
  t.equal(added.json().warnings.length, 2);

  const scheme = (await api.post('/api/v1/routing-schemes', { name: 'Any', steps: [{ type: 'external_number', number: '+380441110000' }] })).json().id;
  await api.patch(`/api/v1/pools/${poolId}`, { routing_scheme_id: scheme });
  const more = await api.post(`/api/v1/pools/${poolId}/numbers`, { numbers: ['044 222 33 03'] });
  t.same(more.json().warnings, [], 'no warnings once the pool has a scheme');
});
