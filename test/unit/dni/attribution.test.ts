// Call attribution (SPEC §4), decided by the pure core from the dialled number's
// holds: table-driven cases for each confidence and its boundaries, then a
// simulated day on one small pool written out as a timeline.
import t from 'tap';
import {
  attribute,
  FALLBACK_LABEL,
  NO_HOLDER_LABEL,
  toCallAttribution,
  type CallAttributionResult,
  type DialledNumber,
  type FixedSource,
} from '../../../src/dni/attribution.ts';
import type { NumberHold, Touch } from '../../../src/dni/types.ts';

const T0 = Date.parse('2026-06-15T09:00:00Z');
/** Minutes after T0. */
const m = (min: number) => new Date(T0 + min * 60_000);
/** Seconds after T0. */
const s = (sec: number) => new Date(T0 + sec * 1000);

function touch(source: string, medium: string, over: Partial<Touch> = {}): Touch {
  return {
    source,
    medium,
    campaign: null,
    content: null,
    term: null,
    gclid: null,
    gbraid: null,
    wbraid: null,
    fbclid: null,
    msclkid: null,
    referrer: null,
    landingPage: 'https://shop.example.com/',
    ...over,
  };
}

const hold = (sessionId: number, from: Date, releasedAt: Date | null, tch: Touch = touch(`s${sessionId}`, 'cpc')): NumberHold => ({
  sessionId,
  touch: tch,
  gaClientId: `GA1.1.${sessionId}`,
  from,
  releasedAt,
});

const POOL: DialledNumber = { number: '+380441110001', kind: 'pool' };
const BILLBOARD: FixedSource = { name: 'Billboard A1', utmSource: 'billboard', utmMedium: 'offline', utmCampaign: 'spring', utmContent: null, utmTerm: null };
const HOLD_S = 900;

t.test('which hold a call to a pool number is attributed to, and how sure', async (t) => {
  // [case, holds, call time, confidence, session]
  const rows: Array<[string, NumberHold[], Date, CallAttributionResult['confidence'], number | undefined]> = [
    ['nobody ever held the number', [], m(10), 'none', undefined],
    ['held now, still holding', [hold(1, m(0), null)], m(10), 'exact', 1],
    ['held now, released later', [hold(1, m(0), m(20))], m(10), 'exact', 1],
    ['taken exactly at the call start', [hold(1, m(10), null)], m(10), 'exact', 1],
    ['taken a second after the call started: not that visitor', [hold(1, s(601), null)], m(10), 'none', undefined],
    ['released exactly at the call start: recent, not exact', [hold(1, m(0), m(10))], m(10), 'recent', 1],
    ['released within the hold time', [hold(1, m(0), m(5))], m(10), 'recent', 1],
    ['released exactly the hold time before the call', [hold(1, m(0), m(10))], m(25), 'recent', 1],
    ['released a second more than the hold time before', [hold(1, m(0), m(10))], s(25 * 60 + 1), 'none', undefined],
    ['a holder beats a more recent releaser', [hold(1, m(0), m(8)), hold(2, m(9), null)], m(10), 'exact', 2],
    ['two released: the most recent release wins', [hold(1, m(0), m(3)), hold(2, m(4), m(6))], m(10), 'recent', 2],
    ['order of the holds given does not matter', [hold(2, m(4), m(6)), hold(1, m(0), m(3))], m(10), 'recent', 2],
    ['released and re-taken by the next visitor: the new holder', [hold(1, m(0), m(5)), hold(2, m(5), null)], m(10), 'exact', 2],
    ['the later of two overlapping holders (bad data) is exact', [hold(1, m(0), null), hold(2, m(2), null)], m(10), 'exact', 2],
    ['a hold that starts after the call is ignored for recent too', [hold(1, m(0), m(5)), hold(2, m(11), m(12))], m(10), 'recent', 1],
  ];
  for (const [name, holds, at, confidence, session] of rows) {
    const r = attribute(POOL, at, holds, HOLD_S);
    t.equal(r.confidence, confidence, `${name}: ${confidence}`);
    t.equal(r.sessionId, session, `${name}: session ${session ?? 'none'}`);
  }
});

