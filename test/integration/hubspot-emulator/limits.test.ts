// Rate limits, injected faults, downtime and the request log, through the official client.
import t from 'tap';
import { clientApiError, expectApiError, hubspotForTest, sleep } from '../../support/hubspot-emulator/testing.ts';

t.test('the 10-second limit answers 429 with HubSpot body and headers', async (t) => {
  const { client, emulator } = await hubspotForTest(t, { rateLimit: { perTenSeconds: 3 } });
  const ok = await client.crm.contacts.basicApi.getPageWithHttpInfo();
  t.equal(ok.httpStatusCode, 200);
  t.equal(ok.headers['x-hubspot-ratelimit-max'], '3');
  t.equal(ok.headers['x-hubspot-ratelimit-remaining'], '2');
  t.equal(ok.headers['x-hubspot-ratelimit-interval-milliseconds'], '10000');
  await client.crm.contacts.basicApi.getPage();
  await client.crm.owners.ownersApi.getPage();
  const limited = await expectApiError(() => client.crm.deals.basicApi.getPage());
  t.equal(limited.code, 429, 'the client surfaces 429');
  t.match(limited.body, {
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    category: 'RATE_LIMITS',
    policyName: 'TEN_SECONDLY_ROLLING',
    correlationId: /[0-9a-f-]{36}/,
  });
  t.ok(Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 10, 'Retry-After in seconds');
  t.equal(limited.headers['x-hubspot-ratelimit-remaining'], '0');
  t.equal(emulator.control.requests.count((r) => r.status === 429), 1, 'the log records the 429');

  emulator.control.rateLimit.reset();
  t.equal((await client.crm.deals.basicApi.getPage()).results.length, 0, 'a fresh window admits requests again');
  emulator.control.rateLimit.set({ perTenSeconds: 100 });
  t.equal(emulator.control.rateLimit.get().perTenSeconds, 100);
});

t.test('search has its own per-second limit and no rate-limit headers', async (t) => {
  const { client } = await hubspotForTest(t, { rateLimit: { searchPerSecond: 4 } });
  const req = { filterGroups: [] };
  const first = await client.crm.contacts.searchApi.doSearchWithHttpInfo(req);
  t.equal(first.headers['x-hubspot-ratelimit-remaining'], undefined, 'search responses carry no X-HubSpot-RateLimit headers');
  for (let i = 0; i < 3; i++) await client.crm.deals.searchApi.doSearch(req);
  const limited = await expectApiError(() => client.crm.contacts.searchApi.doSearch(req));
  t.equal(limited.code, 429);
  t.match(limited.body, { message: 'You have reached your secondly limit.', policyName: 'SECONDLY', errorType: 'RATE_LIMIT' });
  t.equal(limited.headers['retry-after'], '1');
  t.equal((await client.crm.contacts.basicApi.getPage()).results.length, 0, 'other endpoints are not affected');
  await sleep(1_050);
  t.equal((await client.crm.contacts.searchApi.doSearch(req)).total, 0, 'a second later search works again');
});

t.test('injected 5xx: the next N requests fail, optionally only on one route', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  emulator.control.faults.failNext(1);
  const failed = await expectApiError(() => client.crm.contacts.basicApi.getPage());
  t.equal(failed.code, 500);
  t.match(failed.body, { status: 'error', category: 'INTERNAL_ERROR', correlationId: /\w/ });
  t.equal((await client.crm.contacts.basicApi.getPage()).results.length, 0, 'the next request succeeds');

  emulator.control.faults.failNext(2, { status: 502, route: 'POST /crm/v3/objects/{objectType}/batch/create' });
  t.ok(await client.crm.contacts.basicApi.create({ properties: { firstname: 'x' } }), 'other routes are unaffected');
  const inputs = [{ properties: { firstname: 'y' }, associations: [] }];
  t.equal((await expectApiError(() => client.crm.contacts.batchApi.create({ inputs }))).code, 502);
  t.equal((await expectApiError(() => client.crm.deals.batchApi.create({ inputs: [{ properties: { dealname: 'z' }, associations: [] }] }))).code, 502);
  t.equal(emulator.control.faults.pending(), 0);
  t.equal((await client.crm.contacts.batchApi.create({ inputs })).results.length, 1);
  t.equal(emulator.control.records('contacts').length, 2, 'failed requests wrote nothing');

  emulator.control.faults.failNext(1, { status: 503, html: true });
  const html = await expectApiError(() => client.crm.contacts.basicApi.getPage());
  t.equal(html.code, 503);
  t.type(html.body, 'string', 'a gateway-style HTML page: the body is a string, not HubSpot\'s error object');
});

