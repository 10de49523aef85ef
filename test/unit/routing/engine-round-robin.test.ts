// Round robin: the rotation order, and fairness over many calls with the state threaded
// through planCall the way the adapter persists it (also when receivers come and go).
import t, { type Test } from 'tap';
import { planCall } from '../../../src/routing/engine.ts';
import { nextRoundRobin, rotationOrder } from '../../../src/routing/round-robin.ts';
import type { CallContext, Employee, RoundRobinState, Step } from '../../../src/routing/types.ts';

const receiver = (id: number): Employee => ({
  id,
  fullName: `Receiver ${id}`,
  salesRole: 'sales_rep',
  receivesNewClients: true,
  isSeniorManager: false,
  hubspotOwnerId: null,
  mainDestinations: [{ type: 'sip_account', login: `r${id}` }],
});

const STEPS: Step[] = [
  { type: 'employees', ringTimeoutS: 10, employeeIds: [900], ringStrategy: 'simultaneous' },
  { type: 'new_client_distribution', ringTimeoutS: 20, mode: 'round_robin' },
];
const RR_STEP = 1;

function ctx(employees: Employee[], state: RoundRobinState | undefined): CallContext {
  return {
    callerNumber: '+380501112233',
    trackingNumber: { number: '+380441234567', scheme: { id: 7, steps: STEPS } },
    employees: [...employees, { ...receiver(900), receivesNewClients: false }],
    responsible: { status: 'not_found' },
    roundRobin: state ? new Map([[RR_STEP, state]]) : new Map(),
    now: new Date('2026-06-15T09:00:00Z'),
  };
}

/** Runs `calls` calls, threading the state; counts who had the first turn. */
function simulate(employees: Employee[], calls: number, start?: RoundRobinState): { counts: Map<number, number>; state: RoundRobinState | undefined } {
  const counts = new Map<number, number>();
  let state = start;
  for (let i = 0; i < calls; i++) {
    const plan = planCall(ctx(employees, state));
    const turns = plan.attempts.filter((a) => a.stepIndex === RR_STEP).map((a) => a.targets[0]?.employeeId);
    const first = turns[0];
    if (typeof first === 'number') counts.set(first, (counts.get(first) ?? 0) + 1);
    const advance = plan.roundRobin.find((r) => r.stepIndex === RR_STEP);
    if (advance) state = { lastEmployeeId: advance.lastEmployeeId };
  }
  return { counts, state };
}

function fairly(t: Test, counts: Map<number, number>, ids: number[], calls: number, what: string): void {
  const share = calls / ids.length;
  for (const id of ids) {
    const n = counts.get(id) ?? 0;
    t.ok(n >= Math.floor(share) - 1 && n <= Math.ceil(share) + 1, `${what}: receiver ${id} had ${n} of ${calls} first turns (${share.toFixed(1)} ± 1)`);
  }
  t.same([...counts.keys()].sort((a, b) => a - b), ids, `${what}: nobody else had a turn`);
}

t.test('rotation order', async (t) => {
  const rows: [string, number[], number | null | undefined, number[]][] = [
    ['no state: ascending ids', [3, 1, 2], undefined, [1, 2, 3]],
    ['null state: ascending ids', [3, 1, 2], null, [1, 2, 3]],
    ['after 2 comes 3', [1, 2, 3], 2, [3, 1, 2]],
    ['after the highest, wrap around', [1, 2, 3], 3, [1, 2, 3]],
    ['the last one left: the next id takes the turn', [1, 3, 5], 2, [3, 5, 1]],
    ['a last id above everyone wraps', [1, 3, 5], 99, [1, 3, 5]],
    ['repeated ids count once', [2, 1, 2, 1], 1, [2, 1]],
    ['nobody', [], 1, []],
  ];
  for (const [name, ids, last, want] of rows) {
    t.same(rotationOrder(ids, last === undefined ? undefined : { lastEmployeeId: last }), want, name);
  }
  t.same(nextRoundRobin([1, 2, 3], { lastEmployeeId: 2 }), { lastEmployeeId: 3 }, 'next state: the first turn of this call');
  t.same(nextRoundRobin([], { lastEmployeeId: 2 }), { lastEmployeeId: 2 }, 'no receivers: the state stays');
  t.same(nextRoundRobin([], undefined), { lastEmployeeId: null });
});

t.test('each call offers every receiver once, starting with the turn', async (t) => {
  const team = [1, 2, 3, 4].map(receiver);
  const plan = planCall(ctx(team, { lastEmployeeId: 2 }));
  const rr = plan.attempts.filter((a) => a.stepIndex === RR_STEP);
  t.same(rr.map((a) => a.targets.map((x) => x.employeeId)), [[3], [4], [1], [2]]);
  t.ok(rr.every((a) => a.ringTimeoutS === 20), 'each turn rings for the step timeout');
  t.same(plan.roundRobin, [{ stepIndex: RR_STEP, lastEmployeeId: 3 }]);
});

t.test('1,000 calls share the first turn evenly', async (t) => {
  for (const n of [2, 3, 7]) {
    const ids = Array.from({ length: n }, (_, i) => 10 + i * 3);
    fairly(t, simulate(ids.map(receiver), 1000).counts, ids, 1000, `${n} receivers`);
  }
});

t.test('adding and removing receivers keeps the rotation going', async (t) => {
  const first = simulate([1, 2, 3].map(receiver), 500);
  fairly(t, first.counts, [1, 2, 3], 500, 'before');

  const added = simulate([1, 2, 3, 4, 20].map(receiver), 500, first.state);
  fairly(t, added.counts, [1, 2, 3, 4, 20], 500, 'after adding 4 and 20');

  const last = added.state?.lastEmployeeId ?? null;
  t.not(last, null);
  const remaining = [1, 2, 3, 4, 20].filter((id) => id !== last);
  const removed = simulate(remaining.map(receiver), 400, added.state);
  fairly(t, removed.counts, remaining, 400, `after removing ${last}, who had the last turn`);

  const qc = simulate([...remaining.map(receiver), { ...receiver(5), salesRole: 'quality_control' }], 400, removed.state);
  fairly(t, qc.counts, remaining, 400, 'a QC employee flagged "receives new clients" never takes a turn');
});

t.test('planning each call from the stored state alone (a JSON round trip) rotates evenly', async (t) => {
  // Nothing but the stored state carries over from one call to the next, as between processes sharing the database.
  let stored: RoundRobinState | undefined;
  const counts = new Map<number, number>();
  const team = [1, 2, 3].map(receiver);
  for (let i = 0; i < 999; i++) {
    const plan = planCall(ctx(team, stored));
    const advance = plan.roundRobin[0];
    if (!advance) continue;
    counts.set(advance.lastEmployeeId, (counts.get(advance.lastEmployeeId) ?? 0) + 1);
    stored = JSON.parse(JSON.stringify({ lastEmployeeId: advance.lastEmployeeId })) as RoundRobinState;
  }
  t.same(Object.fromEntries(counts), { 1: 333, 2: 333, 3: 333 });
});