t.test('a hold time of zero: only a holder at the very moment, or a release at that instant', async (t) => {
  t.equal(attribute(POOL, m(10), [hold(1, m(0), m(10))], 0).confidence, 'recent');
  t.equal(attribute(POOL, s(601), [hold(1, m(0), m(10))], 0).confidence, 'none');
});

t.test('static, fallback and unattributed numbers, whatever the holds say', async (t) => {
  const holds = [hold(1, m(0), null)];
  // [case, dialled, confidence, label]
  const rows: Array<[string, DialledNumber, CallAttributionResult['confidence'], string]> = [
    ['a static number: its fixed source', { number: '+380441119999', kind: 'static', staticSource: BILLBOARD }, 'static', 'Billboard A1'],
    ['a static number with no source recorded', { number: '+380441119999', kind: 'static', staticSource: null }, 'none', 'unattributed'],
    ['a site fallback number', { number: '+380441110000', kind: 'fallback', staticSource: BILLBOARD }, 'fallback', FALLBACK_LABEL],
    ['a pool number nobody holds', POOL, 'none', NO_HOLDER_LABEL],
  ];
  for (const [name, dialled, confidence, label] of rows) {
    const r = attribute(dialled, m(10), dialled === POOL ? [] : holds, HOLD_S);
    t.equal(r.confidence, confidence, `${name}: ${confidence}`);
    t.equal(r.label, label, `${name}: "${label}"`);
    t.equal(r.sessionId, undefined, `${name}: no session`);
  }
  t.equal(FALLBACK_LABEL, 'unattributed (pool exhausted)');
});

t.test('the stored attribution carries the session and its full source', async (t) => {
  const full = touch('google', 'cpc', {
    campaign: 'brand',
    content: 'ad-1',
    term: 'call tracking',
    gclid: 'Cj0KCQ',
    gbraid: 'gb-1',
    wbraid: 'wb-1',
    fbclid: null,
    msclkid: 'ms-1',
    referrer: 'https://www.google.com/',
    landingPage: 'https://shop.example.com/?utm_source=google',
  });
  const exact = attribute(POOL, m(10), [hold(42, m(0), null, full)], HOLD_S);
  t.same(toCallAttribution(exact), {
    confidence: 'exact',
    label: 'google / cpc',
    visitorSessionId: 42,
    source: 'google',
    medium: 'cpc',
    campaign: 'brand',
    content: 'ad-1',
    term: 'call tracking',
    gclid: 'Cj0KCQ',
    gbraid: 'gb-1',
    wbraid: 'wb-1',
    fbclid: null,
    msclkid: 'ms-1',
    gaClientId: 'GA1.1.42',
    referrer: 'https://www.google.com/',
    landingPage: 'https://shop.example.com/?utm_source=google',
  });
  t.same(toCallAttribution(attribute({ number: 'x', kind: 'static', staticSource: BILLBOARD }, m(10), [], HOLD_S)), {
    confidence: 'static',
    label: 'Billboard A1',
    source: 'billboard',
    medium: 'offline',
    campaign: 'spring',
    content: null,
    term: null,
  });
  t.same(toCallAttribution(attribute({ number: 'x', kind: 'fallback' }, m(10), [], HOLD_S)), { confidence: 'fallback', label: FALLBACK_LABEL });
  t.same(toCallAttribution(attribute(POOL, m(10), [], HOLD_S)), { confidence: 'none', label: NO_HOLDER_LABEL });
});

// ---- a simulated morning on a pool of two numbers --------------------------------------
// Visitors arrive, each takes the free number released longest ago, holds it while the
// page is open and for the hold time (here 5 minutes) after the last heartbeat. Calls
// come in to either number; each must be attributed to the visitor whose page showed it.

