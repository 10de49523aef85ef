// The HubSpot gateway against the emulator, through the official client:
// rate limits shared with a second ringpath process (a child process on the same
// database), 429s waited out, retries, and the errors it gives up with.
import path from 'node:path';
import t from 'tap';
import { loadConfig } from '../../../src/config.ts';
import { backoffMs, classifyFailure, createHubSpotGateway, HubSpotError, retryAfterMs } from '../../../src/crm/hubspot/client.ts';
import { fixedWindowFor, worstCaseInSpan } from '../../../src/crm/hubspot/limiter.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';
import type { HubSpotEmulator } from '../../support/hubspot-emulator/index.ts';
import type { RequestRecord } from '../../support/hubspot-emulator/requests.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';
import { REPO_ROOT, startScript } from '../../support/process.ts';

const GATEWAY_PROCESS = path.join(REPO_ROOT, 'test/support/crm/gateway-process.ts');

function crmConfig(emulator: HubSpotEmulator, env: Record<string, string> = {}) {
  return loadConfig({ HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url, LOG_LEVEL: 'silent', ...env }).crm;
}

/** A sleep that records what it was asked for and returns at once. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** The largest number of logged requests inside any rolling window of `spanMs`, as the emulator counts them. */
function rollingMax(times: readonly number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - spanMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

t.test('fixed windows never let a rolling window exceed the limit', async (t) => {
  for (const limit of [1, 2, 3, 5, 10, 19, 20, 100, 150, 190, 1000]) {
    const w = fixedWindowFor(limit, 10_000, 250);
    t.ok(worstCaseInSpan(w, 10_000, 250) <= limit, `${limit}/10 s: ${w.points} per ${w.durationMs} ms`);
    t.equal((w.durationMs / 1000) * 1000, w.durationMs, 'a whole number of milliseconds after the seconds round trip');
    t.ok((w.points * 10_000) / w.durationMs >= limit * 0.8, 'and still uses most of the budget');
  }
  const search = fixedWindowFor(4, 1_000, 100);
  t.same(search, { points: 1, durationMs: 275 }, '4 searches a second: one every 275 ms');
  t.throws(() => fixedWindowFor(0, 10_000, 0));
});

t.test('failures are classified from what the official client throws', async (t) => {
  const api = (code: number, body: unknown, headers: Record<string, string> = {}) => Object.assign(new Error('An error occurred.'), { code, body, headers });
  t.match(classifyFailure(api(429, { policyName: 'SECONDLY', category: 'RATE_LIMITS' }, { 'retry-after': '1' })), {
    kind: 'rate-limit', status: 429, policy: 'SECONDLY', retryAfterMs: 1000,
  });
  t.match(classifyFailure(api(502, '<html><h1>502 Bad Gateway</h1></html>')), { kind: 'transient', status: 502, detail: /502 Bad Gateway/ });
  t.match(classifyFailure(api(400, { category: 'VALIDATION_ERROR', message: 'Property values were not valid' })), {
    kind: 'permanent', status: 400, category: 'VALIDATION_ERROR', detail: 'HubSpot answered 400 VALIDATION_ERROR: Property values were not valid',
  });
  t.match(classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', type: 'system' })), { kind: 'transient', category: 'NETWORK' });
  t.match(classifyFailure(new TypeError('x is not a function')), { kind: 'permanent', category: 'CLIENT' });
  t.equal(retryAfterMs('10'), 10_000);
  t.equal(retryAfterMs(new Date(Date.now() + 5_000).toUTCString(), Date.now()) !== undefined, true);
  t.equal(retryAfterMs('soon'), undefined);
  t.same([1, 2, 3, 4, 10].map((n) => backoffMs(n, () => 1)), [250, 500, 1000, 2000, 15000], 'doubling up to a ceiling');
  t.same([1, 2, 3].map((n) => backoffMs(n, () => 0)), [125, 250, 500], 'at least half of it');
});

t.test('429 bursts are waited out: every call succeeds', async (t) => {
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t, { rateLimit: { perTenSeconds: 3, searchPerSecond: 1 } });
  // ringpath believes in a bigger budget than the portal has, so HubSpot answers 429
  const gateway = createHubSpotGateway(crmConfig(emulator, { HUBSPOT_RATE_LIMIT: '100', HUBSPOT_SEARCH_RATE_LIMIT: '20' }), db.pool, silentLogger);
  const pages = await Promise.all(
    Array.from({ length: 5 }, (_, i) => gateway.call('standard', `page ${i}`, (c) => c.crm.contacts.basicApi.getPage())),
  );
  t.equal(pages.length, 5, 'all five calls succeed');
  t.equal(emulator.control.requests.count((r) => r.status === 200), 5, 'HubSpot accepted five requests');
  // HubSpot takes 3 and refuses 2 with Retry-After; a gateway that retried before the
  // window it named had passed would be refused again (and again).
  t.equal(emulator.control.requests.count((r) => r.status === 429), 2, 'each refused call was refused once: it waited for the window HubSpot named');
  t.equal(rollingMax(emulator.control.requests.list((r) => r.status === 200).map((r) => r.at), 10_000), 3, 'never more than 3 accepted in 10 s');

  emulator.control.requests.clear();
  emulator.control.rateLimit.reset();
  emulator.control.rateLimit.set({ perTenSeconds: 190 });
  const searches = await Promise.all(
    Array.from({ length: 3 }, () => gateway.call('search', 'search', (c) => c.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 1 }))),
  );
  t.equal(searches.length, 3);
  t.equal(emulator.control.requests.count((r) => r.status === 200), 3);
});