t.test('downtime: connection refused, connection reset, or 503, then back', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  await client.crm.contacts.basicApi.getPage(); // leaves a keep-alive connection open
  await emulator.control.faults.down();
  const refused = await client.crm.contacts.basicApi.getPage().then(() => undefined, (err: unknown) => err as { code?: unknown });
  t.equal(refused?.code, 'ECONNREFUSED');
  await emulator.control.faults.up();
  t.equal((await client.crm.contacts.basicApi.getPage()).results.length, 0, 'up again on the same port');

  await emulator.control.faults.down(300);
  t.ok(await client.crm.contacts.basicApi.getPage().then(() => false, () => true), 'down for a while');
  await sleep(400);
  t.equal((await client.crm.contacts.basicApi.getPage()).results.length, 0, 'and back by itself');

  await emulator.control.faults.down(undefined, 'reset');
  const reset = await client.crm.contacts.basicApi.getPage().then(() => undefined, (err: unknown) => err as { code?: unknown; message?: unknown });
  t.ok(reset?.code === 'ECONNRESET' || /socket hang up/.test(String(reset?.message)), 'connections are dropped');
  await emulator.control.faults.down(undefined, '503');
  t.equal((await expectApiError(() => client.crm.contacts.basicApi.getPage())).code, 503);
  await emulator.control.faults.up();
  t.equal((await client.crm.contacts.basicApi.getPage()).results.length, 0);
});

t.test('held answers: the request is carried out, its answer waits until released', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  emulator.control.faults.holdAnswers('POST /crm/v3/objects/contacts');
  let answered = false;
  const creating = client.crm.contacts.basicApi.create({ properties: { email: 'held@example.com' } }).then((c) => {
    answered = true;
    return c;
  });
  while (emulator.control.faults.held() === 0) await sleep(5);
  const [made] = emulator.control.records('contacts');
  t.equal(made?.properties.email, 'held@example.com', 'the contact is made');
  await client.crm.owners.ownersApi.getPage();
  t.notOk(answered, 'its answer is held while other routes answer');
  t.equal(emulator.control.requests.count((r) => r.key === 'POST /crm/v3/objects/contacts' && r.status === 0), 1, 'logged as unanswered');
  emulator.control.faults.release();
  t.equal((await creating).id, made?.id, 'released: the client hears of the contact');
  t.equal(emulator.control.faults.held(), 0);
  await client.crm.contacts.basicApi.create({ properties: { email: 'next@example.com' } });
  t.equal(emulator.control.faults.held(), 0, 'release stops holding');
});

t.test('the request log counts requests by route', async (t) => {
  const { client, emulator } = await hubspotForTest(t);
  const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'a@example.com' } });
  await client.crm.contacts.basicApi.getById(contact.id);
  await client.crm.contacts.basicApi.getById(contact.id);
  await client.crm.objects.calls.basicApi.create({ properties: { hs_timestamp: '1700000000000' } });
  await client.crm.contacts.searchApi.doSearch({ filterGroups: [] });
  const log = emulator.control.requests;
  t.same(log.byRoute(), {
    'POST /crm/v3/objects/contacts': 1,
    'GET /crm/v3/objects/contacts/{objectId}': 2,
    'POST /crm/v3/objects/calls': 1,
    'POST /crm/v3/objects/contacts/search': 1,
  });
  t.equal(log.count('POST /crm/v3/objects/{objectType}'), 2, 'by template');
  t.equal(log.count(/\/search$/), 1, 'by RegExp on "METHOD /path"');
  t.equal(log.count(`GET /crm/v3/objects/contacts/${contact.id}`), 2, 'by concrete path');
  t.ok(log.list().every((r) => r.status >= 200 && r.status < 300));
  log.clear();
  t.equal(log.count(), 0);
});

