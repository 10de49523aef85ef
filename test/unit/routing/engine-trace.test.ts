// Folding attempt outcomes into the routing trace, and the call's disposition.
import t from 'tap';
import { planCall } from '../../../src/routing/engine.ts';
import { answeredBy, dispositionOf, foldOutcome, foldSkip, routingFinished } from '../../../src/routing/trace.ts';
import type {
  Attempt,
  AttemptOutcome,
  AttemptResult,
  CallContext,
  Destination,
  Disposition,
  Employee,
  RoutingPlan,
  RoutingTrace,
  SkippedStep,
  TraceEntry,
} from '../../../src/routing/types.ts';

const sip = (login: string): Destination => ({ type: 'sip_account', login });
const phone = (number: string): Destination => ({ type: 'phone', number });
const T0 = Date.parse('2026-06-15T09:00:00Z');

const attempt: Attempt = {
  kind: 'attempt',
  stepIndex: 1,
  stepType: 'employees',
  ringTimeoutS: 20,
  targets: [
    { employeeId: 1, destinations: [sip('e1'), phone('+380671000001')] },
    { employeeId: 2, destinations: [sip('e2')] },
  ],
  reason: 'employees, simultaneously: 2',
  excluded: [{ employeeId: 4, code: 'quality_control', detail: 'QC' }],
};
const skip: SkippedStep = { kind: 'skip', stepIndex: 0, stepType: 'responsible_manager', code: 'lookup_timeout', reason: 'too slow', excluded: [] };

t.test('a skipped step', async (t) => {
  const trace = foldSkip([], skip, T0);
  t.equal(trace.length, 1);
  t.match(trace[0], { stepIndex: 0, stepType: 'responsible_manager', result: 'skipped', skipCode: 'lookup_timeout', reason: 'too slow', startedAt: T0, endedAt: T0, ringMs: 0, legs: [] });
});

t.test('an answered attempt: who answered, and the other legs cancelled', async (t) => {
  const before: RoutingTrace = foldSkip([], skip, T0);
  const trace = foldOutcome(before, attempt, { result: 'answered', startedAt: T0, endedAt: T0 + 7_250, answeredDestination: phone('+380671000001') });
  t.equal(before.length, 1, 'the trace it was given is untouched');
  const e = trace[1];
  t.match(e, { stepIndex: 1, result: 'answered', employeeIds: [1, 2], ringMs: 7_250, answered: { employeeId: 1, destination: phone('+380671000001') } });
  t.same(e?.legs.map((l) => [l.employeeId, l.result]), [[1, 'cancelled'], [1, 'answered'], [2, 'cancelled']], 'each destination tried, with its result');
  t.same(e?.excluded, attempt.excluded, 'exclusions are kept for the call log');
  t.same(answeredBy(trace), { employeeId: 1, destination: phone('+380671000001') });
  t.ok(routingFinished(trace));
});

t.test('per-destination results from the SIP shell', async (t) => {
  const outcome: AttemptOutcome = {
    result: 'no_answer',
    startedAt: T0,
    endedAt: T0 + 20_000,
    legs: [{ destination: sip('e1'), result: 'failed' }, { destination: sip('e2'), result: 'busy' }],
  };
  const e = foldOutcome([], attempt, outcome)[0];
  t.same(e?.legs.map((l) => l.result), ['failed', 'no_answer', 'busy'], 'known legs keep theirs, the rest take the attempt result');
  t.equal(e?.answered, undefined);
  t.notOk(routingFinished([e as TraceEntry]));
});

t.test('an answer from a destination outside the attempt has no employee', async (t) => {
  const trace = foldOutcome([], attempt, { result: 'answered', startedAt: T0, endedAt: T0 + 1000, answeredDestination: sip('stranger') });
  t.same(trace[0]?.answered, { employeeId: null, destination: sip('stranger') });
  t.equal(trace[0]?.ringMs, 1000);
  t.equal(foldOutcome([], attempt, { result: 'failed', startedAt: T0 + 5, endedAt: T0 })[0]?.ringMs, 0, 'clock skew never gives a negative ring time');
});