t.test('injected 5xx are retried with backoff', async (t) => {
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t);
  const { waits, sleep } = recordingSleep();
  const gateway = createHubSpotGateway(crmConfig(emulator), db.pool, silentLogger, { sleep, maxAttempts: 5 });
  emulator.control.faults.failNext(2, { status: 502 });
  emulator.control.faults.failNext(1, { status: 503, html: true });
  const page = await gateway.call('standard', 'list contacts', (c) => c.crm.contacts.basicApi.getPage());
  t.same(page.results, []);
  t.same(emulator.control.requests.list().map((r) => r.status), [502, 502, 503, 200]);
  t.equal(waits.length, 3, 'three waits before the three retries');
  t.ok(waits[2]! >= waits[0]!, 'waits grow');
});

t.test('HubSpot down: a retryable HubSpotError after a bounded number of attempts', async (t) => {
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t);
  const { waits, sleep } = recordingSleep();
  const gateway = createHubSpotGateway(crmConfig(emulator), db.pool, silentLogger, { sleep, maxAttempts: 3 });

  await emulator.control.faults.down(undefined, 'refuse');
  const refused = await gateway.call('standard', 'list deals', (c) => c.crm.deals.basicApi.getPage()).catch((e: unknown) => e);
  t.type(refused, HubSpotError);
  t.match(refused, { retryable: true, status: undefined, category: 'NETWORK', message: /list deals: no answer from HubSpot: ECONNREFUSED \(after 3 attempts\)/ });
  t.equal(waits.length, 2, 'two waits between three attempts');

  await emulator.control.faults.up();
  await emulator.control.faults.down(undefined, '503');
  const unavailable = await gateway.call('standard', 'list deals', (c) => c.crm.deals.basicApi.getPage()).catch((e: unknown) => e);
  t.match(unavailable, { retryable: true, status: 503 });
  t.equal(emulator.control.requests.count((r) => r.status === 503), 3, 'three attempts reached HubSpot');

  await emulator.control.faults.up();
  t.ok(await gateway.call('standard', 'list deals', (c) => c.crm.deals.basicApi.getPage()), 'works again once HubSpot is back');
});

t.test('a validation error is permanent and is not retried', async (t) => {
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t);
  const { waits, sleep } = recordingSleep();
  const gateway = createHubSpotGateway(crmConfig(emulator), db.pool, silentLogger, { sleep });
  const err = await gateway
    .call('standard', 'create contact', (c) => c.crm.contacts.basicApi.create({ properties: { no_such_property: 'x' }, associations: [] }))
    .catch((e: unknown) => e);
  t.type(err, HubSpotError);
  t.match(err, { status: 400, category: 'VALIDATION_ERROR', retryable: false, message: /^create contact: HubSpot answered 400 VALIDATION_ERROR: / });
  t.equal(emulator.control.requests.count(), 1, 'one request');
  t.same(waits, []);
});

t.test('two processes sharing one database stay within the limit together', async (t) => {
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t, { rateLimit: { perTenSeconds: 100, searchPerSecond: 4 } });
  const env = { HUBSPOT_RATE_LIMIT: '100', HUBSPOT_SEARCH_RATE_LIMIT: '4' };
  // The other process lists and searches deals, this one contacts: the emulator's log tells them apart.
  const other = startScript(GATEWAY_PROCESS, { DATABASE_URL: db.url, HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url, LOG_LEVEL: 'warn', ...env });
  t.teardown(() => void other.child.kill('SIGKILL'));
  const gateway = createHubSpotGateway(crmConfig(emulator, env), db.pool, silentLogger);
  await other.line(/^ready/);
  const log = emulator.control.requests;
  const theirs = (r: RequestRecord) => r.path.includes('/deals');
  const overlap = (records: RequestRecord[]) => {
    const [mine, other] = [records.filter((r) => !theirs(r)), records.filter(theirs)];
    const first = (rs: RequestRecord[]) => Math.min(...rs.map((r) => r.at));
    const last = (rs: RequestRecord[]) => Math.max(...rs.map((r) => r.at));
    return first(mine) <= last(other) && first(other) <= last(mine);
  };

  other.send('standard 60');
  const [, done] = await Promise.all([
    Promise.all(Array.from({ length: 60 }, (_, i) => gateway.call('standard', `contacts page ${i}`, (c) => c.crm.contacts.basicApi.getPage()))),
    other.line(/^done standard/),
  ]);
  t.equal(done, 'done standard 60 0', 'the other process made its 60 calls');
  t.same(log.byRoute(), { 'GET /crm/v3/objects/contacts': 60, 'GET /crm/v3/objects/deals': 60 }, 'every call of either process made exactly one request');
  t.ok(overlap(log.list()), 'the two processes sent their requests at the same time');
  t.equal(log.count((r) => r.status === 429), 0, 'HubSpot never had to refuse one');
  const max = rollingMax(log.list().map((r) => r.at), 10_000);
  t.ok(max <= 100, `at most 100 requests in any 10 s, both processes together (saw ${max})`);
  t.ok(max >= 70, `and most of the budget was used (${max})`);

  log.clear();
  other.send('search 8');
  const [, searched] = await Promise.all([
    Promise.all(Array.from({ length: 8 }, () => gateway.call('search', 'search', (c) => c.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 1 })))),
    other.line(/^done search/),
  ]);
  t.equal(searched, 'done search 8 0', 'the other process made its 8 searches');
  const searchLog = log.list();
  t.same(log.byRoute(), { 'POST /crm/v3/objects/contacts/search': 8, 'POST /crm/v3/objects/deals/search': 8 }, 'one request per search');
  t.ok(overlap(searchLog), 'the two processes searched at the same time');
  t.equal(searchLog.filter((r) => r.status === 429).length, 0, 'no search was refused');
  t.ok(rollingMax(searchLog.map((r) => r.at), 1_000) <= 4, 'at most 4 searches in any second, both processes together');
});
