// Properties HubSpot does not have must not dead-letter calls: ringpath's custom
// properties that HubSpot refuses to create (ensureSchema refused), and a property
// deleted in HubSpot later. Calls are synced without them, the problem is reported
// once, and the CRM status lists it.
import t from 'tap';
import { Client } from '@hubspot/api-client';
import { missingPropertiesOf, withoutMissing } from '../../../src/crm/hubspot/property-guard.ts';
import { crm } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

t.test('reading HubSpot\'s "property does not exist" answer', async (t) => {
  const body = (problems: unknown) => ({ status: 'error', category: 'VALIDATION_ERROR', message: `Property values were not valid: ${JSON.stringify(problems)}` });
  const gone = (name: string) => ({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
  t.same(missingPropertiesOf(400, body([gone('ringpath_utm_source'), gone('lead_source')])), ['ringpath_utm_source', 'lead_source']);
  t.same(missingPropertiesOf(400, body([gone('a'), { isValid: false, error: 'INVALID_OPTION', name: 'dealstage' }])), [], 'another problem too: not only missing properties');
  t.same(missingPropertiesOf(409, body([gone('a')])), [], 'only a 400');
  t.same(missingPropertiesOf(400, { message: 'Property values were not valid: not json' }), []);
  t.same(missingPropertiesOf(400, 'html'), []);
  t.same(withoutMissing({ phone: '+1', ringpath_call_id: 'x' }, new Set(['ringpath_call_id'])), { phone: '+1' });
});

t.test('HubSpot refuses to create the custom properties: calls are synced without them, and the status says why', async (t) => {
  const w = await crmWorld(t);
  const api = await w.api();
  w.emulator.control.faults.failNext(1_000, { status: 403, route: 'POST /crm/v3/properties/{objectType}' });
  await w.startWorker();
  const ids = [await w.record({ client: '+380507310001', answeredBy: w.ana }), await w.record({ client: '+380507310002', disposition: 'missed' })];
  t.same(Object.values(await w.settled(ids)), ['synced', 'synced'], 'not dead-lettered');
  t.equal(w.emulator.control.requests.count((r) => r.status === 400), 0, 'no write was refused: the missing properties were never sent');
  const hs = crm(w.emulator);
  const contact = w.emulator.control.records('contacts').find((c) => c.properties.phone === '+380507310001');
  t.ok(contact, 'the contact is written');
  t.notOk(contact?.properties.ringpath_call_id, 'without ringpath_call_id');
  t.equal(w.emulator.control.records('calls').filter((c) => c.properties.hs_call_external_id === ids[0]).length, 1, 'the engagement is known by its documented external id');
  t.equal(hs.count('tasks'), 2, 'the completed task and the call-back task');

  const status = await api.get('/api/v1/crm/sync-status');
  t.equal(status.statusCode, 200, status.body);
  const problems = status.json().property_problems as Array<{ object_type: string; property: string; reason: string }>;
  t.ok(problems.some((p) => p.object_type === 'contacts' && p.property === 'ringpath_call_id'), 'listed: contacts ringpath_call_id');
  t.ok(problems.some((p) => p.object_type === 'tasks' && p.property === 'ringpath_write_key'), 'listed: tasks ringpath_write_key');
  t.match(problems[0]?.reason, /refused to create it .*403.*crm\.schemas\..*\.write/, 'the reason and what to do');
});

t.test('a mapped property deleted in HubSpot later: written without it, reported once, listed', async (t) => {
  const w = await crmWorld(t);
  const api = await w.api();
  await w.settings({ crm_completed_task_for_answered_calls: false });
  await w.startWorker();
  const before = await w.record({ client: '+380507320001', answeredBy: w.ana });
  t.same(await w.settled([before]), { [before]: 'synced' });
  t.ok(crm(w.emulator).ofCall('contacts', before)[0]?.properties.ringpath_utm_source, 'written while it existed');

  const admin = new Client({ accessToken: w.emulator.token, basePath: w.emulator.url, numberOfApiCallRetries: 0 });
  await admin.crm.properties.coreApi.archive('contacts', 'ringpath_utm_source');
  await admin.crm.properties.coreApi.archive('deals', 'ringpath_utm_source');
  const refusedBefore = w.emulator.control.requests.count((r) => r.status === 400);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(await w.record({ client: `+38050732010${i}`, answeredBy: w.boris }));
  t.same(Object.values(await w.settled(ids)), ['synced', 'synced', 'synced'], 'no call dead-lettered');
  const refused = w.emulator.control.requests.count((r) => r.status === 400) - refusedBefore;
  t.ok(refused >= 2 && refused <= 2 * ids.length, `refused for contacts and deals only while the calls in flight had not heard of it (${refused})`);
  const later = await w.record({ client: '+380507320200', answeredBy: w.boris });
  t.same(await w.settled([later]), { [later]: 'synced' });
  t.equal(w.emulator.control.requests.count((r) => r.status === 400) - refusedBefore, refused, 'a later call does not send it at all');
  for (const id of ids) {
    const [contact] = crm(w.emulator).ofCall('contacts', id);
    t.ok(contact, `call ${id.slice(0, 8)}: contact written`);
    t.notOk(contact?.properties.ringpath_utm_source, 'without the deleted property');
    t.equal(contact?.properties.ringpath_utm_medium, 'cpc', 'the other properties are written');
  }
  const problems = (await api.get('/api/v1/crm/sync-status')).json().property_problems as Array<{ object_type: string; property: string; reason: string }>;
  t.same(problems.map((p) => [p.object_type, p.property]), [['contacts', 'ringpath_utm_source'], ['deals', 'ringpath_utm_source']]);
  t.match(problems[0]?.reason, /no such property/);
});
