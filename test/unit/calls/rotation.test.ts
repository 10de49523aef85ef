// The round-robin rotation through its port, with the memory adapter: a real call
// takes its turn and the turn is saved in the port (not only in this process);
// calls planned at once never start with the same receiver; a plan made on a
// position someone else moved meanwhile is made again; a simulation saves nothing.
import t from 'tap';
import { MemoryRoundRobin } from '../../../src/calls/memory/round-robin.ts';
import { planInboundCall, type PlanDeps, type PlanSources } from '../../../src/calls/plan.ts';
import type { RotationMove, RotationSave, RoundRobinPort, StepId } from '../../../src/calls/ports.ts';
import { MAX_SAVE_ATTEMPTS, planOnCurrentRotation, takeTurn, type RotatingStep } from '../../../src/calls/rotation.ts';
import type { Pool } from '../../../src/db/pool.ts';
import type { DirectoryEmployee, ResolvedTrackingNumber } from '../../../src/db/repositories/directory.ts';
import { planCall } from '../../../src/routing/engine.ts';
import type { RoundRobinState, Scheme, Step } from '../../../src/routing/types.ts';

const RR_STEP_ID = 501;
const SECOND_RR_STEP_ID = 502;
const RECEIVERS = [11, 12, 13, 14, 15, 16];

const employee = (id: number): DirectoryEmployee => ({
  id,
  fullName: `Receiver ${id}`,
  salesRole: 'sales_rep',
  receivesNewClients: true,
  isSeniorManager: false,
  hubspotOwnerId: null,
  mainDestinations: [{ type: 'sip_account', login: `r${id}` }],
  extension: null,
  additionalDestinations: [],
  sipLogins: [`r${id}`],
});

const rr: Step = { type: 'new_client_distribution', ringTimeoutS: 20, mode: 'round_robin' };
const tracking: ResolvedTrackingNumber = { id: 1, number: '+380441234567', kind: 'static', poolId: null, siteId: null, schemeId: 7, staticSource: null };

function sources(steps: Step[], stepIds: number[]): PlanSources {
  const scheme: Scheme = { id: 7, steps };
  return { scheme: async () => ({ scheme, stepIds }), employees: async () => ({ list: RECEIVERS.map(employee) }) };
}

function deps(roundRobin: RoundRobinPort, steps: Step[] = [rr], stepIds: number[] = [RR_STEP_ID]): PlanDeps {
  // no responsible_manager step: the pool (the mirror) is never asked
  return { pool: {} as Pool, sources: sources(steps, stepIds), lookupBudgetMs: 50, roundRobin };
}

const call = (i = 0) => ({ trackingNumber: tracking, caller: `+38050111${String(i).padStart(4, '0')}`, at: new Date('2026-06-15T09:00:00Z') });

async function firstReceiver(d: PlanDeps, mode: 'advance' | 'read_only' = 'advance', stepIndex = 0): Promise<number | null | undefined> {
  const planned = await planInboundCall(d, call(), mode);
  return planned.plan.attempts.find((a) => a.stepIndex === stepIndex)?.targets[0]?.employeeId;
}

/** A port over a shared store that counts what it is asked. */
class Spy implements RoundRobinPort {
  reads = 0;
  saves: RotationMove[][] = [];
  constructor(readonly store: RoundRobinPort) {}
  read(ids: readonly StepId[]) {
    this.reads++;
    return this.store.read(ids);
  }
  save(moves: readonly RotationMove[]) {
    this.saves.push([...moves]);
    return this.store.save(moves);
  }
}

t.test('the memory adapter is a compare-and-set on turns', async (t) => {
  const store = new MemoryRoundRobin();
  t.same(await store.read([1]), new Map([[1, { lastEmployeeId: null, turns: 0 }]]), 'a step never rotated has not started');
  let r = await store.save([{ stepId: 1, fromTurns: 0, lastEmployeeId: 11, turns: 1 }]);
  t.same([...r.saved], [1]);
  r = await store.save([{ stepId: 1, fromTurns: 0, lastEmployeeId: 12, turns: 1 }]);
  t.same([...r.saved], [], 'a move planned on turn 0 is refused once the step is at turn 1');
  t.same(r.current.get(1), { lastEmployeeId: 11, turns: 1 }, 'and the step is reported as it stands');
  store.remove(1);
  r = await store.save([{ stepId: 1, fromTurns: 1, lastEmployeeId: 12, turns: 1 }]);
  t.same([...r.gone], [1], 'a step that no longer exists is gone');
});

