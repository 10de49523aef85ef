// The call record and the unanswered response, decided by the pure core from what
// the SIP adapter saw. Table-driven: no drachtio, no database.
import t from 'tap';
import { buildCallRecord, readAttribution, unansweredResponse, type CallFacts, type PartyNumber } from '../../../src/calls/record.ts';
import { Recogniser } from '../../../src/calls/recognise.ts';
import { summariseLegs } from '../../../src/routing/trace.ts';
import type { AttemptResult, Destination, RoutingTrace, TraceEntry } from '../../../src/routing/types.ts';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const phone = (number: string): Destination => ({ type: 'phone', number });
const account = (login: string): Destination => ({ type: 'sip_account', login });

const recogniser = new Recogniser([
  { id: 1, mainDestinations: [account('ana')], additionalDestinations: [phone('+380671110001')], sipLogins: ['ana'] },
  { id: 2, mainDestinations: [phone('+380671110002')], additionalDestinations: [], sipLogins: [] },
]);

function entry(result: AttemptResult, stepIndex = 0): TraceEntry {
  return { stepIndex, stepType: 'employees', result, reason: 'r', employeeIds: [], legs: [], excluded: [], startedAt: T0, endedAt: T0 + 1, ringMs: 1 };
}
const trace = (...results: AttemptResult[]): RoutingTrace => results.map((r, i) => entry(r, i));

function facts(over: Partial<CallFacts> = {}): CallFacts {
  return {
    id: 'c1',
    sipCallId: 'sip-1',
    direction: 'inbound',
    caller: { kind: 'number', e164: '+380501234567' },
    callerRaw: '<sip:+380501234567@carrier>',
    callee: { kind: 'number', e164: '+380441234567' },
    trackingNumber: { id: 7, number: '+380441234567' },
    attribution: { confidence: 'none', label: 'unattributed' },
    trace: [],
    callerHungUp: false,
    startedAt: at(0),
    endedAt: at(30_000),
    recordingPath: null,
    ...over,
  };
}

t.test('disposition: the trace decides, a caller who hung up first makes it abandoned', async (t) => {
  // [case, facts, disposition]
  const answered = { destination: account('ana'), at: at(5_000) };
  const rows: Array<[string, Partial<CallFacts>, string]> = [
    ['answered', { trace: trace('no_answer', 'answered'), answered }, 'answered'],
    ['nobody answered', { trace: trace('no_answer', 'no_answer') }, 'missed'],
    ['every step skipped', { trace: [] }, 'missed'],
    ['all busy', { trace: trace('busy', 'busy') }, 'busy'],
    ['busy and unreachable', { trace: trace('busy', 'failed') }, 'busy'],
    ['busy then rang out', { trace: trace('busy', 'no_answer') }, 'missed'],
    ['nothing reachable', { trace: trace('failed') }, 'failed'],
    ['cancelled while ringing', { trace: trace('no_answer', 'cancelled'), callerHungUp: true }, 'abandoned'],
    ['hung up just as an attempt rang out (no cancelled entry)', { trace: trace('no_answer'), callerHungUp: true }, 'abandoned'],
    ['hung up after every destination was busy', { trace: trace('busy'), callerHungUp: true }, 'abandoned'],
  ];
  for (const [name, over, disposition] of rows) t.equal(buildCallRecord(facts(over), recogniser).disposition, disposition, name);
});

t.test('who answered: the employee rung, else the owner of the destination, else an unknown employee', async (t) => {
  // [case, answered, answeredByEmployeeId, unknownEmployee, answeredByDestination]
  const rows: Array<[string, CallFacts['answered'], number | null, boolean, string | null]> = [
    ['the employee routing rang', { destination: account('ana'), at: at(1), employeeId: 1 }, 1, false, 'SIP account ana'],
    ['routing rang them for employee 2, whatever the directory says', { destination: account('ana'), at: at(1), employeeId: 2 }, 2, false, 'SIP account ana'],
    ['an external number that is an additional destination', { destination: phone('+380671110001'), at: at(1), employeeId: null }, 1, false, '+380671110001'],
    ['a main destination, no employee given', { destination: phone('+380671110002'), at: at(1) }, 2, false, '+380671110002'],
    ['a login in another case', { destination: account('ANA'), at: at(1) }, 1, false, 'SIP account ANA'],
    ['a number nobody owns', { destination: phone('+380999999999'), at: at(1), employeeId: null }, null, true, '+380999999999'],
    ['nobody answered', undefined, null, false, null],
  ];
  for (const [name, answered, id, unknown, destination] of rows) {
    const r = buildCallRecord(facts({ trace: answered ? trace('answered') : trace('no_answer'), ...(answered ? { answered } : {}) }), recogniser);
    t.same([r.answeredByEmployeeId, r.unknownEmployee, r.answeredByDestination], [id, unknown, destination], name);
  }
});

t.test('an outbound call is answered by the client: no employee, never an unknown employee', async (t) => {
  const r = buildCallRecord(
    facts({ direction: 'outbound', trace: trace('answered'), answered: { destination: phone('+380671110002'), at: at(1), employeeId: null }, placedByEmployeeId: 1 }),
    recogniser,
  );
  t.same([r.answeredByEmployeeId, r.unknownEmployee, r.placedByEmployeeId, r.disposition], [null, false, 1, 'answered']);
});

