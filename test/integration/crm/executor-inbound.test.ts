// Every inbound row of the post-call table (SPEC §6), end to end: a CDR stored with
// recordCall() (the job is enqueued in its transaction), the real worker, the real
// gateway, the HubSpot emulator. Asserts the records, their associations and the
// requests each call took.
import t from 'tap';
import { CALL_DISPOSITIONS } from '../../support/hubspot-emulator/index.ts';
import { crm, mirrorOf, syncedCall } from '../../support/crm/inspect.ts';
import { crmWorld, recordingLink, type CrmWorld } from '../../support/crm/world.ts';

// The rows of the post-call table alone: the completed task for every answered call (on by
// default) is tested in executor-defaults.test.ts.
const TABLE_ONLY = { crm_completed_task_for_answered_calls: false };

async function sync(w: CrmWorld, spec: Parameters<CrmWorld['record']>[0]) {
  const before = w.objectRequests();
  const id = await w.record(spec);
  await w.settled([id]);
  return { id, requests: w.objectRequests() - before, call: await syncedCall(w.pool, id) };
}

t.test('inbound rows', async (t) => {
  const w = await crmWorld(t);
  await w.settings(TABLE_ONLY);
  await w.startWorker();
  const hs = crm(w.emulator);

  await t.test('answered, new client: contact + deal owned by the answerer, call engagement with recording on both; 3 requests', async (t) => {
    const { id, requests, call } = await sync(w, { client: '+380501110001', answeredBy: w.ana });
    t.equal(call.crm_sync_state, 'synced', call.crm_sync_error ?? '');
    t.same(call.matrix_rows, ['inbound_answered_new']);
    t.equal(requests, 3, 'create contact, create deal (associated), create call (associated to both)');
    const contact = hs.props('contacts', call.crm_contact_id);
    t.match(contact, { phone: '+380501110001', hubspot_owner_id: w.ana.ownerId, ringpath_call_id: id, ringpath_utm_source: 'google', ringpath_source: 'Google Ads brand' });
    const deal = hs.props('deals', call.crm_deal_id);
    t.match(deal, { hubspot_owner_id: w.ana.ownerId, pipeline: 'default', dealstage: 'appointmentscheduled', ringpath_call_id: id, ringpath_utm_medium: 'cpc', ringpath_utm_campaign: 'brand' });
    t.match(deal.dealname, /\S/, 'the deal is named');
    const engagement = hs.props('calls', call.crm_call_id);
    t.match(engagement, {
      hs_call_direction: 'INBOUND',
      hs_call_status: 'COMPLETED',
      hs_call_disposition: CALL_DISPOSITIONS.connected,
      hs_call_from_number: '+380501110001',
      hs_call_to_number: '+380441234500',
      hs_call_recording_url: recordingLink({ id }),
      hubspot_owner_id: w.ana.ownerId,
      ringpath_call_id: id,
      ringpath_write_key: 'call',
    });
    t.ok(Number(engagement.hs_call_duration) > 0, 'duration in ms');
    t.match(engagement.hs_call_body, /<br>/, 'the body is HTML');
    t.same(hs.links('deals', call.crm_deal_id!, 'contacts'), [call.crm_contact_id]);
    t.same(hs.links('calls', call.crm_call_id!, 'contacts'), [call.crm_contact_id]);
    t.same(hs.links('calls', call.crm_call_id!, 'deals'), [call.crm_deal_id]);
    t.same(call.ledger, { contact: call.crm_contact_id, deal: call.crm_deal_id, call: call.crm_call_id }, 'every write is in the ledger');
    t.same(await mirrorOf(w.pool, '+380501110001'), [
      { contactId: call.crm_contact_id, ownerId: w.ana.ownerId, deals: [{ id: call.crm_deal_id, ownerId: w.ana.ownerId }] },
    ], 'the mirror has the new client at once');
  });

  await t.test('answered by the responsible manager: one call engagement on the existing contact and deal; 1 request', async (t) => {
    const known = await w.existingClient('+380501110002', w.boris);
    const contactsBefore = hs.count('contacts');
    const dealsBefore = hs.count('deals');
    const { id, requests, call } = await sync(w, { client: '+380501110002', answeredBy: w.boris });
    t.same(call.matrix_rows, ['inbound_answered_responsible']);
    t.equal(requests, 1);
    t.equal(call.crm_contact_id, known.contactId);
    t.equal(call.crm_deal_id, known.dealId);
    t.match(hs.props('calls', call.crm_call_id), { hubspot_owner_id: w.boris.ownerId, hs_call_status: 'COMPLETED' });
    t.same(hs.links('calls', call.crm_call_id!, 'contacts'), [known.contactId]);
    t.same(hs.links('calls', call.crm_call_id!, 'deals'), [known.dealId]);
    t.same(hs.ofCall('contacts', id), [], 'no contact written for this call');
    t.same(hs.ofCall('deals', id), [], 'no deal written for this call');
    t.equal(hs.count('contacts'), contactsBefore, 'no contact created');
    t.equal(hs.count('deals'), dealsBefore, 'no deal created');
  });

  await t.test('answered by a colleague: call engagement noting who answered + completed task for the responsible manager; 2 requests', async (t) => {
    const known = await w.existingClient('+380501110003', w.boris);
    const { id, requests, call } = await sync(w, { client: '+380501110003', answeredBy: w.ana });
    t.same(call.matrix_rows, ['inbound_answered_colleague']);
    t.equal(requests, 2);
    const engagement = hs.props('calls', call.crm_call_id);
    t.equal(engagement.hubspot_owner_id, w.ana.ownerId, 'the engagement is the answerer’s');
    t.match(engagement.hs_call_body, /Ana Test/, 'the body names who answered');
    const [task] = hs.ofCall('tasks', id);
    t.match(task?.properties, { hs_task_status: 'COMPLETED', hubspot_owner_id: w.boris.ownerId, ringpath_write_key: 'task:answered' });
    t.match(task?.properties.hs_task_body, new RegExp(recordingLink({ id }).replace(/[.?]/g, '\\$&')), 'the task carries the recording');
    t.same(hs.links('tasks', task!.id, 'deals'), [known.dealId]);
    t.same(hs.links('tasks', task!.id, 'contacts'), [known.contactId]);
  });

  await t.test('missed, new client: contact + deal for the senior manager, open call-back task, missed engagement; 4 requests', async (t) => {
    const { id, requests, call } = await sync(w, { client: '+380501110004', disposition: 'missed' });
    t.same(call.matrix_rows, ['inbound_missed_new']);
    t.equal(requests, 4);
    t.equal(hs.props('contacts', call.crm_contact_id).hubspot_owner_id, w.senior.ownerId);
    t.equal(hs.props('deals', call.crm_deal_id).hubspot_owner_id, w.senior.ownerId);
    t.match(hs.props('calls', call.crm_call_id), { hs_call_status: 'NO_ANSWER', hs_call_disposition: CALL_DISPOSITIONS.noAnswer, hs_call_duration: '0' });
    t.notOk(hs.props('calls', call.crm_call_id).hs_call_recording_url, 'no recording for a missed call');
    const [task] = hs.ofCall('tasks', id);
    t.match(task?.properties, { hs_task_status: 'NOT_STARTED', hs_task_type: 'CALL', hs_task_priority: 'HIGH', hubspot_owner_id: w.senior.ownerId, ringpath_write_key: 'task:callback' });
    const { rows } = await w.pool.query<{ ended_at: Date }>('SELECT ended_at FROM calls WHERE id = $1', [id]);
    t.equal(Date.parse(task!.properties.hs_timestamp ?? ''), rows[0]!.ended_at.getTime() + 60 * 60_000, 'due 60 minutes after the call');
    t.same(hs.links('tasks', task!.id, 'contacts'), [call.crm_contact_id]);
    t.same(hs.links('tasks', task!.id, 'deals'), [call.crm_deal_id]);
  });

  await t.test('missed, existing client: call-back task on the existing deal for its owner + missed engagement; 2 requests', async (t) => {
    const known = await w.existingClient('+380501110005', w.boris);
    const { id, requests, call } = await sync(w, { client: '+380501110005', disposition: 'missed' });
    t.same(call.matrix_rows, ['inbound_missed_existing']);
    t.equal(requests, 2);
    const [task] = hs.ofCall('tasks', id);
    t.match(task?.properties, { hs_task_status: 'NOT_STARTED', hubspot_owner_id: w.boris.ownerId, ringpath_write_key: 'task:callback' });
    t.same(hs.links('tasks', task!.id, 'deals'), [known.dealId]);
    t.match(hs.props('calls', call.crm_call_id), { hs_call_status: 'NO_ANSWER' });
    t.same(hs.links('calls', call.crm_call_id!, 'deals'), [known.dealId]);
  });

  await t.test('answered by an unknown employee: the records, plus a "check the integration" task for the senior manager', async (t) => {
    const { id, call } = await sync(w, { client: '+380501110006', answeredBy: { destination: '+380671234567' } });
    t.equal(call.crm_sync_state, 'synced');
    t.ok(call.warnings?.some((x) => x.code === 'UNKNOWN_EMPLOYEE'));
    const task = hs.ofCall('tasks', id).find((x) => x.properties.ringpath_write_key === 'task:check-integration');
    t.match(task?.properties, { hubspot_owner_id: w.senior.ownerId, hs_task_status: 'NOT_STARTED' });
    t.match(task?.properties.hs_task_body, /\+380671234567/, 'the task names the destination');
    t.ok(call.crm_call_id, 'the call engagement is written too');
  });

  await t.test('a withheld number: nothing can be written; synced with a warning, no requests', async (t) => {
    const { requests, call } = await sync(w, { client: null, answeredBy: w.ana });
    t.equal(call.crm_sync_state, 'synced');
    t.same(call.matrix_rows, ['anonymous']);
    t.equal(requests, 0);
    t.ok(call.warnings?.some((x) => x.code === 'CLIENT_NUMBER_UNKNOWN'));
  });
});
