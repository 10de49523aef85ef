// GET /api/v1/crm/owners and the checks on an employee's hubspot_owner_id: an owner
// HubSpot does not have is refused, and so is an owner another employee already has.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

t.test('owners from the mirror; unknown, deactivated and shared owners are refused', async (t) => {
  const { emulator } = await hubspotForTest(t);
  const api = await testApi(t, { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url });
  const ana = emulator.control.addOwner({ email: 'ana@example.com', firstName: 'Ana', lastName: 'Alvarez' });
  const boris = emulator.control.addOwner({ email: 'boris@example.com', firstName: 'Boris', lastName: 'Bondar' });

  const early = await api.post('/api/v1/employees', { email: 'a@example.com', full_name: 'Ana A', hubspot_owner_id: ana.id });
  t.equal(early.statusCode, 422, 'before the first refresh there is nothing to check against');
  t.match(early.json(), { code: 'REFERENCE_NOT_FOUND', errors: [{ field: '/hubspot_owner_id', message: /Refresh CRM data/ }] });

  t.equal((await api.post('/api/v1/crm/refresh', {})).statusCode, 200);
  const first = await api.post('/api/v1/employees', { email: 'a@example.com', full_name: 'Ana A', hubspot_owner_id: ana.id });
  t.equal(first.statusCode, 201, first.body);
  const second = await api.post('/api/v1/employees', { email: 'b@example.com', full_name: 'Boris B' });
  t.equal(second.statusCode, 201, second.body);
  const boId = second.json().id as number;

  const owners = await api.get('/api/v1/crm/owners');
  t.equal(owners.statusCode, 200, owners.body);
  t.same(owners.json().items.map((o: { id: string; employee: unknown }) => [o.id, o.employee]), [
    [ana.id, { id: first.json().id, full_name: 'Ana A' }],
    [boris.id, null],
  ]);
  t.match(owners.json().items[0], { email: 'ana@example.com', first_name: 'Ana', last_name: 'Alvarez', archived: false });

  const unknown = await api.patch(`/api/v1/employees/${boId}`, { hubspot_owner_id: '999999' });
  t.equal(unknown.statusCode, 422);
  t.match(unknown.json(), { code: 'REFERENCE_NOT_FOUND', detail: /999999 is not one of HubSpot's owners/ });

  const shared = await api.patch(`/api/v1/employees/${boId}`, { hubspot_owner_id: ana.id });
  t.equal(shared.statusCode, 409);
  t.match(shared.json(), { code: 'CRM_OWNER_TAKEN', detail: new RegExp(`employee ${first.json().id} \\(Ana A\\)`) });
  const sharedNew = await api.post('/api/v1/employees', { email: 'c@example.com', full_name: 'Carla C', hubspot_owner_id: ana.id });
  t.equal(sharedNew.statusCode, 409, 'a new employee cannot take a mapped owner either');
  t.equal((await api.get(`/api/v1/employees/${boId}`)).json().hubspot_owner_id, null, 'nothing stored');

  const fine = await api.patch(`/api/v1/employees/${boId}`, { hubspot_owner_id: boris.id });
  t.equal(fine.statusCode, 200, fine.body);
  t.equal((await api.patch(`/api/v1/employees/${first.json().id}`, { full_name: 'Ana Alvarez', hubspot_owner_id: ana.id })).statusCode, 200, 'keeping one\'s own owner is fine');

  // Deactivated in HubSpot, then refreshed: cannot be mapped any more.
  await api.db.pool.query(`UPDATE crm_owners SET archived = true WHERE id = $1`, [ana.id]);
  t.equal((await api.patch(`/api/v1/employees/${first.json().id}`, { hubspot_owner_id: null })).statusCode, 200, 'unmapping is always allowed');
  const archived = await api.patch(`/api/v1/employees/${first.json().id}`, { hubspot_owner_id: ana.id });
  t.equal(archived.statusCode, 422);
  t.match(archived.json(), { detail: /deactivated/ });
});