t.test('a real call takes its turn and the turn is saved in the port', async (t) => {
  const store = new MemoryRoundRobin();
  const d = deps(store);
  const firsts: Array<number | null | undefined> = [];
  for (let i = 0; i < RECEIVERS.length + 2; i++) {
    firsts.push(await firstReceiver(d));
    t.same(store.position(RR_STEP_ID), { lastEmployeeId: firsts[i], turns: i + 1 }, `call ${i + 1}: the position is saved`);
  }
  t.same(firsts, [...RECEIVERS, 11, 12], 'each call starts with the next receiver by id, round and round');
  // another process (another adapter over the same store, nothing cached) goes on from the saved position
  t.equal(await firstReceiver(deps(new Spy(store))), 13, 'a fresh process continues where the rotation was saved');
  t.same(store.position(RR_STEP_ID), { lastEmployeeId: 13, turns: RECEIVERS.length + 3 });
});

t.test('a simulation reads the rotation and leaves it alone', async (t) => {
  const store = new MemoryRoundRobin([[RR_STEP_ID, { lastEmployeeId: 12, turns: 4 }]]);
  const spy = new Spy(store);
  t.equal(await firstReceiver(deps(spy), 'read_only'), 13, 'it shows the next call’s turn');
  t.equal(await firstReceiver(deps(spy), 'read_only'), 13, 'and shows it again: nothing moved');
  t.equal(spy.saves.length, 0, 'nothing is saved');
  t.same(store.position(RR_STEP_ID), { lastEmployeeId: 12, turns: 4 });
  const planned = await planInboundCall(deps(spy), call(), 'read_only');
  t.equal(planned.rotationSaved, true);
});

t.test('calls planned at once in one process never start with the same receiver, and cost one save', async (t) => {
  const store = new MemoryRoundRobin();
  const spy = new Spy(store);
  const d = deps(spy);
  const firsts = await Promise.all(RECEIVERS.map(() => firstReceiver(d)));
  t.same([...firsts].sort(), RECEIVERS, 'every receiver has exactly one first turn');
  t.same(store.position(RR_STEP_ID).turns, RECEIVERS.length, 'every turn is saved');
  t.ok(spy.saves.length <= 2, `the burst was saved in ${spy.saves.length} compare-and-set(s)`);
});

/** A port where another process moves the rotation just before each of our saves, `times` times. */
class Interfering implements RoundRobinPort {
  interfered: Array<number | null> = [];
  attempts = 0;
  constructor(
    readonly store: MemoryRoundRobin,
    private times: number,
  ) {}
  read(ids: readonly StepId[]) {
    return this.store.read(ids);
  }
  async save(moves: readonly RotationMove[]): Promise<RotationSave> {
    this.attempts++;
    if (this.times-- > 0) {
      // the other process plans its own call on the current position and saves it first
      const other = deps(new Spy(this.store));
      this.interfered.push((await firstReceiver(other)) ?? null);
    }
    return this.store.save(moves);
  }
}

t.test('a plan made on a position another process moved meanwhile is made again on the new one', async (t) => {
  const store = new MemoryRoundRobin();
  const port = new Interfering(store, 2);
  const planned = await planInboundCall(deps(port), call(), 'advance');
  const first = planned.plan.attempts[0]?.targets[0]?.employeeId;
  t.same(port.interfered, [11, 12], 'the other process took two turns while this call was being saved');
  t.equal(first, 13, 'this call was planned again and starts with the next receiver, not one already taken');
  t.equal(port.attempts, 3, 'saved at the third attempt');
  t.equal(planned.rotationSaved, true);
  t.same(store.position(RR_STEP_ID), { lastEmployeeId: 13, turns: 3 });
});

t.test('when other calls move the rotation at every attempt, the call is still routed, its turn not saved', async (t) => {
  const store = new MemoryRoundRobin();
  const port = new Interfering(store, Number.POSITIVE_INFINITY);
  const planned = await planInboundCall(deps(port), call(), 'advance');
  t.equal(port.attempts, MAX_SAVE_ATTEMPTS, `${MAX_SAVE_ATTEMPTS} attempts, then no more`);
  t.equal(planned.rotationSaved, false);
  t.ok(planned.plan.attempts.length > 0, 'the call has a plan to ring');
  t.equal(store.position(RR_STEP_ID).turns, MAX_SAVE_ATTEMPTS, 'only the other process’s turns were saved');
});

