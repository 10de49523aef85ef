// Bad data in the CRM and ringpath's own writes: missing owners, unreadable
// phones, deleted deals, unknown stages, partial and stale records. Clear log
// lines, sensible state, no crash.
import { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import t from 'tap';
import { lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { runFullSync } from '../../../src/crm/mirror/full-sync.ts';
import { runIncrementalSync } from '../../../src/crm/mirror/incremental.ts';
import { upsertContact, upsertDeal } from '../../../src/crm/mirror/index.ts';
import { refreshCatalog } from '../../../src/crm/mirror/refresh.ts';
import { applyWebhookQueue, queueWebhookActions } from '../../../src/crm/mirror/webhook-queue.ts';
import { withTransaction } from '../../../src/db/pool.ts';
import { mirrorForTest, uaNumber } from './mirror-fixtures.ts';

t.test('missing owners, unreadable phones, deleted deals', async (t) => {
  const m = await mirrorForTest(t);
  const c = m.emulator.control;
  const owner = c.addOwner({ email: 'deal-owner@example.com' }).id;
  const [a, b, d] = [uaNumber(1), uaNumber(2), uaNumber(3)];
  const noOwner = c.seed('contacts', { phone: a.written });
  c.seed('deals', { dealname: 'open', pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: owner }, { associations: [{ toType: 'contacts', toId: noOwner.id }] });
  c.seed('contacts', { phone: b.written });
  const unreadable = c.seed('contacts', { phone: 'call me maybe', mobilephone: d.written, hubspot_owner_id: owner });
  c.seed('contacts', { phone: '+1 555 00', hubspot_owner_id: owner });
  const deletedEarly = c.seed('deals', { dealname: 'gone', pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: owner }, { associations: [{ toType: 'contacts', toId: noOwner.id }] });
  c.archive('deals', deletedEarly.id);

  const result = await runFullSync(m.ctx);
  t.match(result, { contacts: 4, deals: 1, unreadablePhones: 2 }, 'the sync finishes');
  t.same(await lookupResponsible(m.db.pool, a.e164, 2_000), { status: 'found', dealOwnerId: owner }, 'no contact owner: the open deal\'s owner');
  t.same(await lookupResponsible(m.db.pool, b.e164, 2_000), { status: 'not_found' }, 'no owner anywhere: not found, so routing moves on');
  const { rows: owners } = await m.db.pool.query('SELECT owner_id FROM crm_contacts WHERE id = $1', [noOwner.id]);
  t.same(owners, [{ owner_id: null }], 'a missing owner is stored as null');

  const { rows: phones } = await m.db.pool.query(
    'SELECT property, raw, e164, problem FROM crm_contact_phones WHERE contact_id = $1 ORDER BY property',
    [unreadable.id],
  );
  t.match(phones, [
    { property: 'mobilephone', raw: d.written, e164: d.e164, problem: null },
    { property: 'phone', raw: 'call me maybe', e164: null, problem: /not a phone number|letters/ },
  ]);
  t.same(await lookupResponsible(m.db.pool, d.e164, 2_000), { status: 'found', contactOwnerId: owner }, 'its readable mobile still finds it');
  const warned = m.lines().filter((l) => l.level === 40 && l.contactId === unreadable.id);
  t.equal(warned.length, 1, 'one warning for the unreadable value');
  t.match(warned[0], { property: 'phone', raw: 'call me maybe', msg: /^CRM contact \d+: phone "call me maybe" is not a usable phone number .*kept as written/ });

  const { rows: gone } = await m.db.pool.query('SELECT id FROM crm_deals WHERE id = $1', [deletedEarly.id]);
  t.same(gone, [], 'a deal deleted before the sync never enters the mirror');

  // deleted while nobody listened (no webhooks): the next full sync notices
  const openDeal = c.associations('contacts', noOwner.id, 'deals').map((x) => x.toId).find((id) => id !== deletedEarly.id)!;
  c.archive('deals', openDeal);
  const again = await runFullSync(m.ctx, { restart: true });
  t.equal(again.archived, 1, 'the missing deal is archived');
  t.same(await lookupResponsible(m.db.pool, a.e164, 2_000), { status: 'not_found' }, 'and gone from lookups');
  t.ok(m.lines().some((l) => /0 contacts and 1 deals were deleted in the CRM; removed from lookups/.test(String(l.msg))));
});

t.test('a stage the mirror has not seen yet: HubSpot\'s closed flag decides until the next refresh', async (t) => {
  const m = await mirrorForTest(t);
  const c = m.emulator.control;
  const owner = c.addOwner({ email: 'x@example.com' }).id;
  const phone = uaNumber(11);
  const contact = c.seed('contacts', { phone: phone.written, hubspot_owner_id: owner });
  const deal = c.seed('deals', { dealname: 'd', pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: owner }, { associations: [{ toType: 'contacts', toId: contact.id }] });
  await runFullSync(m.ctx);
  c.addPipeline({ id: 'p2', label: 'Second', stages: [{ id: 'p2-open', label: 'Open' }, { id: 'p2-lost', label: 'Lost', isClosed: true }] });
  c.update('deals', deal.id, { pipeline: 'p2', dealstage: 'p2-lost' });
  await runIncrementalSync(m.ctx);
  t.same(await lookupResponsible(m.db.pool, phone.e164, 2_000), { status: 'found', contactOwnerId: owner }, 'closed per hs_is_closed');
  c.update('deals', deal.id, { dealstage: 'p2-open' });
  await refreshCatalog(m.ctx);
  await runIncrementalSync(m.ctx);
  t.same(await lookupResponsible(m.db.pool, phone.e164, 2_000), { status: 'found', contactOwnerId: owner, dealOwnerId: owner }, 'open again');
});

t.test('a webhook names a record deleted before it is re-read: archived, logged, no crash', async (t) => {
  const m = await mirrorForTest(t);
  const phone = uaNumber(21);
  const contact = m.emulator.control.seed('contacts', { phone: phone.written, hubspot_owner_id: m.emulator.control.addOwner({ email: 'y@example.com' }).id });
  await runFullSync(m.ctx);
  m.emulator.control.archive('contacts', contact.id);
  await queueWebhookActions(m.db.pool, { reread: [{ type: 'contacts', id: contact.id }, { type: 'contacts', id: '999999' }], deleted: [], ignored: 0 });
  t.same(await applyWebhookQueue(m.ctx), { applied: 0, archived: 2 });
  t.same(await lookupResponsible(m.db.pool, phone.e164, 2_000), { status: 'not_found' });
  t.ok(m.lines().some((l) => /2 contacts named by webhooks no longer exist in the CRM/.test(String(l.msg))));
});

t.test('records ringpath creates are in the mirror at once (upsertContact, upsertDeal)', async (t) => {
  const m = await mirrorForTest(t);
  const client = m.gateway.client;
  const owner = m.emulator.control.addOwner({ email: 'answered@example.com' }).id;
  const caller = uaNumber(31);
  const contact = await client.crm.contacts.basicApi.create({ properties: { phone: caller.written, hubspot_owner_id: owner }, associations: [] });
  t.match(await upsertContact(m.db.pool, contact, { defaultCountry: 'UA' }), { applied: 1, stale: 0 });
  t.same(await lookupResponsible(m.db.pool, caller.e164, 2_000), { status: 'found', contactOwnerId: owner }, 'found before any sync ran');

  const deal = await client.crm.deals.basicApi.create({
    properties: { dealname: `Call from ${caller.e164}`, pipeline: 'default', dealstage: 'appointmentscheduled', hubspot_owner_id: owner },
    associations: [{ to: { id: contact.id }, types: [{ associationCategory: Category.HubspotDefined, associationTypeId: 3 }] }],
  });
  await upsertDeal(m.db.pool, deal, { contactIds: [contact.id] });
  t.same(await lookupResponsible(m.db.pool, caller.e164, 2_000), { status: 'found', contactOwnerId: owner, dealOwnerId: owner });

  // what a PATCH answers: only the property sent; the rest stays
  const renamed = await client.crm.contacts.basicApi.update(contact.id, { properties: { firstname: 'Renamed' } });
  await upsertContact(m.db.pool, renamed, { defaultCountry: 'UA' });
  const { rows } = await m.db.pool.query('SELECT first_name, owner_id FROM crm_contacts WHERE id = $1', [contact.id]);
  t.same(rows, [{ first_name: 'Renamed', owner_id: owner }]);
  t.same(await lookupResponsible(m.db.pool, caller.e164, 2_000), { status: 'found', contactOwnerId: owner, dealOwnerId: owner }, 'phone and deal untouched');

  // an older version never replaces a newer one
  const stale = { id: contact.id, properties: { hubspot_owner_id: null, lastmodifieddate: '2001-01-01T00:00:00Z' } };
  t.match(await upsertContact(m.db.pool, stale, { defaultCountry: 'UA' }), { applied: 0, stale: 1 });
  t.match(await lookupResponsible(m.db.pool, caller.e164, 2_000), { contactOwnerId: owner });

  // inside the caller's transaction: rolled back with it
  const other = uaNumber(32);
  await withTransaction(m.db.pool, async (db) => {
    await upsertContact(db, { id: '777001', properties: { phone: other.written, hubspot_owner_id: owner } }, { defaultCountry: 'UA' });
    throw new Error('rollback');
  }).catch(() => undefined);
  t.same(await lookupResponsible(m.db.pool, other.e164, 2_000), { status: 'not_found' }, 'nothing left behind by a rolled-back transaction');
});
