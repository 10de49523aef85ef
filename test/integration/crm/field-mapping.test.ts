// The additional field mapping checked against HubSpot's properties API: an unknown
// property is refused when the mapping is saved (or created on request), and a mapped
// property missing at start is reported and left out rather than dead-lettering calls.
import t from 'tap';
import { checkFieldMapping, mappingTarget } from '../../../src/crm/field-mapping-check.ts';
import { crm } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

t.test('checkFieldMapping', async (t) => {
  const known = [{ name: 'gclid', readOnly: false }, { name: 'hs_analytics_source', readOnly: true }];
  t.same(checkFieldMapping({ gclid: 'gclid' }, 'deals', known), [], 'a known, writable property');
  t.match(checkFieldMapping({ gclid: 'gclid_x' }, 'deals', known), [{ field: 'gclid', property: 'gclid_x', problem: 'unknown', message: /deals have no property "gclid_x" \(mapped from gclid\)/ }]);
  t.match(checkFieldMapping({ utm_source: 'hs_analytics_source' }, 'contacts', known), [{ problem: 'read_only', message: /read-only/ }]);
  t.same(mappingTarget('contact_and_deal'), 'deals');
  t.same(mappingTarget('contact'), 'contacts');
});

t.test('saving a mapping: unknown properties refused with their names, or created on request', async (t) => {
  const w = await crmWorld(t);
  const api = await w.api();
  const refused = await api.patch('/api/v1/settings', { crm_field_mapping: { gclid: 'google_click_id', utm_term: 'dealname' } });
  t.equal(refused.statusCode, 422, refused.body);
  t.match(refused.json(), {
    code: 'REFERENCE_NOT_FOUND',
    detail: /deals have no property "google_click_id" \(mapped from gclid\).*create_missing_crm_properties=true/,
    errors: [{ field: '/crm_field_mapping/gclid' }],
  });
  t.same((await api.get('/api/v1/settings')).json().crm_field_mapping, {}, 'nothing saved');

  const created = await api.patch('/api/v1/settings?create_missing_crm_properties=true', { crm_field_mapping: { gclid: 'google_click_id' } });
  t.equal(created.statusCode, 200, created.body);
  t.same(created.json().crm_field_mapping, { gclid: 'google_click_id' });
  const def = await w.emulator.control.requests.count('POST /crm/v3/properties/deals');
  t.equal(def, 1, 'created in HubSpot');

  const readOnly = await api.patch('/api/v1/settings?create_missing_crm_properties=true', { crm_field_mapping: { gclid: 'hs_is_closed' } });
  t.equal(readOnly.statusCode, 422, 'a read-only property is refused, even on request');
  t.equal((await api.patch('/api/v1/settings', { crm_field_mapping: {} })).statusCode, 200, 'clearing the mapping needs no check');
});

t.test('at start, a mapped property HubSpot does not have is reported and left out; calls are synced', async (t) => {
  const w = await crmWorld(t);
  const api = await w.api();
  await w.settings({ crm_field_mapping: { gclid: 'gone_property' } });
  await w.startWorker();
  const id = await w.record({ client: '+380507330001', answeredBy: w.ana });
  t.same(await w.settled([id]), { [id]: 'synced' }, 'not dead-lettered');
  t.ok(crm(w.emulator).ofCall('deals', id)[0], 'the deal is written');
  const problems = (await api.get('/api/v1/crm/sync-status')).json().property_problems as Array<{ object_type: string; property: string; reason: string }>;
  t.match(problems, [{ object_type: 'deals', property: 'gone_property', reason: /mapped from gclid.*not written/ }]);
});
