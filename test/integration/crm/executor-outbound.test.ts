// The outbound rows, the modes (UTM only, create at call start) and the calls that
// need no sync, end to end against the emulator.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { recordCall } from '../../../src/db/repositories/calls.ts';
import { crm, mirrorOf, syncedCall } from '../../support/crm/inspect.ts';
import { cdr, crmWorld, TRACKING, type CrmWorld } from '../../support/crm/world.ts';

// The rows of the post-call table alone: the completed task for every answered call (on by
// default) is tested in executor-defaults.test.ts.
const TABLE_ONLY = { crm_completed_task_for_answered_calls: false };

async function sync(w: CrmWorld, spec: Parameters<CrmWorld['record']>[0]) {
  const before = w.objectRequests();
  const id = await w.record(spec);
  await w.settled([id]);
  return { id, requests: w.objectRequests() - before, call: await syncedCall(w.pool, id) };
}

t.test('outbound rows', async (t) => {
  const w = await crmWorld(t);
  await w.settings(TABLE_ONLY);
  await w.startWorker();
  const hs = crm(w.emulator);

  await t.test('answered, existing client: an OUTBOUND call engagement on the existing contact and deal, owned by the caller; 1 request', async (t) => {
    const known = await w.existingClient('+380502220001', w.boris);
    const { requests, call } = await sync(w, { direction: 'outbound', client: '+380502220001', placedBy: w.ana });
    t.same(call.matrix_rows, ['outbound_existing']);
    t.equal(requests, 1);
    t.match(hs.props('calls', call.crm_call_id), { hs_call_direction: 'OUTBOUND', hs_call_to_number: '+380502220001', hubspot_owner_id: w.ana.ownerId });
    t.same(hs.links('calls', call.crm_call_id!, 'contacts'), [known.contactId]);
    t.same(hs.links('calls', call.crm_call_id!, 'deals'), [known.dealId]);
  });

  await t.test('a number the CRM does not know, with the option off: nothing written, a warning; 0 requests', async (t) => {
    const { requests, call } = await sync(w, { direction: 'outbound', client: '+380502220002', placedBy: w.ana });
    t.equal(call.crm_sync_state, 'synced');
    t.same(call.matrix_rows, ['outbound_unknown_skipped']);
    t.equal(requests, 0);
    t.ok(call.warnings?.some((x) => x.code === 'OUTBOUND_UNKNOWN_CLIENT'));
  });

  await t.test('a number the CRM does not know, with the option on: contact + deal for the caller, and the engagement; 3 requests', async (t) => {
    await w.settings({ crm_outbound_create_for_new_client: true });
    const { requests, call } = await sync(w, { direction: 'outbound', client: '+380502220003', placedBy: w.ana });
    await w.settings({ crm_outbound_create_for_new_client: false });
    t.same(call.matrix_rows, ['outbound_new']);
    t.equal(requests, 3);
    t.equal(hs.props('contacts', call.crm_contact_id).hubspot_owner_id, w.ana.ownerId);
    t.equal(hs.props('deals', call.crm_deal_id).hubspot_owner_id, w.ana.ownerId);
    t.same(hs.links('calls', call.crm_call_id!, 'deals'), [call.crm_deal_id]);
  });
});

t.test('modes', async (t) => {
  const w = await crmWorld(t);
  await w.settings(TABLE_ONLY);
  await w.startWorker();
  const hs = crm(w.emulator);

  await t.test('UTM only: the UTMs onto the open deal another integration made, nothing created; 1 request', async (t) => {
    await w.settings({ crm_utm_only: true, crm_field_mapping: { gclid: 'gclid', utm_source: 'utm_source' } });
    w.emulator.control.defineProperty('deals', { name: 'utm_source' });
    w.emulator.control.defineProperty('deals', { name: 'gclid' });
    const known = await w.existingClient('+380503330001', w.boris);
    const contactsBefore = hs.count('contacts');
    const { requests, call } = await sync(w, { client: '+380503330001', answeredBy: w.ana });
    await w.settings({ crm_utm_only: false, crm_field_mapping: {} });
    t.same(call.matrix_rows, ['utm_only']);
    t.equal(requests, 1, 'one PATCH');
    t.match(hs.props('deals', known.dealId), { ringpath_utm_source: 'google', ringpath_utm_campaign: 'brand', utm_source: 'google' });
    t.equal(call.crm_deal_id, known.dealId);
    t.equal(call.crm_call_id, null, 'no engagement in UTM-only mode');
    t.equal(hs.count('contacts'), contactsBefore);
  });

  await t.test('create at call start: records for the senior manager first, then handed to the answerer, then the engagement', async (t) => {
    await w.settings({ crm_create_when: 'call_start' });
    const { requests, call } = await sync(w, { client: '+380503330002', answeredBy: w.ana });
    await w.settings({ crm_create_when: 'after_call' });
    t.same(call.matrix_rows, ['call_start', 'inbound_answered_new']);
    t.equal(requests, 5, 'contact, deal, two owner updates, the engagement');
    t.equal(hs.props('contacts', call.crm_contact_id).hubspot_owner_id, w.ana.ownerId);
    t.equal(hs.props('deals', call.crm_deal_id).hubspot_owner_id, w.ana.ownerId);
    t.same(Object.keys(call.ledger).sort(), ['call', 'contact', 'contact:owner', 'deal', 'deal:owner']);
    t.same(await mirrorOf(w.pool, '+380503330002'), [
      { contactId: call.crm_contact_id, ownerId: w.ana.ownerId, deals: [{ id: call.crm_deal_id, ownerId: w.ana.ownerId }] },
    ], 'the mirror has the final owners');
  });

  await t.test('a pipeline rule for the tracking number puts the new deal in its pipeline and stage', async (t) => {
    w.emulator.control.addPipeline({ id: 'ads', label: 'Ads', stages: [{ id: 'ads-new', label: 'New lead' }, { id: 'ads-won', label: 'Won', isClosed: true, probability: 1 }] });
    await w.settings({ crm_deal_pipeline_rules: [{ match: { tracking_number: TRACKING }, pipeline_id: 'ads', stage_id: 'ads-new' }] });
    const { call } = await sync(w, { client: '+380503330006', answeredBy: w.ana });
    await w.settings({ crm_deal_pipeline_rules: [] });
    t.match(hs.props('deals', call.crm_deal_id), { pipeline: 'ads', dealstage: 'ads-new' });
  });

  await t.test('contact only: no deal; the engagement is on the contact', async (t) => {
    await w.settings({ crm_create_entities: 'contact' });
    const { requests, call } = await sync(w, { client: '+380503330003', answeredBy: w.ana });
    await w.settings({ crm_create_entities: 'contact_and_deal' });
    t.equal(requests, 2);
    t.equal(call.crm_deal_id, null);
    t.same(hs.links('calls', call.crm_call_id!, 'contacts'), [call.crm_contact_id]);
  });

  await t.test('internal calls need no sync: no job at all', async (t) => {
    const internal = { ...cdr(randomUUID(), { client: '+380503330005' }), direction: 'internal' as const };
    await recordCall(w.pool, internal, { crmSync: true });
    const { rows } = await w.pool.query<{ crm_sync_state: string }>('SELECT crm_sync_state FROM calls WHERE id = $1', [internal.id]);
    t.equal(rows[0]?.crm_sync_state, 'not_required');
    const { rows: jobs } = await w.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1`, [internal.id]);
    t.equal(jobs[0]?.n, 0, 'no job for an internal call');
  });
});
