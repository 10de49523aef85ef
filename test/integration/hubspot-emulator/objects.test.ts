// CRM v3 objects through the official client: create (with inline
// associations), read, update, archive, list, batch, validation and auth.
import { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import {
  PropertyCreateFieldTypeEnum as FieldType,
  PropertyCreateTypeEnum as PropertyType,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { Client } from '@hubspot/api-client';
import t from 'tap';
import { CALL_DISPOSITIONS } from '../../support/hubspot-emulator/index.ts';
import { expectApiError, hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

const HUBSPOT_DEFINED = Category.HubspotDefined;

t.test('a contact created with an inline association to a deal is associated both ways', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const deal = await client.crm.deals.basicApi.create({
    properties: { dealname: 'New caller', pipeline: 'default', dealstage: 'appointmentscheduled', amount: '100' },
  });
  t.match(deal.id, /^\d+$/, 'ids are numeric strings');
  t.equal(deal.properties.dealname, 'New caller');
  t.ok(deal.properties.hs_object_id === deal.id && deal.properties.createdate && deal.properties.hs_lastmodifieddate);
  t.ok(deal.createdAt instanceof Date, 'the client parses createdAt');

  const contact = await client.crm.contacts.basicApi.create({
    properties: { email: 'Ann@Example.com', firstname: 'Ann', phone: '(050) 123-45-67' },
    associations: [{ to: { id: deal.id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 4 }] }],
  });
  t.equal(contact.properties.email, 'ann@example.com', 'email is stored lower-case');
  t.equal(contact.properties.phone, '(050) 123-45-67', 'phones are stored as given');
  t.ok(contact.properties.lastmodifieddate, 'contacts use lastmodifieddate');

  const read = await client.crm.contacts.basicApi.getById(contact.id, ['email', 'phone', 'nosuchproperty'], undefined, ['deals']);
  t.same(Object.keys(read.properties).sort(), ['createdate', 'email', 'hs_object_id', 'lastmodifieddate', 'phone']);
  t.same(read.associations?.deals?.results, [{ id: deal.id, type: 'contact_to_deal' }]);
  t.same(emulator.control.associations('deals', deal.id), [{ toType: 'contacts', toId: contact.id, associationTypeIds: [3] }]);

  const byEmail = await client.crm.contacts.basicApi.getById('ANN@example.com', ['firstname'], undefined, undefined, false, 'email');
  t.equal(byEmail.id, contact.id, 'idProperty=email finds the contact');
  t.equal(byEmail.properties.lastname, undefined, 'only requested properties come back');
  const defaults = await client.crm.contacts.basicApi.getById(contact.id);
  t.equal(defaults.properties.lastname, null, 'unset default properties are null');
});

t.test('an inline association to a missing record or of the wrong type is a 400', async (t) => {
  const { client } = await hubspotForTest(t);
  const missing = await expectApiError(() =>
    client.crm.contacts.basicApi.create({
      properties: { email: 'a@b.co' },
      associations: [{ to: { id: '999' }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 4 }] }],
    }),
  );
  t.equal(missing.code, 400);
  t.match(missing.body, { status: 'error', category: 'VALIDATION_ERROR' });
  const wrongType = await expectApiError(() =>
    client.crm.contacts.basicApi.create({
      properties: { email: 'a@b.co' },
      associations: [{ to: { id: '1' }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 }] }],
    }),
  );
  t.equal(wrongType.code, 400, 'type 3 is deal to contact, not contact to deal');
});

t.test('validation errors look like HubSpot', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const unknown = await expectApiError(() => client.crm.contacts.basicApi.create({ properties: { email: 'x@y.io', ringpath_call_id: 'c1' } }));
  t.equal(unknown.code, 400);
  t.match(unknown.body, { status: 'error', category: 'VALIDATION_ERROR', correlationId: /\w+-\w+/ });
  const message = (unknown.body as { message: string }).message;
  t.match(message, /^Property values were not valid: /);
  t.match(JSON.parse(message.replace('Property values were not valid: ', '')), [
    { isValid: false, name: 'ringpath_call_id', error: 'PROPERTY_DOESNT_EXIST', message: 'Property "ringpath_call_id" does not exist' },
  ]);

  const noTimestamp = await expectApiError(() => client.crm.objects.calls.basicApi.create({ properties: { hs_call_body: 'hi' } }));
  t.match((noTimestamp.body as { message: string }).message, /hs_timestamp/);
  const badOption = await expectApiError(() =>
    client.crm.objects.calls.basicApi.create({ properties: { hs_timestamp: '1700000000000', hs_call_direction: 'SIDEWAYS' } }),
  );
  t.match((badOption.body as { message: string }).message, /INVALID_OPTION.*hs_call_direction|hs_call_direction.*INVALID_OPTION/);
  const badOwner = await expectApiError(() =>
    client.crm.objects.tasks.basicApi.create({ properties: { hs_timestamp: '2024-01-01T10:00:00Z', hubspot_owner_id: '123' } }),
  );
  t.match((badOwner.body as { message: string }).message, /INVALID_OWNER_ID/);
  const badStage = await expectApiError(() => client.crm.deals.basicApi.create({ properties: { dealname: 'x', dealstage: 'nope' } }));
  t.match((badStage.body as { message: string }).message, /dealstage/);
  const readOnly = await expectApiError(() => client.crm.deals.basicApi.create({ properties: { dealname: 'x', hs_object_id: '5' } }));
  t.match((readOnly.body as { message: string }).message, /READ_ONLY_VALUE/);
  t.equal(emulator.control.records('calls').length + emulator.control.records('deals').length, 0, 'nothing was written');

  await client.crm.contacts.basicApi.create({ properties: { email: 'dup@example.com' } });
  const dup = await expectApiError(() => client.crm.contacts.basicApi.create({ properties: { email: 'DUP@example.com' } }));
  t.equal(dup.code, 409);
  t.match(dup.body, { category: 'CONFLICT', message: /^Contact already exists. Existing ID: \d+$/ });

  const missing = await expectApiError(() => client.crm.contacts.basicApi.getById('424242'));
  t.equal(missing.code, 404);
  t.match(missing.body, { category: 'OBJECT_NOT_FOUND' });
});

