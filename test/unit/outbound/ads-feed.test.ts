import t from 'tap';
import { adsDecision, CLICK_WINDOW_MS, conversionTime, feedCsv, isTimeZone, type CallForAds } from '../../../src/outbound/ads-feed.ts';

const NOW = new Date('2026-06-20T12:00:00Z');
const CALL: CallForAds = { id: 'c1', startedAt: new Date('2026-06-19T09:30:05Z'), gclid: 'EAIaIQobChMI', gbraid: null, wbraid: null, clickAt: new Date('2026-06-19T09:00:00Z') };

t.test('which calls go in the feed, and why the others do not', async (t) => {
  // [case, call, qualified, expected]
  const rows: Array<[string, CallForAds, boolean, ReturnType<typeof adsDecision>]> = [
    ['a qualified call with a gclid', CALL, true, { include: true }],
    ['a gbraid only', { ...CALL, gclid: null, gbraid: 'GBR1' }, true, { include: true }],
    ['a wbraid only', { ...CALL, gclid: null, wbraid: 'WBR1' }, true, { include: true }],
    ['no click id', { ...CALL, gclid: null }, true, { include: false, reason: 'no Google click id (gclid, gbraid or wbraid)' }],
    ['not qualified', CALL, false, { include: false, reason: 'not qualified: talk time 3 s is under 30 s' }],
    ['a click 91 days ago', { ...CALL, clickAt: new Date(NOW.getTime() - 91 * 86_400_000) }, true, { include: false, reason: 'click id expired: the click was 91 days ago (Google Ads accepts 90)' }],
    ['a click exactly 90 days ago', { ...CALL, clickAt: new Date(NOW.getTime() - CLICK_WINDOW_MS) }, true, { include: true }],
    ['no click time: the call start counts', { ...CALL, clickAt: null, startedAt: new Date(NOW.getTime() - 100 * 86_400_000) }, true, { include: false, reason: 'click id expired: the click was 100 days ago (Google Ads accepts 90)' }],
  ];
  for (const [name, call, q, expected] of rows) {
    t.same(adsDecision(call, q ? { qualified: true } : { qualified: false, reason: 'talk time 3 s is under 30 s' }, NOW), expected, name);
  }
});

t.test("the CSV follows Google's click-conversion template", async (t) => {
  const csv = feedCsv(
    [CALL, { ...CALL, id: 'c2', gclid: null, gbraid: 'GBR1' }, { ...CALL, id: 'c3', gclid: null, wbraid: 'WBR,1' }],
    { conversionName: 'Phone call', conversionValue: 25, currency: 'UAH', timeZone: 'Europe/Kyiv' },
  );
  t.same(csv.split('\r\n'), [
    'Parameters:TimeZone=Europe/Kyiv',
    'Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency,gbraid,wbraid',
    'EAIaIQobChMI,Phone call,2026-06-19 12:30:05,25.00,UAH,,',
    ',Phone call,2026-06-19 12:30:05,25.00,UAH,GBR1,',
    ',Phone call,2026-06-19 12:30:05,25.00,UAH,,"WBR,1"',
    '',
  ]);
});

t.test('conversion times are written in the feed time zone', async (t) => {
  const at = new Date('2026-01-15T23:59:59Z');
  t.equal(conversionTime(at, 'UTC'), '2026-01-15 23:59:59');
  t.equal(conversionTime(at, 'Europe/Kyiv'), '2026-01-16 01:59:59');
  t.equal(conversionTime(at, 'America/New_York'), '2026-01-15 18:59:59');
  t.equal(isTimeZone('Europe/Kyiv'), true);
  t.equal(isTimeZone('Mars/Olympus'), false);
});
