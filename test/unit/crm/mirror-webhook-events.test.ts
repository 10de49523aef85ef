// HubSpot webhook payloads → mirror actions. Pure; payloads as HubSpot sends them.
import t from 'tap';
import { parseWebhookEvents, type WebhookActions } from '../../../src/crm/mirror/webhook-events.ts';

const common = { portalId: 4242424, appId: 4200000, subscriptionId: 1000, attemptNumber: 0, changeSource: 'CRM_UI' };

/** A contact created in the UI: one creation event, then one propertyChange per property, in one batch. */
const creationBatch = [
  { ...common, eventId: 1, subscriptionType: 'contact.creation', objectId: 10501, changeFlag: 'NEW', occurredAt: 1709374272345 },
  { ...common, eventId: 2, subscriptionType: 'contact.propertyChange', objectId: 10501, propertyName: 'phone', propertyValue: '(050) 123-45-67', occurredAt: 1709374272345 },
  { ...common, eventId: 3, subscriptionType: 'contact.propertyChange', objectId: 10501, propertyName: 'hubspot_owner_id', propertyValue: '7001', occurredAt: 1709374272345 },
];

function actions(body: unknown): WebhookActions {
  const r = parseWebhookEvents(body, new Date(0));
  if (!r.ok) throw new Error(r.message);
  return r.actions;
}

t.test('several events for one record: one re-read', async (t) => {
  t.same(actions(creationBatch), { reread: [{ type: 'contacts', id: '10501' }], deleted: [], ignored: 0 });
});

t.test('deletions apply at once, with their time', async (t) => {
  const a = actions([
    { ...common, eventId: 4, subscriptionType: 'deal.deletion', objectId: 20001, changeFlag: 'DELETED', occurredAt: 1709374300000 },
    { ...common, eventId: 5, subscriptionType: 'contact.privacyDeletion', objectId: 10502, occurredAt: 1709374300001 },
  ]);
  t.same(a.deleted, [
    { type: 'deals', id: '20001', at: new Date(1709374300000) },
    { type: 'contacts', id: '10502', at: new Date(1709374300001) },
  ]);
  t.same(a.reread, []);
});

t.test('merges re-read the survivor and the merged-away records', async (t) => {
  const a = actions([
    { ...common, eventId: 6, subscriptionType: 'contact.merge', objectId: 10501, primaryObjectId: 10501, mergedObjectIds: [10503, 10504], newObjectId: 10501, occurredAt: 1 },
  ]);
  t.same(a.reread.map((r) => r.id), ['10501', '10503', '10504']);
});

t.test('association changes re-read the deal; restores re-read the record', async (t) => {
  const a = actions([
    { ...common, eventId: 7, subscriptionType: 'contact.associationChange', objectId: 10501, fromObjectId: 10501, toObjectId: 20001, associationType: 'CONTACT_TO_DEAL', associationRemoved: false },
    { ...common, eventId: 8, subscriptionType: 'deal.associationChange', objectId: 20002, fromObjectId: 20002, toObjectId: 10501, associationType: 'DEAL_TO_CONTACT', associationRemoved: true },
    { ...common, eventId: 9, subscriptionType: 'contact.associationChange', objectId: 10501, fromObjectId: 10501, toObjectId: 30001, associationType: 'CONTACT_TO_COMPANY' },
    { ...common, eventId: 10, subscriptionType: 'deal.restore', objectId: 20003 },
  ]);
  t.same(a.reread, [
    { type: 'deals', id: '20001' },
    { type: 'deals', id: '20002' },
    { type: 'deals', id: '20003' },
  ]);
  t.equal(a.ignored, 1, 'a contact-to-company association is not the mirror\'s business');
});

t.test('generic object events name the type by id', async (t) => {
  const a = actions([
    { ...common, eventId: 11, subscriptionType: 'object.propertyChange', objectTypeId: '0-3', objectId: 20004, propertyName: 'dealstage', propertyValue: 'closedlost' },
    { ...common, eventId: 12, subscriptionType: 'object.creation', objectTypeId: '0-2', objectId: 30002 },
  ]);
  t.same(a.reread, [{ type: 'deals', id: '20004' }]);
  t.equal(a.ignored, 1, 'companies are ignored');
});

t.test('odd events are ignored, not fatal', async (t) => {
  const a = actions([
    { ...common, subscriptionType: 'company.creation', objectId: 1 },
    { ...common, subscriptionType: 'contact.propertyChange' },
    { ...common, subscriptionType: 'contact.propertyChange', objectId: 'abc' },
    { ...common, subscriptionType: 'deal.somethingNew', objectId: 5 },
    'not an object',
    null,
  ]);
  t.same(a, { reread: [], deleted: [], ignored: 6 });
});

t.test('a body that is not an array is refused', async (t) => {
  t.match(parseWebhookEvents({ events: [] }), { ok: false, message: /JSON array/ });
  t.match(parseWebhookEvents([]), { ok: true, actions: { reread: [], deleted: [], ignored: 0 } });
});
