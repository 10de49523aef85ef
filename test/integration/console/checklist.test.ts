// GET /api/v1/console/checklist follows the setup as it is done, and
// GET /api/v1/console/crm-owners lists the mirror's owners with who each is mapped to.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { askSession, dniSite, PAGE } from '../../support/dni.ts';

const state = async (api: Awaited<ReturnType<typeof testApi>>) =>
  Object.fromEntries(((await api.get('/api/v1/console/checklist')).json().items as Array<{ id: string; done: boolean }>).map((i) => [i.id, i.done]));

t.test('the checklist turns each step done as it is set up', async (t) => {
  const api = await testApi(t, { DRACHTIO_HOST: '127.0.0.1', TRUNK_URI: 'sip:sbc.carrier.example', HUBSPOT_TOKEN: 'pat-x' });
  t.same(await state(api), { trunk: true, tracking_numbers: false, employees: false, hubspot: false, routing_scheme: false, snippet: false });
  const scheme = (await api.post('/api/v1/routing-schemes', { name: 'Main', steps: [{ type: 'senior_manager' }] })).json().id;
  await api.post('/api/v1/tracking-numbers', { number: '+380441110001', kind: 'static', source_name: 'Billboard', routing_scheme_id: scheme });
  const employee = await api.post('/api/v1/employees', { email: 'a@example.com', full_name: 'A', main_destinations: [{ type: 'phone', number: '+380501110001' }] });
  t.equal(employee.statusCode, 201, employee.body);
  t.match(await state(api), { tracking_numbers: true, employees: true, routing_scheme: true, hubspot: false }, 'no owners in the mirror yet');
  await api.db.pool.query(`INSERT INTO crm_owners (id, email, first_name, last_name) VALUES ('501', 'a@example.com', 'Anna', 'K'), ('502', 'b@example.com', 'Boris', 'M')`);
  t.match(await state(api), { hubspot: false }, 'owners in the mirror, none mapped to an employee yet');
  const mapped = await api.patch(`/api/v1/employees/${employee.json().id}`, { hubspot_owner_id: '501' });
  t.equal(mapped.statusCode, 200, mapped.body);
  t.match(await state(api), { hubspot: true });
  const site = await dniSite(api, { pool: 1 });
  const visit = await askSession(api.app, { site: site.key, page: PAGE });
  t.equal(visit.statusCode, 200, visit.body);
  t.match(await state(api), { snippet: true }, 'a first visit was seen');
  const done = (await api.get('/api/v1/console/checklist')).json();
  t.equal(done.done, true, 'everything is set up');

  const owners = (await api.get('/api/v1/console/crm-owners')).json().items;
  t.same(owners, [
    { id: '501', email: 'a@example.com', name: 'Anna K', mapped_employee_id: owners[0].mapped_employee_id, mapped_employee_name: 'A' },
    { id: '502', email: 'b@example.com', name: 'Boris M', mapped_employee_id: null, mapped_employee_name: null },
  ]);
  t.type(owners[0].mapped_employee_id, 'number');
});

t.test('without the SIP side or HubSpot the checklist says what to set', async (t) => {
  const api = await testApi(t);
  const items = (await api.get('/api/v1/console/checklist')).json().items as Array<{ id: string; missing: string | null; page: string | null }>;
  t.match(items.find((i) => i.id === 'trunk'), { missing: 'sip_side_off', page: null });
  t.match(items.find((i) => i.id === 'hubspot'), { missing: 'hubspot_not_connected', page: '/crm' });
});