t.test('two round-robin steps: a conflict on one plans again without taking a second turn on the other', async (t) => {
  const store = new MemoryRoundRobin();
  // the other process moves only the second step, once
  const port: RoundRobinPort = {
    read: (ids) => store.read(ids),
    save: async (moves) => {
      if (store.position(SECOND_RR_STEP_ID).turns === 0) await store.save([{ stepId: SECOND_RR_STEP_ID, fromTurns: 0, lastEmployeeId: 11, turns: 1 }]);
      return store.save(moves);
    },
  };
  const d = deps(port, [rr, rr], [RR_STEP_ID, SECOND_RR_STEP_ID]);
  const planned = await planInboundCall(d, call(), 'advance');
  t.equal(planned.plan.attempts.find((a) => a.stepIndex === 0)?.targets[0]?.employeeId, 11);
  t.equal(planned.plan.attempts.find((a) => a.stepIndex === 1)?.targets[0]?.employeeId, 12, 'the second step after the other process’s turn');
  t.same(store.position(RR_STEP_ID), { lastEmployeeId: 11, turns: 1 }, 'the first step took one turn, not two');
  t.same(store.position(SECOND_RR_STEP_ID), { lastEmployeeId: 12, turns: 2 });
});

t.test('a step deleted meanwhile (the scheme was edited) ends the attempts; the call is routed', async (t) => {
  const store = new MemoryRoundRobin();
  store.remove(RR_STEP_ID);
  const spy = new Spy(store);
  const planned = await planInboundCall(deps(spy), call(), 'advance');
  t.equal(spy.saves.length, 1, 'one attempt');
  t.equal(planned.rotationSaved, true, 'nothing left to save is not a failure');
  t.equal(planned.plan.attempts[0]?.targets[0]?.employeeId, 11);
});

t.test('takeTurn and planOnCurrentRotation on the engine directly', async (t) => {
  const store = new MemoryRoundRobin();
  const steps: RotatingStep[] = [{ stepIndex: 0, stepId: 9 }];
  const plan = (roundRobin: ReadonlyMap<number, RoundRobinState>) =>
    planCall({
      callerNumber: '+380501112233',
      trackingNumber: { number: tracking.number, scheme: { id: 1, steps: [rr] } },
      employees: RECEIVERS.map(employee),
      responsible: { status: 'not_found' },
      roundRobin,
      now: new Date('2026-06-15T09:00:00Z'),
    });
  const turn = await takeTurn(store, steps, plan);
  t.equal(turn.saved, true);
  t.same(turn.plan.roundRobin, [{ stepIndex: 0, lastEmployeeId: 11 }]);
  t.same(store.position(9), { lastEmployeeId: 11, turns: 1 });
  const peek = await planOnCurrentRotation(store, steps, plan);
  t.same(peek.roundRobin, [{ stepIndex: 0, lastEmployeeId: 12 }], 'the next call would start with 12');
  t.same(store.position(9), { lastEmployeeId: 11, turns: 1 }, 'peeking moved nothing');
  const none = await takeTurn(store, [], () => plan(new Map()));
  t.equal(none.saved, true, 'a scheme without round robin has nothing to save');
});

t.test('a call whose plan throws fails alone; the calls saved with it are routed and keep their turns', async (t) => {
  const store = new MemoryRoundRobin();
  const steps: RotatingStep[] = [{ stepIndex: 0, stepId: 9 }];
  const plan = (roundRobin: ReadonlyMap<number, RoundRobinState>) =>
    planCall({
      callerNumber: '+380501112233',
      trackingNumber: { number: tracking.number, scheme: { id: 1, steps: [rr] } },
      employees: RECEIVERS.map(employee),
      responsible: { status: 'not_found' },
      roundRobin,
      now: new Date('2026-06-15T09:00:00Z'),
    });
  const results = await Promise.allSettled([
    takeTurn(store, steps, plan),
    takeTurn(store, steps, () => {
      throw new Error('a broken plan');
    }),
    takeTurn(store, steps, plan),
  ]);
  t.equal(results[1]!.status, 'rejected', 'the broken call fails');
  const firsts = [results[0], results[2]].map((r) => (r!.status === 'fulfilled' ? r!.value.plan.attempts[0]?.targets[0]?.employeeId : undefined));
  t.same(firsts, [11, 12], 'the others are routed, each with its own turn');
  t.same(store.position(9), { lastEmployeeId: 12, turns: 2 }, 'and only their two turns are saved');
});
