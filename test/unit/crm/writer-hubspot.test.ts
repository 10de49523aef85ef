// The HubSpot writer against the emulator through the official client: custom
// properties, inline associations, batches matched back to their inputs, finding a
// record again by ringpath call id and write key, and the errors it throws. The
// gateway here only classifies errors (no limits: those are the gateway's tests).
import t from 'tap';
import type { Client } from '@hubspot/api-client';
import { HubSpotError, classifyFailure, type HubSpotGateway } from '../../../src/crm/hubspot/client.ts';
import { createHubSpotWriter } from '../../../src/crm/hubspot/writer.ts';
import type { NewCall, NewTask } from '../../../src/crm/port.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

function passThrough(client: Client): HubSpotGateway {
  return {
    client,
    async call(_kind, what, fn) {
      try {
        return await fn(client);
      } catch (err) {
        throw HubSpotError.from(what, classifyFailure(err), err);
      }
    },
  };
}

const CALL = '5b2f7c1e-0a4d-4e8f-9b1a-3c5d7e9f1a2b';
const call = (over: Partial<NewCall> = {}): NewCall => ({
  key: 'call', callId: CALL, direction: 'inbound', status: 'COMPLETED', disposition: 'answered', durationMs: 61_000,
  fromE164: '+380501234567', toE164: '+380441234567', ownerId: null, timestamp: new Date('2024-05-01T10:00:00Z'),
  title: 'Inbound call', body: 'line 1\nline 2', recordingUrl: 'https://r.example.com/a.mp3', associations: { contactId: null, dealId: null }, ...over,
});
const task = (over: Partial<NewTask> = {}): NewTask => ({
  key: 'task:callback', callId: CALL, subject: 'Call back', body: 'b', ownerId: null, dueAt: new Date('2024-05-01T11:00:00Z'),
  status: 'NOT_STARTED', associations: { contactId: null, dealId: null }, ...over,
});

t.test('ensureSchema creates the ringpath properties once, and reads the default pipeline', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const writer = createHubSpotWriter(passThrough(client));
  await writer.ensureSchema();
  const created = emulator.control.requests.count('POST /crm/v3/properties/{objectType}');
  t.equal(created, 2 + 2 + 9 + 9, 'call id and write key on calls and tasks; call id and 8 attribution fields on contacts and deals');
  t.ok((await client.crm.properties.coreApi.getAll('tasks')).results.some((p) => p.name === 'ringpath_write_key'));
  const before = emulator.control.requests.count();
  await writer.ensureSchema();
  t.equal(emulator.control.requests.count(), before, 'a second call makes no requests');
  emulator.control.requests.clear();
  await createHubSpotWriter(passThrough(client)).ensureSchema();
  t.same(emulator.control.requests.byRoute(), {
    'GET /crm/v3/properties/contacts': 1, 'GET /crm/v3/properties/deals': 1, 'GET /crm/v3/properties/calls': 1, 'GET /crm/v3/properties/tasks': 1,
    'GET /crm/v3/pipelines/deals/{pipelineId}/stages': 1,
  }, 'another process only reads');
});