t.test('durations: ring until the answer (or the end), talk from the answer to the end, never negative', async (t) => {
  // [case, startedAt, answeredAt, endedAt, ring ms, talk ms]
  const rows: Array<[string, number, number | null, number, number, number]> = [
    ['answered after 5 s, talked 25 s', 0, 5_000, 30_000, 5_000, 25_000],
    ['missed after 30 s', 0, null, 30_000, 30_000, 0],
    ['answered at once', 0, 0, 10_000, 0, 10_000],
    ['a clock that stepped back', 10_000, 5_000, 4_000, 0, 0],
  ];
  for (const [name, start, answer, end, ring, talk] of rows) {
    const r = buildCallRecord(
      facts({ startedAt: at(start), endedAt: at(end), trace: answer === null ? trace('no_answer') : trace('answered'), ...(answer === null ? {} : { answered: { destination: account('ana'), at: at(answer) } }) }),
      recogniser,
    );
    t.same([r.ringDurationMs, r.talkDurationMs, r.answeredAt?.getTime() ?? null], [ring, talk, answer === null ? null : T0 + answer], name);
  }
});

t.test('the caller: E.164, or null with the reason kept', async (t) => {
  // [case, caller, stored caller, caller_withheld]
  const rows: Array<[string, PartyNumber, string | null, boolean]> = [
    ['a number', { kind: 'number', e164: '+380501234567' }, '+380501234567', false],
    ['withheld (anonymous)', { kind: 'withheld' }, null, true],
    ['unreadable', { kind: 'unusable', why: 'too short' }, null, false],
    ['none (an internal call)', { kind: 'none' }, null, false],
  ];
  for (const [name, caller, stored, withheld] of rows) {
    const r = buildCallRecord(facts({ caller }), recogniser);
    t.same([r.caller, r.callerWithheld], [stored, withheld], name);
  }
});

t.test("routing's responsible manager is stored on the record", async (t) => {
  t.equal(buildCallRecord(facts({ responsibleEmployeeId: 2 }), recogniser).responsibleEmployeeId, 2);
  t.equal(buildCallRecord(facts(), recogniser).responsibleEmployeeId, null);
});

t.test('the final response of an unanswered call: 486 only when busy is all there was', async (t) => {
  // [case, trace, status, code]
  const rows: Array<[string, RoutingTrace, number, string]> = [
    ['all busy', trace('busy'), 486, 'ALL_DESTINATIONS_BUSY'],
    ['busy and unreachable', trace('busy', 'failed'), 486, 'ALL_DESTINATIONS_BUSY'],
    ['busy, then nobody answered the next step', trace('busy', 'no_answer'), 480, 'NOBODY_ANSWERED'],
    ['nobody answered', trace('no_answer'), 480, 'NOBODY_ANSWERED'],
    ['nothing reachable', trace('failed'), 480, 'NOBODY_ANSWERED'],
    ['every step skipped', [], 480, 'NOBODY_ANSWERED'],
  ];
  for (const [name, tr, status, code] of rows) t.same(unansweredResponse(tr), { status, code }, name);
});

t.test("an attempt's result from its legs: no answer beats busy, busy beats failure", async (t) => {
  // [legs, result]
  const rows: Array<[AttemptResult[], AttemptResult]> = [
    [['no_answer', 'busy'], 'no_answer'],
    [['busy', 'no_answer'], 'no_answer'],
    [['busy', 'failed'], 'busy'],
    [['failed', 'busy'], 'busy'],
    [['busy'], 'busy'],
    [['no_answer', 'failed'], 'no_answer'],
    [['failed'], 'failed'],
    [['cancelled', 'cancelled'], 'cancelled'],
    [['cancelled', 'failed'], 'failed'],
    [[], 'failed'],
  ];
  for (const [legs, result] of rows) t.equal(summariseLegs(legs), result, legs.join(' + ') || 'no legs');
});

t.test('stored attributions read the same whichever version wrote them', async (t) => {
  // [case, stored JSON, confidence, label]
  const rows: Array<[string, unknown, string, string]> = [
    ['a session held the number', { confidence: 'exact', label: 'google / cpc', visitorSessionId: 7 }, 'exact', 'google / cpc'],
    ['a recent holder', { confidence: 'recent', label: 'google / cpc' }, 'recent', 'google / cpc'],
    ['a fallback number', { confidence: 'fallback', label: 'unattributed (pool exhausted)' }, 'fallback', 'unattributed (pool exhausted)'],
    ['before DNI: a static number', { kind: 'static', confidence: 'exact', label: 'Billboard' }, 'static', 'Billboard'],
    ['before DNI: a session, low confidence', { kind: 'session', confidence: 'low', label: 'google / cpc' }, 'recent', 'google / cpc'],
    ['before DNI: a session, exact', { kind: 'session', confidence: 'exact', label: 'google / cpc' }, 'exact', 'google / cpc'],
    ['before DNI: pool exhausted', { kind: 'pool_exhausted', confidence: 'none', label: 'unattributed (pool exhausted)' }, 'fallback', 'unattributed (pool exhausted)'],
    ['before DNI: unattributed', { kind: 'none', confidence: 'none', label: 'unattributed' }, 'none', 'unattributed'],
    ['an empty object (the column default)', {}, 'none', 'unattributed'],
    ['an unknown confidence', { confidence: 'certain', label: 'x' }, 'none', 'x'],
    ['not an object', 'garbage', 'none', 'unattributed'],
  ];
  for (const [name, stored, confidence, label] of rows) {
    const a = readAttribution(stored);
    t.same([a.confidence, a.label], [confidence, label], `${name}: ${confidence}`);
    t.notOk('kind' in a, `${name}: the old kind is not carried on`);
  }
  t.same(
    readAttribution({ confidence: 'exact', label: 'l', visitorSessionId: 7, gclid: 'g', msclkid: null, bogus: 1 }),
    { confidence: 'exact', label: 'l', visitorSessionId: 7, gclid: 'g', msclkid: null },
    'the session and source fields are kept, anything else dropped',
  );
});