t.test('latency and reset', async (t) => {
  const { client, emulator } = await hubspotForTest(t, { searchLagMs: 5 });
  emulator.control.faults.latency(1_000, /\/owners/);
  let ownersAnswered = false;
  const owners = client.crm.owners.ownersApi.getPage().then(() => (ownersAnswered = true));
  while (emulator.control.requests.count(/\/owners/) === 0) await sleep(5);
  await client.crm.contacts.basicApi.getPage();
  t.notOk(ownersAnswered, 'owners answers after a contacts request sent later: only the matching route is slowed');
  await owners;
  emulator.control.seed('contacts', { email: 'a@example.com' });
  emulator.control.defineProperty('contacts', { name: 'utm_source' });
  emulator.control.addOwner({ email: 'o@example.com' });
  emulator.control.faults.failNext(5);
  emulator.control.rateLimit.set({ perTenSeconds: 1 });
  emulator.control.search.lagMs = 999;
  emulator.control.reset();
  t.equal(emulator.control.records('contacts').length, 0);
  t.equal(emulator.control.owners().length, 0);
  t.equal(emulator.control.search.lagMs, 5, 'the configured lag is restored');
  t.equal(emulator.control.faults.pending(), 0);
  t.equal(emulator.control.requests.count(), 0);
  for (let i = 0; i < 3; i++) await client.crm.owners.ownersApi.getPage();
  t.equal(emulator.control.requests.count((r) => r.status === 200), 3, 'the limit is back to the configured one');
  t.equal((await expectApiError(() => client.crm.contacts.basicApi.create({ properties: { utm_source: 'x' } }))).code, 400, 'custom properties are gone');
});

t.test('documented limits: plans, 429 without Retry-After, 423 and 477, batch read of 1,000 ids', async (t) => {
  const { PLAN_LIMITS, DEFAULT_RATE_LIMIT } = await import('../../support/hubspot-emulator/ratelimit.ts');
  t.same(
    Object.fromEntries(Object.entries(PLAN_LIMITS).map(([plan, l]) => [plan, [l.perTenSeconds, l.daily]])),
    { free: [100, 250_000], starter: [100, 250_000], professional: [190, 625_000], enterprise: [190, 1_000_000] },
  );
  t.match(DEFAULT_RATE_LIMIT, { perTenSeconds: 190, daily: 625_000 }, 'a Professional portal by default');

  const { client, emulator } = await hubspotForTest(t, { rateLimit: { perTenSeconds: 1, retryAfter: false } });
  await client.crm.contacts.basicApi.getPage();
  const limited = await expectApiError(() => client.crm.contacts.basicApi.getPage());
  t.equal(limited.code, 429);
  t.equal(limited.headers['retry-after'], undefined, 'no Retry-After');
  emulator.control.rateLimit.set({ perTenSeconds: 190, retryAfter: true });
  emulator.control.rateLimit.reset();

  emulator.control.faults.failNext(1, { status: 423 });
  const locked = await expectApiError(() => client.crm.contacts.basicApi.getPage());
  t.match(locked, { code: 423, body: { category: 'LOCKED' } });
  emulator.control.faults.failNext(1, { status: 477, retryAfterS: 3600 });
  const migrating = await expectApiError(() => client.crm.contacts.basicApi.getPage());
  t.match(migrating, { code: 477, body: { category: 'MIGRATION_IN_PROGRESS' }, headers: { 'retry-after': '3600' } });

  const ids = Array.from({ length: 1000 }, (_, i) => ({ id: String(900_000 + i) }));
  const read = await client.crm.contacts.batchApi.read({ inputs: ids, properties: ['phone'], propertiesWithHistory: [] });
  t.equal(read.results.length, 0, '1,000 ids are accepted (none exists)');
  const tooMany = await expectApiError(() => client.crm.contacts.batchApi.read({ inputs: [...ids, { id: '1' }], properties: [], propertiesWithHistory: [] }));
  t.match(tooMany, { code: 400, body: { category: 'VALIDATION_ERROR', message: /1001 exceeds the limit of 1000/ } });
  const writes = await expectApiError(() => client.crm.contacts.batchApi.create({ inputs: Array.from({ length: 101 }, () => ({ properties: {}, associations: [] })) }));
  t.equal(writes.code, 400, 'writes stay at 100 inputs');
});
