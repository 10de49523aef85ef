// "Test call to the CRM" end to end: POST /api/v1/crm/test-calls stores a call
// marked as a test, the real CRM sync worker writes it to the HubSpot emulator
// through the real gateway, GET shows what was written with links, reports and
// the call log leave it out, and DELETE archives what it created through the
// official client's archive calls.
import t from 'tap';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { consoleUser, login } from '../../support/console.ts';
import { crm } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

type Rec = { key: string; type: string; id: string; reused: boolean; url: string | null };
type TestCall = { id: string; crm_sync_state: string; matrix_rows: string[]; client: string; portal_id: number | null; records: Rec[] };

t.test('test calls: stored as tests, synced by the worker, shown with links, left out of reports, deleted with what they wrote', async (t) => {
  const w = await crmWorld(t, { emulator: { portalId: 7_654_321 } });
  const { app } = await w.api();
  const { key } = await createApiKey(w.pool, 'test-call tests');
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });
  const testCalls = async () => (await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM calls WHERE is_test')).rows[0]!.n;
  const hs = crm(w.emulator);

  await t.test('bad input is refused, naming the field, and stores nothing', async (t) => {
    const unknownRow = await send('POST', '/api/v1/crm/test-calls', { row: 'inbound_lost' });
    t.equal(unknownRow.statusCode, 400);
    t.match(unknownRow.json().errors, [{ field: '/row' }]);
    const badNumber = await send('POST', '/api/v1/crm/test-calls', { row: 'inbound_missed_new', caller: 'not a number' });
    t.equal(badNumber.statusCode, 400);
    t.match(badNumber.json(), { code: 'PHONE_INVALID', errors: [{ field: '/caller' }] });
    const noContact = await send('POST', '/api/v1/crm/test-calls', { row: 'inbound_missed_existing' });
    t.equal(noContact.statusCode, 422, 'an existing-client row before any contact is known');
    t.match(noContact.json(), { code: 'TEST_CALL_NEEDS_DATA', errors: [{ field: '/caller', message: /run a new-client test call first/ }] });
    const unknownCaller = await send('POST', '/api/v1/crm/test-calls', { row: 'inbound_answered_responsible', caller: '+380671234567' });
    t.match(unknownCaller.json(), { code: 'TEST_CALL_NEEDS_DATA', errors: [{ field: '/caller', message: /has no contact in the CRM mirror/ }] });
    t.equal(await testCalls(), 0, 'nothing stored');
  });

  const created = await send('POST', '/api/v1/crm/test-calls', { row: 'inbound_answered_new' });
  t.equal(created.statusCode, 202, created.body);
  const first = created.json() as TestCall;
  t.equal(first.crm_sync_state, 'pending', 'queued for the worker');
  t.match(first.client, /^\+38099\d{7}$/, 'a fresh number');
  t.same((await w.pool.query('SELECT is_test FROM calls WHERE id = $1', [first.id])).rows, [{ is_test: true }], 'marked as a test');
  const early = await send('DELETE', `/api/v1/crm/test-calls/${first.id}`);
  t.equal(early.statusCode, 409, 'not deleted while its sync has not run');
  t.equal(early.json().code, 'TEST_CALL_SYNCING');

  await w.startWorker();
  await w.settled([first.id]);
  const synced = (await send('GET', `/api/v1/crm/test-calls/${first.id}`)).json() as TestCall;
  t.equal(synced.crm_sync_state, 'synced');
  t.same(synced.matrix_rows, ['inbound_answered_new'], 'the row asked for');
  t.equal(synced.portal_id, 7_654_321, "the portal id from HubSpot's account details");
  const contact = synced.records.find((r) => r.type === 'contact')!;
  const deal = synced.records.find((r) => r.type === 'deal')!;
  const engagement = synced.records.find((r) => r.type === 'call')!;
  t.ok(contact && deal && engagement, 'a contact, a deal and a call engagement written');
  t.equal(contact.url, `https://app.hubspot.com/contacts/7654321/record/0-1/${contact.id}`, 'a link to the contact');
  t.equal(deal.url, `https://app.hubspot.com/contacts/7654321/record/0-3/${deal.id}`, 'a link to the deal');
  t.equal(hs.props('contacts', contact.id).phone, first.client, 'the contact is in HubSpot with the test number');
  t.equal(hs.props('calls', engagement.id).ringpath_call_id, first.id, 'the engagement is in HubSpot');

  // the same client again: an existing client's missed call, on the contact the first test created
  const second = (await send('POST', '/api/v1/crm/test-calls', { row: 'inbound_missed_existing' })).json() as TestCall;
  t.equal(second.client, first.client, "the first test call's contact");
  await w.settled([second.id]);
  const secondSynced = (await send('GET', `/api/v1/crm/test-calls/${second.id}`)).json() as TestCall;
  t.same(secondSynced.matrix_rows, ['inbound_missed_existing']);
  t.notOk(secondSynced.records.some((r) => r.type === 'contact' && !r.reused), 'no new contact for an existing client');

  await t.test('left out of the call log unless asked for, and out of reports', async (t) => {
    const log = (await send('GET', '/api/v1/calls')).json();
    t.equal(log.total, 0, 'the call log leaves test calls out');
    const withTests = (await send('GET', '/api/v1/calls?include_test=true')).json();
    t.same(withTests.items.map((c: { id: string }) => c.id).sort(), [first.id, second.id].sort(), 'include_test=true shows them');
    t.ok(withTests.items.every((c: { is_test: boolean }) => c.is_test), 'marked is_test');
    const reports = (await send('GET', '/api/v1/reports')).json();
    t.same(reports.by_source.days, [], 'no calls by source');
    t.same(reports.by_employee, [], 'no answered or missed per employee');
    t.equal(reports.callbacks.called_back + reports.callbacks.not_called_back, 0, 'no missed calls to call back');
    await consoleUser(w.pool, { email: 'head@example.com', accessLevel: 'admin', salesRole: 'head' });
    await w.pool.query(`UPDATE employees SET notify_every_missed_call = true WHERE email = 'head@example.com'`);
    const head = await login(app, 'head@example.com');
    t.equal((await head.get('/api/v1/live/notifications')).json().count, 0, 'no missed-call notification for the missed test call');
    const list = (await send('GET', '/api/v1/crm/test-calls')).json();
    t.equal(list.total, 2, 'the test calls list has both');
  });

  await t.test('DELETE archives what each test call created in HubSpot and leaves what it reused', async (t) => {
    const secondCreated = secondSynced.records.filter((r) => !r.reused);
    t.equal((await send('DELETE', `/api/v1/crm/test-calls/${second.id}`)).statusCode, 204);
    for (const r of secondCreated) t.equal(w.emulator.control.record(`${r.type}s`, r.id)?.archived, true, `${r.type} ${r.id} archived`);
    t.equal(w.emulator.control.record('contacts', contact.id)?.archived, false, "the first test call's contact stays until that call is deleted");

    t.equal((await send('DELETE', `/api/v1/crm/test-calls/${first.id}`)).statusCode, 204);
    for (const r of synced.records) t.equal(w.emulator.control.record(`${r.type}s`, r.id)?.archived, true, `${r.type} ${r.id} archived`);
    const archives = w.emulator.control.requests.list().filter((q) => q.method === 'DELETE' && q.path.startsWith('/crm/v3/objects/'));
    t.equal(archives.length, secondCreated.length + synced.records.length, "one archive request per created record, through the client's archive call");
    t.equal((await send('GET', `/api/v1/crm/test-calls/${first.id}`)).statusCode, 404, 'gone');
    t.equal(await testCalls(), 0, 'no test call left');
    t.same((await w.pool.query('SELECT archived FROM crm_contacts WHERE id = $1', [contact.id])).rows, [{ archived: true }], 'the mirror forgets the contact too');
    t.equal((await send('DELETE', `/api/v1/crm/test-calls/${first.id}`)).statusCode, 404, 'deleting again: 404');
  });

  await t.test('the other rows: each test call applies the row asked for, under the settings of real calls', async (t) => {
    const skipped = (await send('POST', '/api/v1/crm/test-calls', { row: 'outbound_new' })).json() as TestCall;
    await w.settled([skipped.id]);
    const asReal = (await send('GET', `/api/v1/crm/test-calls/${skipped.id}`)).json() as TestCall & { warnings: Array<{ code: string }> };
    t.same(asReal.matrix_rows, ['outbound_unknown_skipped'], 'an outbound call to a new client writes nothing while the setting is off, as for real calls');
    t.match(asReal.warnings, [{ code: 'OUTBOUND_UNKNOWN_CLIENT' }], 'and says why');
    await w.settings({ crm_outbound_create_for_new_client: true });
    for (const row of ['inbound_missed_new', 'outbound_new', 'inbound_answered_responsible', 'outbound_existing']) {
      const made = await send('POST', '/api/v1/crm/test-calls', { row });
      t.equal(made.statusCode, 202, `${row}: ${made.body}`);
      const id = (made.json() as TestCall).id;
      await w.settled([id]);
      const done = (await send('GET', `/api/v1/crm/test-calls/${id}`)).json() as TestCall;
      t.same(done.matrix_rows, [row], `${row} applied`);
    }
    const all = (await send('GET', '/api/v1/crm/test-calls?limit=10')).json() as { items: TestCall[] };
    for (const c of all.items) t.equal((await send('DELETE', `/api/v1/crm/test-calls/${c.id}`)).statusCode, 204, `deleted ${c.id}`);
    t.equal(await testCalls(), 0, 'every test call deleted');
    t.equal(w.emulator.control.records('contacts').length, 0, 'and every contact they created archived');
  });

  await t.test('a call that is no test cannot be read or deleted as one', async (t) => {
    const real = await w.record({ client: '+380501119999', disposition: 'missed' });
    t.equal((await send('GET', `/api/v1/crm/test-calls/${real}`)).statusCode, 404);
    t.equal((await send('DELETE', `/api/v1/crm/test-calls/${real}`)).statusCode, 404);
    t.equal((await w.pool.query('SELECT count(*)::int AS n FROM calls WHERE id = $1', [real])).rows[0].n, 1, 'the real call stays');
  });
});