t.test('dispositions', async (t) => {
  const rows: [string, (AttemptResult | 'skip')[], Disposition][] = [
    ['empty scheme', [], 'missed'],
    ['every step skipped', ['skip', 'skip'], 'missed'],
    ['nobody answered', ['no_answer', 'no_answer'], 'missed'],
    ['answered at the last step', ['skip', 'no_answer', 'answered'], 'answered'],
    ['busy only', ['busy'], 'busy'],
    ['busy and failed', ['skip', 'busy', 'failed'], 'busy'],
    ['failed only', ['failed', 'skip', 'failed'], 'failed'],
    ['busy, then no answer', ['busy', 'no_answer'], 'missed'],
    ['the caller hung up while ringing', ['no_answer', 'cancelled'], 'abandoned'],
    ['an attempt the shell skipped', ['skipped', 'no_answer'], 'missed'],
  ];
  for (const [name, results, want] of rows) {
    let trace: RoutingTrace = [];
    for (const r of results) {
      trace =
        r === 'skip'
          ? foldSkip(trace, skip, T0)
          : r === 'answered'
            ? foldOutcome(trace, attempt, { result: r, startedAt: T0, endedAt: T0 + 1, answeredDestination: sip('e2') })
            : foldOutcome(trace, attempt, { result: r, startedAt: T0, endedAt: T0 + 1 });
    }
    t.equal(dispositionOf(trace), want, name);
  }
});

t.test('walking a plan end to end', async (t) => {
  const team: Employee[] = [1, 2, 3].map((id) => ({
    id,
    fullName: `E${id}`,
    salesRole: 'sales_rep',
    receivesNewClients: true,
    isSeniorManager: id === 3,
    hubspotOwnerId: `o${id}`,
    mainDestinations: [sip(`e${id}`)],
  }));
  const ctx: CallContext = {
    callerNumber: '+380501112233',
    trackingNumber: {
      number: '+380441234567',
      scheme: {
        id: 1,
        steps: [
          { type: 'responsible_manager', ringTimeoutS: 15, lookupOrder: ['contact_owner'] },
          { type: 'new_client_distribution', ringTimeoutS: 20, mode: 'round_robin' },
          { type: 'senior_manager', ringTimeoutS: 30 },
        ],
      },
    },
    employees: team,
    responsible: { status: 'failed', error: 'mirror unavailable' },
    roundRobin: new Map(),
    now: new Date(T0),
  };
  /** The shell's loop: ring each attempt until the call is answered or abandoned. */
  function walk(plan: RoutingPlan, answerer: number | null): RoutingTrace {
    let trace: RoutingTrace = [];
    let clock = T0;
    for (const entry of plan.entries) {
      if (routingFinished(trace)) break;
      if (entry.kind === 'skip') {
        trace = foldSkip(trace, entry, clock);
        continue;
      }
      const who = entry.targets.find((x) => x.employeeId === answerer);
      const end = clock + (who ? 3_000 : entry.ringTimeoutS * 1000);
      trace = who?.destinations[0]
        ? foldOutcome(trace, entry, { result: 'answered', startedAt: clock, endedAt: end, answeredDestination: who.destinations[0] })
        : foldOutcome(trace, entry, { result: 'no_answer', startedAt: clock, endedAt: end });
      clock = end;
    }
    return trace;
  }
  const plan = planCall(ctx);
  const answered = walk(plan, 2);
  t.same(answered.map((e) => `${e.stepType}:${e.result}`), ['responsible_manager:skipped', 'new_client_distribution:no_answer', 'new_client_distribution:answered']);
  t.equal(dispositionOf(answered), 'answered');
  t.equal(answeredBy(answered)?.employeeId, 2);
  t.equal(answered[2]?.startedAt, T0 + 20_000, 'timings follow the ring timeouts');

  const missed = walk(plan, null);
  t.same(missed.map((e) => e.result), ['skipped', 'no_answer', 'no_answer', 'no_answer', 'no_answer']);
  t.equal(dispositionOf(missed), 'missed', 'after the last step the call is missed');
  t.same(JSON.parse(JSON.stringify(missed)), missed, 'the trace is plain JSON for routing_trace');
});