t.test('a timeline of visitors, holds, releases and calls: every call to the right session', async (t) => {
  const HOLD = 300;
  const A = '+380441110001';
  const B = '+380441110002';
  const visitors = {
    ana: touch('google', 'cpc', { gclid: 'g-ana', campaign: 'brand' }),
    bo: touch('facebook.com', 'social', { fbclid: 'f-bo' }),
    cy: touch('(direct)', '(none)'),
    di: touch('bing', 'cpc', { msclkid: 'm-di' }),
    ed: touch('newsletter', 'email', { campaign: 'june' }),
  };
  type Name = keyof typeof visitors;
  // [minute, what happens]
  type Event =
    | { kind: 'take'; visitor: Name; number: string }
    | { kind: 'release'; visitor: Name }
    | { kind: 'call'; to: string; expect: { confidence: CallAttributionResult['confidence']; visitor?: Name } };
  const timeline: Array<[number, Event]> = [
    [0, { kind: 'take', visitor: 'ana', number: A }],
    [2, { kind: 'take', visitor: 'bo', number: B }],
    [3, { kind: 'call', to: A, expect: { confidence: 'exact', visitor: 'ana' } }],
    [4, { kind: 'call', to: B, expect: { confidence: 'exact', visitor: 'bo' } }],
    [6, { kind: 'release', visitor: 'ana' }], // tab closed at 1, hold time ran out at 6
    [8, { kind: 'call', to: A, expect: { confidence: 'recent', visitor: 'ana' } }], // dialled from memory
    [11, { kind: 'call', to: A, expect: { confidence: 'recent', visitor: 'ana' } }], // exactly the hold time after release
    [12, { kind: 'call', to: A, expect: { confidence: 'none' } }], // too late to tell
    [14, { kind: 'take', visitor: 'cy', number: A }], // A is free again: the next visitor gets it
    [15, { kind: 'call', to: A, expect: { confidence: 'exact', visitor: 'cy' } }],
    [16, { kind: 'release', visitor: 'bo' }],
    [16, { kind: 'take', visitor: 'di', number: B }], // re-taken the same minute bo let it go
    [17, { kind: 'call', to: B, expect: { confidence: 'exact', visitor: 'di' } }], // the holder, not bo
    [20, { kind: 'release', visitor: 'cy' }],
    [21, { kind: 'release', visitor: 'di' }],
    [22, { kind: 'call', to: A, expect: { confidence: 'recent', visitor: 'cy' } }],
    [22, { kind: 'call', to: B, expect: { confidence: 'recent', visitor: 'di' } }],
    [23, { kind: 'take', visitor: 'ed', number: A }],
    [24, { kind: 'call', to: A, expect: { confidence: 'exact', visitor: 'ed' } }],
    [27, { kind: 'call', to: B, expect: { confidence: 'none' } }], // di let B go 6 minutes ago
  ];

  // Build the holds as the call path would read them at each call: only what has happened by then.
  const ids: Record<Name, number> = { ana: 1, bo: 2, cy: 3, di: 4, ed: 5 };
  const taken = new Map<Name, { number: string; from: Date }>();
  const released = new Map<Name, Date>();
  const holdsOf = (number: string): NumberHold[] =>
    [...taken.entries()]
      .filter(([, h]) => h.number === number)
      .map(([v, h]) => ({ sessionId: ids[v], touch: visitors[v], gaClientId: `GA1.1.${v}`, from: h.from, releasedAt: released.get(v) ?? null }));

  let calls = 0;
  for (const [minute, e] of timeline) {
    if (e.kind === 'take') taken.set(e.visitor, { number: e.number, from: m(minute) });
    else if (e.kind === 'release') released.set(e.visitor, m(minute));
    else {
      calls++;
      const r = attribute({ number: e.to, kind: 'pool' }, m(minute), holdsOf(e.to), HOLD);
      const who = e.expect.visitor;
      const what = `minute ${minute}, call to ${e.to === A ? 'A' : 'B'}`;
      t.equal(r.confidence, e.expect.confidence, `${what}: ${e.expect.confidence}`);
      t.equal(r.sessionId, who ? ids[who] : undefined, `${what}: ${who ?? 'nobody'}`);
      if (who) {
        t.same(r.touch, visitors[who], `${what}: ${who}'s source`);
        t.equal(r.gaClientId, `GA1.1.${who}`, `${what}: ${who}'s GA client id`);
      }
    }
  }
  t.equal(calls, 11, 'all 11 calls of the timeline were attributed');
});
