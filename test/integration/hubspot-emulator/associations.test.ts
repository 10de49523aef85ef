// Associations v4, owners and pipelines through the official client.
import { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import t from 'tap';
import { expectApiError, hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

t.test('v4: default and typed associations, listing, batch read and archive', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const contact = emulator.control.seed('contacts', { email: 'a@example.com' });
  const company = emulator.control.seed('companies', { name: 'Acme' });
  const deals = [1, 2, 3].map((i) => emulator.control.seed('deals', { dealname: `d${i}` }));
  const v4 = client.crm.associations.v4;

  const def = await v4.basicApi.createDefault('contacts', contact.id, 'deals', deals[0]!.id);
  t.equal(def.status, 'COMPLETE');
  t.same(def.results.map((r) => [r._from.id, r.to.id, r.associationSpec.associationTypeId]), [
    [contact.id, deals[0]!.id, 4],
    [deals[0]!.id, contact.id, 3],
  ]);

  const labeled = await v4.basicApi.create('contacts', contact.id, 'companies', company.id, [
    { associationCategory: Category.HubspotDefined, associationTypeId: 1 },
  ]);
  t.equal(labeled.fromObjectTypeId, '0-1');
  t.equal(labeled.toObjectTypeId, '0-2');
  t.same(labeled.labels, ['Primary']);
  t.equal(typeof labeled.toObjectId, 'number', 'the live API sends v4 ids as numbers, whatever the model class says');

  await v4.batchApi.create('contacts', 'deals', {
    inputs: deals.slice(1).map((d) => ({ _from: { id: contact.id }, to: { id: d.id }, types: [{ associationCategory: Category.HubspotDefined, associationTypeId: 4 }] })),
  });
  const page1 = await v4.basicApi.getPage('contacts', contact.id, 'deals', undefined, 2);
  t.same(page1.results.map((r) => String(r.toObjectId)), [deals[0]!.id, deals[1]!.id]);
  t.same(page1.results[0]?.associationTypes, [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }]);
  const page2 = await v4.basicApi.getPage('contacts', contact.id, 'deals', page1.paging?.next?.after, 2);
  t.same(page2.results.map((r) => String(r.toObjectId)), [deals[2]!.id]);
  const companies = await v4.basicApi.getPage('contact', contact.id, '0-2');
  t.same(companies.results[0]?.associationTypes.map((a) => [a.typeId, a.label]), [[1, 'Primary'], [279, null]], 'a labeled association keeps the unlabeled one; type aliases work');

  const lonely = emulator.control.seed('deals', { dealname: 'alone' });
  const batch = await v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: deals[0]!.id }, { id: lonely.id }] });
  t.same(batch.results.map((r) => [r._from.id, r.to.map((x) => String(x.toObjectId))]), [[deals[0]!.id, [contact.id]]]);
  t.match(batch, { numErrors: 1, errors: [{ subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', context: { fromObjectId: [lonely.id] } }] });

  await v4.basicApi.archive('contacts', contact.id, 'deals', deals[0]!.id);
  await v4.batchApi.archive('contacts', 'deals', { inputs: [{ _from: { id: contact.id }, to: [{ id: deals[1]!.id }] }] });
  t.same(emulator.control.associations('contacts', contact.id, 'deals').map((a) => a.toId), [deals[2]!.id]);
  t.same(emulator.control.associations('deals', deals[0]!.id), [], 'removed both ways');

  const missing = await expectApiError(() => v4.basicApi.createDefault('contacts', contact.id, 'deals', '987654'));
  t.equal(missing.code, 400);
  const wrong = await expectApiError(() =>
    v4.basicApi.create('contacts', contact.id, 'deals', deals[2]!.id, [{ associationCategory: Category.HubspotDefined, associationTypeId: 3 }]),
  );
  t.equal(wrong.code, 400, 'type 3 goes from deals, not from contacts');
});

t.test('owners: paging and lookup', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  for (let i = 1; i <= 5; i++) emulator.control.addOwner({ email: `rep${i}@example.com`, firstName: `Rep${i}`, lastName: 'X' });
  emulator.control.addOwner({ email: 'gone@example.com', archived: true });
  const api = client.crm.owners.ownersApi;
  const first = await api.getPage(undefined, undefined, 2);
  t.same(first.results.map((o) => o.email), ['rep1@example.com', 'rep2@example.com']);
  t.ok(first.results[0]?.createdAt instanceof Date && first.results[0]?.type === 'PERSON' && first.results[0]?.userId);
  const all: string[] = [];
  let after: string | undefined;
  do {
    const page = await api.getPage(undefined, after, 2);
    all.push(...page.results.map((o) => o.email ?? ''));
    after = page.paging?.next?.after;
  } while (after);
  t.equal(all.length, 5, 'archived owners are left out');
  t.same((await api.getPage(undefined, undefined, 100, true)).results.map((o) => o.email), ['gone@example.com']);
  const byEmail = await api.getPage('REP3@example.com');
  t.equal(byEmail.results.length, 1);
  const one = await api.getById(Number(byEmail.results[0]!.id));
  t.equal(one.firstName, 'Rep3');
  t.equal((await api.getById(one.userId!, 'userId')).id, one.id);
  t.equal((await expectApiError(() => api.getById(1))).code, 404);
});

t.test('pipelines: the default deal pipeline and added ones', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const added = emulator.control.addPipeline({
    label: 'Inbound calls',
    stages: [{ label: 'New', probability: 0.1 }, { label: 'Won', probability: 1, isClosed: true }, { label: 'Lost', probability: 0, isClosed: true }],
  });
  const all = await client.crm.pipelines.pipelinesApi.getAll('deals');
  t.same(all.results.map((p) => p.label), ['Sales Pipeline', 'Inbound calls']);
  const def = all.results[0]!;
  t.equal(def.id, 'default');
  t.same(def.stages.map((s) => [s.id, s.metadata?.isClosed, s.metadata?.probability]), [
    ['appointmentscheduled', 'false', '0.2'],
    ['qualifiedtobuy', 'false', '0.4'],
    ['presentationscheduled', 'false', '0.6'],
    ['decisionmakerboughtin', 'false', '0.8'],
    ['contractsent', 'false', '0.9'],
    ['closedwon', 'true', '1.0'],
    ['closedlost', 'true', '0.0'],
  ]);
  t.ok(def.createdAt instanceof Date);
  const stages = await client.crm.pipelines.pipelineStagesApi.getAll('deals', added.id);
  t.same(stages.results.map((s) => s.label), ['New', 'Won', 'Lost']);

  const wonStage = added.stages[1]!.id;
  const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'x', pipeline: added.id, dealstage: wonStage } });
  t.equal(deal.properties.dealstage, wonStage);
  const closed = emulator.control.record('deals', deal.id)!;
  t.same([closed.properties.hs_is_closed, closed.properties.hs_is_closed_won], ['true', 'true']);
  const crossed = await expectApiError(() => client.crm.deals.basicApi.create({ properties: { dealname: 'y', pipeline: added.id, dealstage: 'closedwon' } }));
  t.equal(crossed.code, 400, "a stage of another pipeline is rejected");
  t.equal((await expectApiError(() => client.crm.pipelines.pipelinesApi.getById('deals', 'nope'))).code, 404);
});
