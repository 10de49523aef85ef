// The Google Ads offline-conversion feed: basic auth, Google's template, and
// each call's reason for being in it or not.
import t, { type Test } from 'tap';
import { exportStore } from '../../../src/outbound/export-store.ts';
import { testApi } from '../../support/app.ts';
import { site, visitorSession } from '../../support/dni-fixtures.ts';
import { sessionAttribution, storedCall } from '../../support/export-calls.ts';
import { outboundConfig, runDueJobs } from '../../support/outbound.ts';

const PASSWORD = 'feed-password-0123456789';
const DAY = 86_400_000;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function world(t: Test) {
  const api = await testApi(t);
  const siteId = await site(api.db.pool);
  const put = await api.put(`/api/v1/sites/${siteId}/exports`, {
    qualified_call: { min_talk_s: 30 },
    google_ads: { feed_user: 'google-ads', feed_password: PASSWORD, conversion_name: 'Phone call', conversion_value: 40, currency: 'UAH', time_zone: 'Europe/Kyiv' },
  });
  t.equal(put.statusCode, 200, 'feed set up');
  t.match(put.json().google_ads, { feed_url: `${api.config.publicUrl}/exports/google-ads/${siteId}.csv`, feed_user: 'google-ads' });
  t.notOk(JSON.stringify(put.json()).includes(PASSWORD), 'the password is never shown');
  const call = async (o: { clickDaysAgo: number; talkS: number; gclid?: string | null; gbraid?: string | null; caller?: string }) => {
    const clickAt = new Date(Date.now() - o.clickDaysAgo * DAY);
    const sid = await visitorSession(api.db.pool, { siteId, trackingNumberId: null, createdAt: clickAt, gclid: o.gclid ?? null, gbraid: o.gbraid ?? null });
    return storedCall(api.db.pool, {
      startedAt: new Date(clickAt.getTime() + 600_000),
      talkS: o.talkS,
      ...(o.caller ? { caller: o.caller } : {}),
      attribution: sessionAttribution(sid, { gclid: o.gclid ?? null, gbraid: o.gbraid ?? null }),
    });
  };
  const feed = (auth?: string) => api.app.inject({ method: 'GET', url: `/exports/google-ads/${siteId}.csv`, headers: auth ? { authorization: auth } : {} });
  return { api, siteId, call, feed };
}

/** The feed's rows as Google reads the template: the parameters line, the header, then records. */
function parseFeed(csv: string) {
  const lines = csv.trimEnd().split('\r\n');
  const cells = (line: string) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
  const header = cells(lines[1]!);
  return { parameters: lines[0], header, rows: lines.slice(2).map((l) => Object.fromEntries(cells(l).map((v, i) => [header[i], v]))) };
}

t.test('the feed parses as Google\'s template and holds only qualified calls with a recent click id', async (t) => {
  const w = await world(t);
  const inFeed = await w.call({ clickDaysAgo: 2, talkS: 60, gclid: 'Cj0KCQ-gclid-1' });
  const braid = await w.call({ clickDaysAgo: 3, talkS: 60, gbraid: 'GBRAID-1', caller: '+380501110002' });
  const short = await w.call({ clickDaysAgo: 2, talkS: 5, gclid: 'Cj0KCQ-gclid-2', caller: '+380501110003' });
  const noClick = await w.call({ clickDaysAgo: 1, talkS: 60, caller: '+380501110004' });
  const expired = await w.call({ clickDaysAgo: 90.5, talkS: 60, gclid: 'Cj0KCQ-gclid-old', caller: '+380501110005' });

  const res = await w.feed(basic('google-ads', PASSWORD));
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv/);
  const feed = parseFeed(res.body);
  t.equal(feed.parameters, 'Parameters:TimeZone=Europe/Kyiv');
  t.same(feed.header, ['Google Click ID', 'Conversion Name', 'Conversion Time', 'Conversion Value', 'Conversion Currency', 'gbraid', 'wbraid']);
  t.same(feed.rows.map((r) => [r['Google Click ID'], r.gbraid, r['Conversion Name'], r['Conversion Value'], r['Conversion Currency']]), [
    ['', 'GBRAID-1', 'Phone call', '40.00', 'UAH'],
    ['Cj0KCQ-gclid-1', '', 'Phone call', '40.00', 'UAH'],
  ]);
  t.ok(feed.rows.every((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(r['Conversion Time']!)), 'conversion times in yyyy-MM-dd HH:mm:ss');

  const status = async (id: string) => (await exportStore.status(w.api.db.pool, id, 'google_ads'));
  t.same(await status(inFeed), { state: 'included', reason: 'in the Google Ads feed' });
  t.same(await status(braid), { state: 'included', reason: 'in the Google Ads feed' });
  t.same(await status(short), { state: 'excluded', reason: 'not qualified: talk time 5 s is under 30 s' });
  t.same(await status(noClick), { state: 'excluded', reason: 'no Google click id (gclid, gbraid or wbraid)' });
  t.same(await status(expired), { state: 'excluded', reason: 'click id expired: the click was 90 days ago (Google Ads accepts 90)' });
  t.match((await w.api.get(`/api/v1/calls/${expired}`)).json().exports, { google_ads: { state: 'excluded', reason: /^click id expired/ } }, 'the calls API shows why');
});

t.test('the export job records the Google Ads status as soon as the call is stored', async (t) => {
  const w = await world(t);
  const id = await w.call({ clickDaysAgo: 1, talkS: 45, gclid: 'Cj0-job' });
  await exportStore.enqueue(w.api.db.pool, id);
  await runDueJobs(w.api.db.pool, outboundConfig());
  t.same(await exportStore.status(w.api.db.pool, id, 'google_ads'), { state: 'included', reason: 'in the Google Ads feed' });
});

t.test('the feed needs the site\'s feed user and password', async (t) => {
  const w = await world(t);
  // [case, authorization, status]
  const rows: Array<[string, string | undefined, number]> = [
    ['no credentials', undefined, 401],
    ['a wrong password', basic('google-ads', 'wrong-password-0000000'), 401],
    ['a wrong user', basic('someone', PASSWORD), 401],
    ['not basic auth', 'Bearer abc', 401],
    ['the right ones', basic('google-ads', PASSWORD), 200],
  ];
  for (const [name, auth, status] of rows) t.equal((await w.feed(auth)).statusCode, status, name);
  const refused = await w.feed();
  t.match(refused.headers['www-authenticate'], /^Basic realm=/, 'asks for basic auth');
  const other = await w.api.app.inject({ method: 'GET', url: `/exports/google-ads/${w.siteId + 1}.csv`, headers: { authorization: basic('google-ads', PASSWORD) } });
  t.equal(other.statusCode, 401, 'another site\'s feed is refused the same way');
});