t.test('custom properties registered through the properties API can be written and read', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const owner = emulator.control.addOwner({ email: 'rep@example.com', firstName: 'Rita' });
  const created = await client.crm.properties.coreApi.create('calls', {
    name: 'ringpath_call_id', label: 'ringpath call id', type: PropertyType.String, fieldType: FieldType.Text, groupName: 'callinformation',
  });
  t.equal(created.name, 'ringpath_call_id');
  const again = await expectApiError(() =>
    client.crm.properties.coreApi.create('calls', { name: 'ringpath_call_id', label: 'x', type: PropertyType.String, fieldType: FieldType.Text, groupName: 'g' }),
  );
  t.equal(again.code, 409);
  const reserved = await expectApiError(() =>
    client.crm.properties.coreApi.create('deals', { name: 'hs_my_field', label: 'x', type: PropertyType.String, fieldType: FieldType.Text, groupName: 'g' }),
  );
  t.match(reserved, { code: 400, body: { category: 'VALIDATION_ERROR', message: /hs_ prefix is reserved/ } }, 'HubSpot keeps the hs_ names for itself');
  const phoneProps = await client.crm.properties.coreApi.getAll('contacts');
  t.match(phoneProps.results.find((p) => p.name === 'phone'), { fieldType: 'phonenumber' }, 'phone is a phonenumber field');
  t.match(phoneProps.results.find((p) => p.name === 'hs_searchable_calculated_phone_number'), { fieldType: 'phonenumber', calculated: true }, 'and its calculated copy exists');
  emulator.control.defineProperty('contacts', { name: 'utm_source' });
  const contactProps = await client.crm.properties.coreApi.getAll('contacts');
  t.ok(contactProps.results.some((p) => p.name === 'utm_source'));
  const ownerProp = await client.crm.properties.coreApi.getByName('calls', 'hubspot_owner_id');
  t.same(ownerProp.options.map((o) => o.value), [owner.id], 'owner options are the owners');

  const call = await client.crm.objects.calls.basicApi.create({
    properties: {
      hs_timestamp: '1700000000000', hs_call_direction: 'INBOUND', hs_call_disposition: CALL_DISPOSITIONS.connected,
      hs_call_duration: '61000', hs_call_from_number: '+380501234567', hs_call_to_number: '+380441234567',
      hs_call_recording_url: 'https://rec.example.com/a.mp3', hs_call_status: 'COMPLETED', hubspot_owner_id: owner.id, ringpath_call_id: 'c-1',
    },
  });
  t.equal(call.properties.hs_timestamp, '2023-11-14T22:13:20.000Z', 'date-times come back as ISO');
  t.equal(call.properties.ringpath_call_id, 'c-1');
  t.ok(call.properties.hs_createdate && call.properties.hs_lastmodifieddate);
  const task = await client.crm.objects.tasks.basicApi.create({
    properties: { hs_timestamp: '2024-01-01T10:00:00Z', hs_task_subject: 'Call back', hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH', hubspot_owner_id: owner.id },
  });
  const done = await client.crm.objects.tasks.basicApi.update(task.id, { properties: { hs_task_status: 'COMPLETED' } });
  t.equal(done.properties.hs_task_status, 'COMPLETED');
  t.ok(emulator.control.record('tasks', task.id)?.properties.hs_task_completion_date, 'completion date is set');
});

