// A missed call from an existing client whose contact and open deal have different
// owners: the call-back task is attached to the deal, so it goes to the deal's owner,
// whatever the responsible-manager lookup order says.
import t from 'tap';
import { writeContacts, writeDeals } from '../../../src/crm/mirror/store.ts';
import { crm } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

t.test("the call-back task goes to the owner of the deal it is attached to", async (t) => {
  const w = await crmWorld(t);
  await w.settings({ crm_responsible_lookup_order: ['contact_owner', 'deal_owner'] });
  const phone = '+380507340001';
  const contact = w.emulator.control.seed('contacts', { phone, firstname: 'Shared', hubspot_owner_id: w.ana.ownerId });
  const deal = w.emulator.control.seed('deals', { dealname: 'Boris deal', pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: w.boris.ownerId }, {
    associations: [{ toType: 'contacts', toId: contact.id }],
  });
  const at = new Date();
  await writeContacts(w.pool, [{ id: contact.id, lastModifiedAt: at, ownerId: w.ana.ownerId, firstName: 'Shared', lastName: null, email: null, phones: [{ property: 'phone', raw: phone, e164: phone, problem: null }], phoneScope: null }]);
  await writeDeals(w.pool, [{ id: deal.id, lastModifiedAt: at, name: 'Boris deal', ownerId: w.boris.ownerId, pipelineId: 'default', stageId: 'qualifiedtobuy', closedInCrm: false, contactIds: [contact.id] }]);
  await w.startWorker();

  const id = await w.record({ client: phone, disposition: 'missed' });
  t.same(await w.settled([id]), { [id]: 'synced' });
  const hs = crm(w.emulator);
  const [task] = hs.ofCall('tasks', id);
  t.ok(task, 'a call-back task');
  t.same(hs.links('tasks', task!.id, 'deals'), [deal.id], "on Boris's deal");
  t.equal(task!.properties.hubspot_owner_id, w.boris.ownerId, 'for Boris, the deal owner, not Ana, the contact owner');
});
