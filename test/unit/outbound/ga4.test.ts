import t from 'tap';
import { eventNameProblem, ga4Request, GA4_WINDOW_MS, MEASUREMENT_ID, type CallForGa4, type Ga4Settings } from '../../../src/outbound/ga4.ts';

const SETTINGS: Ga4Settings = { measurementId: 'G-TEST1234', apiSecret: 's3cret', eventName: 'phone_call', conversionEvent: 'generate_lead' };
const START = new Date('2026-06-20T09:00:00Z');
const CALL: CallForGa4 = {
  id: '6f1c2a8e-0000-4000-8000-000000000001',
  startedAt: START,
  disposition: 'answered',
  talkDurationMs: 61_400,
  trackingNumber: '+380441234567',
  firstTimeCaller: true,
  gaClientId: '1234567890.1718870000',
  gaSessionId: '1718870000',
  source: 'google',
  medium: 'cpc',
  campaign: 'summer',
};
const soon = new Date(START.getTime() + 60_000);

t.test('a call with a GA client id sends one event with the call parameters, timed at its start', async (t) => {
  const d = ga4Request(CALL, SETTINGS, { qualified: false, reason: 'talk time 5 s is under 30 s' }, soon);
  if (!d.send) throw new Error(d.reason);
  t.same(d.body, {
    client_id: '1234567890.1718870000',
    timestamp_micros: START.getTime() * 1000,
    events: [
      {
        name: 'phone_call',
        params: {
          source: 'google',
          medium: 'cpc',
          campaign: 'summer',
          tracking_number: '+380441234567',
          duration: 61,
          call_status: 'answered',
          first_time_caller: 'yes',
          ringpath_call_id: CALL.id,
          engagement_time_msec: 1,
          session_id: 1718870000,
        },
      },
    ],
  });
  t.match(d.note, /not qualified: talk time/);
});

t.test('a qualified call sends the conversion event too', async (t) => {
  const d = ga4Request(CALL, SETTINGS, { qualified: true }, soon);
  t.same(d.send && d.events, ['phone_call', 'generate_lead']);
});

t.test('calls are skipped, with why', async (t) => {
  // [case, call, now, reason]
  const rows: Array<[string, CallForGa4, Date, RegExp]> = [
    ['no client id', { ...CALL, gaClientId: null }, soon, /^no GA client id/],
    ['older than 72 h', CALL, new Date(START.getTime() + GA4_WINDOW_MS + 1), /older than the 72 hours/],
  ];
  for (const [name, call, now, reason] of rows) {
    const d = ga4Request(call, SETTINGS, { qualified: true }, now);
    t.equal(d.send, false, name);
    t.match(!d.send && d.reason, reason, name);
  }
  t.equal(ga4Request(CALL, SETTINGS, { qualified: true }, new Date(START.getTime() + GA4_WINDOW_MS)).send, true, 'exactly 72 h is still sent');
});

t.test('a missed call with no source sends GA4-safe defaults', async (t) => {
  const d = ga4Request({ ...CALL, disposition: 'missed', talkDurationMs: 0, source: null, medium: null, campaign: null, gaSessionId: null, firstTimeCaller: false }, SETTINGS, { qualified: false, reason: 'x' }, soon);
  if (!d.send) throw new Error(d.reason);
  t.match(d.body.events[0]!.params, { source: '(direct)', medium: '(none)', campaign: '(not set)', call_status: 'missed', duration: 0, first_time_caller: 'no' });
  t.notOk('session_id' in d.body.events[0]!.params, 'no session id without one from DNI');
});

t.test('event names and measurement ids', async (t) => {
  // [name, ok]
  const names: Array<[string, boolean]> = [
    ['phone_call', true],
    ['generate_lead', true],
    ['a'.repeat(40), true],
    ['a'.repeat(41), false],
    ['', false],
    ['_bad', false],
    ['1call', false],
    ['phone-call', false],
    ['session_start', false],
    ['first_visit', false],
    ['ga_call', false],
    ['google_call', false],
    ['firebase_call', false],
  ];
  for (const [name, ok] of names) t.equal(eventNameProblem(name) === undefined, ok, `event name "${name}"`);
  const ids: Array<[string, boolean]> = [['G-ABC123XYZ', true], ['G-1234', true], ['UA-12345-1', false], ['g-abc123', false], ['G-', false], ['G-ABC 123', false]];
  for (const [id, ok] of ids) t.equal(MEASUREMENT_ID.test(id), ok, `measurement id "${id}"`);
});