t.test('update, archive and list with paging', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await client.crm.contacts.basicApi.create({ properties: { firstname: `c${i}` } })).id);
  const before = emulator.control.record('contacts', ids[0]!);
  const updated = await client.crm.contacts.basicApi.update(ids[0]!, { properties: { lastname: 'Smith', firstname: '' } });
  t.equal(updated.properties.lastname, 'Smith');
  t.equal(updated.properties.firstname, null, 'an empty string clears a property');
  t.ok(updated.updatedAt.getTime() > new Date(before!.updatedAt).getTime(), 'updatedAt moves on');

  await client.crm.contacts.basicApi.archive(ids[1]!);
  t.equal((await expectApiError(() => client.crm.contacts.basicApi.getById(ids[1]!))).code, 404);
  const page1 = await client.crm.contacts.basicApi.getPage(2);
  t.same(page1.results.map((r) => r.id), [ids[0], ids[2]]);
  const page2 = await client.crm.contacts.basicApi.getPage(2, page1.paging?.next?.after);
  t.same(page2.results.map((r) => r.id), [ids[3], ids[4]]);
  t.equal(page2.paging, undefined, 'no next page at the end');
  const archived = await client.crm.contacts.basicApi.getPage(10, undefined, undefined, undefined, undefined, true);
  t.same(archived.results.map((r) => r.id), [ids[1]]);
  t.equal((await expectApiError(() => client.crm.contacts.basicApi.getPage(101))).code, 400, 'list limit is 100');
});

t.test('batch create, read and update', async (t) => {
  const { client } = await hubspotForTest(t);
  const created = await client.crm.contacts.batchApi.create({
    inputs: [{ properties: { email: 'a@example.com' }, associations: [] }, { properties: { email: 'b@example.com' }, associations: [] }],
  });
  t.equal(created.status, 'COMPLETE');
  t.ok(created.startedAt instanceof Date && created.completedAt instanceof Date);
  t.equal(created.results.length, 2);
  const [a, b] = created.results;

  const read = await client.crm.contacts.batchApi.read({ inputs: [{ id: a!.id }, { id: '999999' }, { id: b!.id }], properties: ['email'], propertiesWithHistory: [] });
  t.same(read.results.map((r) => r.properties.email).sort(), ['a@example.com', 'b@example.com']);
  t.match(read, { numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } }] }, '207 carries the missing ids');

  const updated = await client.crm.contacts.batchApi.update({ inputs: [{ id: a!.id, properties: { firstname: 'A' } }, { id: b!.id, properties: { firstname: 'B' } }] });
  t.same(updated.results.map((r) => r.properties.firstname).sort(), ['A', 'B']);

  const invalid = await expectApiError(() =>
    client.crm.contacts.batchApi.create({ inputs: [{ properties: { email: 'c@example.com' }, associations: [] }, { properties: { nope: '1' }, associations: [] }] }),
  );
  t.equal(invalid.code, 400, 'one invalid input fails the whole batch');
  t.equal((await client.crm.contacts.basicApi.getPage(100)).results.length, 2, 'and nothing of it was written');
  const tooMany = Array.from({ length: 101 }, (_, i) => ({ properties: { firstname: `n${i}` }, associations: [] }));
  t.equal((await expectApiError(() => client.crm.contacts.batchApi.create({ inputs: tooMany }))).code, 400, 'at most 100 inputs');
  const dupes = await expectApiError(() => client.crm.contacts.batchApi.update({ inputs: [{ id: a!.id, properties: {} }, { id: a!.id, properties: {} }] }));
  t.equal(dupes.code, 400, 'duplicate ids are rejected');
});

t.test('calls can be batch-created with inline associations to a contact and a deal', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const contact = emulator.control.seed('contacts', { email: 'c@example.com' });
  const deal = emulator.control.seed('deals', { dealname: 'd', dealstage: 'qualifiedtobuy' });
  const res = await client.crm.objects.calls.batchApi.create({
    inputs: [{
      properties: { hs_timestamp: String(Date.now()), hs_call_body: 'answered' },
      associations: [
        { to: { id: contact.id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 194 }] },
        { to: { id: deal.id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 206 }] },
      ],
    }],
  });
  const call = res.results[0]!;
  t.same(emulator.control.associations('calls', call.id).map((a) => [a.toType, a.toId, a.associationTypeIds]), [
    ['contacts', contact.id, [194]],
    ['deals', deal.id, [206]],
  ].sort((x, y) => Number(x[1]) - Number(y[1])));
  t.equal(emulator.control.record('deals', deal.id)?.properties.hs_is_closed, 'false', 'deals carry hs_is_closed');
  t.equal(emulator.control.requests.count('POST /crm/v3/objects/calls/batch/create'), 1);
});

t.test('requests need the bearer token', async (t) => {
  const { emulator } = await hubspotForTest(t);
  const anonymous = new Client({ basePath: emulator.url, numberOfApiCallRetries: 0 });
  const none = await expectApiError(() => anonymous.crm.contacts.basicApi.getPage());
  t.equal(none.code, 401);
  t.match(none.body, { status: 'error', category: 'INVALID_AUTHENTICATION', message: /Authentication credentials not found/ });
  const wrong = new Client({ accessToken: 'pat-wrong', basePath: emulator.url, numberOfApiCallRetries: 0 });
  t.equal((await expectApiError(() => wrong.crm.owners.ownersApi.getPage())).code, 401);
});
