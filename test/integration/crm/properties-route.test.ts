// GET /api/v1/crm/properties lists HubSpot's properties of calls, contacts or
// deals (read from HubSpot through the gateway), and GET /api/v1/crm/pipelines
// the mirror's deal pipelines with their stages, for the console's CRM settings.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

t.test("HubSpot's properties of each object type, with the read-only ones marked; a bad object type is refused", async (t) => {
  const { emulator } = await hubspotForTest(t);
  emulator.control.defineProperty('deals', { name: 'google_click_id', label: 'Google click id' });
  const api = await testApi(t, { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url });

  const deals = await api.get('/api/v1/crm/properties?object=deals');
  t.equal(deals.statusCode, 200, deals.body);
  const items = deals.json().items as Array<{ name: string; label: string; read_only: boolean }>;
  t.match(items.find((p) => p.name === 'google_click_id'), { label: 'Google click id', type: 'string', read_only: false }, 'a custom property');
  t.match(items.find((p) => p.name === 'hs_is_closed'), { read_only: true }, 'a read-only one is marked');
  t.same([...items].map((p) => p.label), [...items].map((p) => p.label).sort((a, b) => a.localeCompare(b, 'en')), 'by label');
  t.equal(emulator.control.requests.count('GET /crm/v3/properties/deals'), 1, 'read from HubSpot');

  const contacts = (await api.get('/api/v1/crm/properties?object=contacts')).json().items as Array<{ name: string }>;
  t.ok(contacts.some((p) => p.name === 'phone') && !contacts.some((p) => p.name === 'google_click_id'), "the contacts' own properties");
  t.equal((await api.get('/api/v1/crm/properties?object=calls')).statusCode, 200, 'calls too');

  const bad = await api.get('/api/v1/crm/properties?object=tickets');
  t.equal(bad.statusCode, 400);
  t.match(bad.json().detail, /object/, 'names the parameter');
});

t.test('without HubSpot the properties are 409 CRM_SYNC_OFF; HubSpot refusing is 502', async (t) => {
  const off = await testApi(t);
  const refusedOff = await off.get('/api/v1/crm/properties?object=deals');
  t.equal(refusedOff.statusCode, 409);
  t.match(refusedOff.json(), { code: 'CRM_SYNC_OFF' });
  const { emulator } = await hubspotForTest(t);
  const api = await testApi(t, { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url });
  emulator.control.faults.failNext(1, { status: 403 });
  const refused = await api.get('/api/v1/crm/properties?object=deals');
  t.equal(refused.statusCode, 502, refused.body);
  t.match(refused.json(), { code: 'CRM_REFUSED' });
});

t.test("the mirror's pipelines with their stages in order", async (t) => {
  const { emulator } = await hubspotForTest(t);
  const api = await testApi(t, { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url });
  t.same((await api.get('/api/v1/crm/pipelines')).json(), { items: [] }, 'empty before a refresh');
  t.equal((await api.post('/api/v1/crm/refresh', {})).statusCode, 200);
  const items = (await api.get('/api/v1/crm/pipelines')).json().items as Array<{ id: string; stages: Array<{ id: string; is_closed: boolean }> }>;
  t.ok(items.length >= 1, 'the default pipeline');
  t.ok(items[0]!.stages.length >= 2, 'with its stages');
  t.ok(items[0]!.stages.some((s) => s.is_closed), 'closed stages marked');
});