t.test('contact, deal, call and task: one request each, associations inline', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const owner = emulator.control.addOwner({ email: 'ana@example.com', firstName: 'Ana' });
  const writer = createHubSpotWriter(passThrough(client));
  await writer.ensureSchema();
  emulator.control.requests.clear();
  const contactId = await writer.createContact({ key: 'contact', callId: CALL, phoneE164: '+380501234567', ownerId: owner.id, properties: { ringpath_utm_source: 'google' } });
  const dealId = await writer.createDeal({ key: 'deal', callId: CALL, ownerId: owner.id, pipelineId: null, stageId: null, contactId, properties: { dealname: 'New client' } });
  const callId = await writer.createCall(call({ ownerId: owner.id, associations: { contactId, dealId } }));
  const taskId = await writer.createTask(task({ associations: { contactId, dealId } }));
  t.same(emulator.control.requests.byRoute(), {
    'POST /crm/v3/objects/contacts': 1, 'POST /crm/v3/objects/deals': 1, 'POST /crm/v3/objects/calls': 1, 'POST /crm/v3/objects/tasks': 1,
  });
  const deal = emulator.control.record('deals', dealId)!;
  t.match(deal.properties, { pipeline: 'default', dealstage: 'appointmentscheduled', hubspot_owner_id: owner.id, ringpath_call_id: CALL });
  t.match(emulator.control.record('contacts', contactId)!.properties, { phone: '+380501234567', ringpath_utm_source: 'google', ringpath_call_id: CALL });
  t.match(emulator.control.record('calls', callId)!.properties, { hs_call_body: 'line 1<br>line 2', hs_call_duration: '61000', ringpath_write_key: 'call' });
  const links = (type: string, id: string) => emulator.control.associations(type, id).filter((a) => a.toType === 'contacts' || a.toType === 'deals').map((a) => `${a.toType}:${a.toId}`).sort();
  t.same(links('deals', dealId), [`contacts:${contactId}`]);
  t.same(links('calls', callId), [`contacts:${contactId}`, `deals:${dealId}`].sort());
  t.same(links('tasks', taskId), [`contacts:${contactId}`, `deals:${dealId}`].sort());

  await writer.updateDeal({ id: dealId, properties: { ringpath_utm_campaign: 'spring' }, ownerId: null });
  t.match(emulator.control.record('deals', dealId)!.properties, { ringpath_utm_campaign: 'spring' });
  t.notOk(emulator.control.record('deals', dealId)!.properties.hubspot_owner_id, 'owner null unassigns');
});

t.test('batches use the batch endpoint and answer per input, in input order', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const writer = createHubSpotWriter(passThrough(client));
  await writer.ensureSchema();
  emulator.control.requests.clear();
  const ids = ['a', 'b', 'c'].map((s) => `${s}${CALL.slice(1)}`);
  const items = await writer.createCalls(ids.map((id) => call({ callId: id })));
  t.equal(emulator.control.requests.count('POST /crm/v3/objects/calls/batch/create'), 1, 'one request');
  t.equal(items.length, 3);
  items.forEach((item, i) => {
    t.ok('id' in item, `input ${i} has a record`);
    if ('id' in item) t.equal(emulator.control.record('calls', item.id)?.properties.ringpath_call_id, ids[i], `input ${i} got its own record`);
  });
  const updates = await writer.updateContacts([]);
  t.same(updates, [], 'an empty batch makes no request');

  const tasks = await writer.createTasks([task({ key: 'task:callback' }), task({ key: 'task:answered', status: 'COMPLETED' })]);
  t.equal(tasks.length, 2);
  t.equal(await writer.findCreated('task', CALL, 'task:answered'), 'id' in tasks[1]! ? tasks[1].id : undefined, 'found by call id and write key');
  t.equal(await writer.findCreated('task', CALL, 'task:check-integration'), undefined);
  t.equal(await writer.findCreated('call', ids[2]!, 'call'), 'id' in items[2]! ? items[2].id : undefined);
});

t.test('errors: permanent 4xx and transient 5xx as HubSpotError', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const writer = createHubSpotWriter(passThrough(client));
  await writer.ensureSchema();
  const invalid = await writer.createCall(call({ ownerId: '999' })).then(() => undefined, (e: unknown) => e);
  t.ok(invalid instanceof HubSpotError && invalid.status === 400 && !invalid.retryable, 'an unknown owner is refused for good');
  const batch = await writer.createCalls([call(), call({ callId: `f${CALL.slice(1)}`, ownerId: '999' })]).then(() => undefined, (e: unknown) => e);
  t.ok(batch instanceof HubSpotError && !batch.retryable, 'one bad input fails the whole batch');
  emulator.control.faults.failNext(1, { status: 502 });
  const down = await writer.createTask(task()).then(() => undefined, (e: unknown) => e);
  t.ok(down instanceof HubSpotError && down.retryable, '5xx is retryable');
  t.equal(emulator.control.records('calls').length, 0, 'nothing was written');
});
