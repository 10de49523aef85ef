// CRM search through the official client: operators, filter groups, sorting,
// paging, limits, and the indexing lag.
import { FilterOperatorEnum as Op, type PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import t from 'tap';
import { expectApiError, hubspotForTest, sleep } from '../../support/hubspot-emulator/testing.ts';

/** The client's model types sorts as strings; HubSpot also takes { propertyName, direction }. */
const sortBy = (propertyName: string, direction: 'ASCENDING' | 'DESCENDING'): string =>
  ({ propertyName, direction }) as unknown as string;

const search = (req: Partial<PublicObjectSearchRequest>): PublicObjectSearchRequest => ({ filterGroups: [], ...req });

/** These tests search more often than HubSpot's 5 per second; limits.test.ts covers that limit. */
const fast = { rateLimit: { searchPerSecond: 1000 } };

t.test('EQ, IN and CONTAINS_TOKEN filters, ORed filter groups, sorting and paging', async (t) => {
  const { client, emulator } = await hubspotForTest(t, fast);
  const people = [
    ['Ann', 'Lee', 'ann@acme.com', '+380501111111'],
    ['Bob', 'Stone', 'bob@acme.com', '+380502222222'],
    ['Cid', 'Lee', 'cid@other.org', '(050) 333-33-33'],
    ['Dan', 'Moss', 'dan@other.org', '+380504444444'],
    ['Eve', 'Lee', 'eve@acme.com', '+380505555555'],
  ];
  const ids: Record<string, string> = {};
  for (const [firstname, lastname, email, phone] of people) {
    ids[firstname!] = emulator.control.seed('contacts', { firstname: firstname!, lastname: lastname!, email: email!, phone: phone! }).id;
  }
  const api = client.crm.contacts.searchApi;

  const eq = await api.doSearch(search({ filterGroups: [{ filters: [{ propertyName: 'phone', operator: Op.Eq, value: '(050) 333-33-33' }] }], properties: ['phone'] }));
  t.equal(eq.total, 1);
  t.same(eq.results.map((r) => r.id), [ids.Cid]);
  t.equal(eq.results[0]?.properties.phone, '(050) 333-33-33');
  t.ok(eq.results[0]?.properties.hs_object_id && eq.results[0]?.properties.createdate, 'search always returns id and dates');

  const eqInsensitive = await api.doSearch(search({ filterGroups: [{ filters: [{ propertyName: 'email', operator: Op.Eq, value: 'ANN@ACME.COM' }] }] }));
  t.same(eqInsensitive.results.map((r) => r.id), [ids.Ann], 'string EQ ignores case');

  const inOp = await api.doSearch(search({ filterGroups: [{ filters: [{ propertyName: 'phone', operator: Op.In, values: ['+380502222222', '+380504444444', '+1'] }] }] }));
  t.same(inOp.results.map((r) => r.id), [ids.Bob, ids.Dan]);

  const token = await api.doSearch(search({ filterGroups: [{ filters: [{ propertyName: 'email', operator: Op.ContainsToken, value: '*@acme.com' }] }] }));
  t.same(token.results.map((r) => r.id), [ids.Ann, ids.Bob, ids.Eve], 'CONTAINS_TOKEN with a wildcard');
  const word = await api.doSearch(search({ filterGroups: [{ filters: [{ propertyName: 'lastname', operator: Op.ContainsToken, value: 'lee' }] }] }));
  t.equal(word.total, 3);

  const or = await api.doSearch(search({
    filterGroups: [
      { filters: [{ propertyName: 'lastname', operator: Op.Eq, value: 'Lee' }, { propertyName: 'email', operator: Op.ContainsToken, value: '*@acme.com' }] },
      { filters: [{ propertyName: 'firstname', operator: Op.Eq, value: 'Dan' }] },
    ],
    sorts: [sortBy('firstname', 'DESCENDING')],
  }));
  t.same(or.results.map((r) => r.properties.firstname), ['Eve', 'Dan', 'Ann'], 'groups are ORed, filters ANDed, sorted descending');

  const sortedString = await api.doSearch(search({ sorts: ['-createdate'], limit: 2 }));
  t.same(sortedString.results.map((r) => r.id), [ids.Eve, ids.Dan], '"-prop" sorts descending too (ties by id)');

  const seen: string[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await api.doSearch(search({ sorts: [sortBy('firstname', 'ASCENDING')], limit: 2, ...(after ? { after } : {}) }));
    t.equal(page.total, 5, 'total counts every match on every page');
    seen.push(...page.results.map((r) => r.properties.firstname ?? ''));
    after = page.paging?.next?.after;
    pages++;
  } while (after);
  t.same(seen, ['Ann', 'Bob', 'Cid', 'Dan', 'Eve']);
  t.equal(pages, 3);
});

t.test('other operators and association filters', async (t) => {
  const { client, emulator } = await hubspotForTest(t, fast);
  const contact = emulator.control.seed('contacts', { email: 'x@example.com' });
  const open = emulator.control.seed('deals', { dealname: 'open', dealstage: 'qualifiedtobuy', amount: '50' }, { associations: [{ toType: 'contacts', toId: contact.id }] });
  emulator.control.seed('deals', { dealname: 'won', dealstage: 'closedwon', amount: '500' }, { associations: [{ toType: 'contacts', toId: contact.id }] });
  emulator.control.seed('deals', { dealname: 'other', dealstage: 'appointmentscheduled' });
  const api = client.crm.deals.searchApi;
  const openForContact = await api.doSearch(search({
    filterGroups: [{ filters: [
      { propertyName: 'associations.contact', operator: Op.Eq, value: contact.id },
      { propertyName: 'hs_is_closed', operator: Op.Eq, value: 'false' },
    ] }],
    properties: ['dealname', 'dealstage', 'pipeline', 'hubspot_owner_id'],
  }));
  t.same(openForContact.results.map((r) => r.id), [open.id], "a contact's open deals");
  t.equal(openForContact.results[0]?.properties.pipeline, 'default');
  const amounts = await api.doSearch(search({ filterGroups: [{ filters: [{ propertyName: 'amount', operator: Op.Gte, value: '100' }] }] }));
  t.same(amounts.results.map((r) => r.properties.dealname), ['won'], 'numbers compare as numbers');
  const without = await api.doSearch(search({ filterGroups: [{ filters: [{ propertyName: 'amount', operator: Op.NotHasProperty }] }] }));
  t.same(without.results.map((r) => r.properties.dealname), ['other']);
  const query = await client.crm.contacts.searchApi.doSearch(search({ query: 'x@exam' }));
  t.equal(query.total, 1, 'free-text query matches token prefixes');
});

t.test('new and changed records reach search only after the indexing lag', async (t) => {
  const { client } = await hubspotForTest(t, { ...fast, searchLagMs: 1_500 });
  const created = await client.crm.contacts.basicApi.create({ properties: { email: 'lag@example.com', firstname: 'Old' } });
  const byEmail = search({ filterGroups: [{ filters: [{ propertyName: 'email', operator: Op.Eq, value: 'lag@example.com' }] }], properties: ['firstname'] });
  t.equal((await client.crm.contacts.searchApi.doSearch(byEmail)).total, 0, 'not searchable right after the create');
  t.equal((await client.crm.contacts.basicApi.getById(created.id)).id, created.id, 'but readable by id at once');
  await sleep(1_600);
  const found = await client.crm.contacts.searchApi.doSearch(byEmail);
  t.same(found.results.map((r) => r.id), [created.id], 'searchable after the lag');

  await client.crm.contacts.basicApi.update(created.id, { properties: { firstname: 'New' } });
  t.equal((await client.crm.contacts.searchApi.doSearch(byEmail)).results[0]?.properties.firstname, 'Old', 'search serves the old value meanwhile');
  await client.crm.contacts.basicApi.archive(created.id);
  t.equal((await client.crm.contacts.searchApi.doSearch(byEmail)).total, 1, 'and still finds the archived record');
  await sleep(1_600);
  t.equal((await client.crm.contacts.searchApi.doSearch(byEmail)).total, 0, 'until the index catches up');
});

t.test('the control can flush the index; seeds are searchable at once unless asked otherwise', async (t) => {
  const { client, emulator } = await hubspotForTest(t, { ...fast, searchLagMs: 60_000 });
  emulator.control.seed('contacts', { email: 'now@example.com' });
  emulator.control.seed('contacts', { email: 'later@example.com' }, { searchable: 'after-lag' });
  await client.crm.contacts.basicApi.create({ properties: { email: 'api@example.com' } });
  t.equal((await client.crm.contacts.searchApi.doSearch(search({}))).total, 1);
  emulator.control.search.flush();
  t.equal((await client.crm.contacts.searchApi.doSearch(search({}))).total, 3);
});

t.test('search requests are validated like HubSpot', async (t) => {
  const { client } = await hubspotForTest(t, fast);
  const api = client.crm.contacts.searchApi;
  const bad = async (req: PublicObjectSearchRequest, why: string) => {
    const err = await expectApiError(() => api.doSearch(req));
    t.equal(err.code, 400, why);
    t.match(err.body, { status: 'error', category: 'VALIDATION_ERROR' });
  };
  await bad(search({ limit: 201 }), 'limit is at most 200');
  await bad(search({ after: '9950', limit: 100 }), 'no paging past 10,000 results');
  await bad(search({ filterGroups: [{ filters: [{ propertyName: 'nope', operator: Op.Eq, value: '1' }] }] }), 'unknown property');
  await bad(search({ filterGroups: [{ filters: [{ propertyName: 'email', operator: Op.In }] }] }), 'IN needs values');
  await bad(search({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [{ propertyName: 'email', operator: Op.HasProperty }] })) }), 'at most 5 groups');
  await bad(search({ sorts: ['email', 'firstname'] }), 'one sort');
});
