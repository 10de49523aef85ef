// The round-robin rotation in PostgreSQL (src/db/repositories/round-robin.ts):
// every real call's turn is saved in round_robin_state, simulations leave it,
// and calls planned at once on two connections, or in two processes, never
// start with the same employee.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import t from 'tap';
import { databaseSources, planInboundCall, type PlanDeps } from '../../../src/calls/plan.ts';
import type { RotationMove, RoundRobinPort, StepId } from '../../../src/calls/ports.ts';
import { createPool, type Pool } from '../../../src/db/pool.ts';
import { resolveTrackingNumber, type ResolvedTrackingNumber } from '../../../src/db/repositories/directory.ts';
import { PostgresRoundRobin, roundRobinPort } from '../../../src/db/repositories/round-robin.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';
import { REPO_ROOT } from '../../support/process.ts';
import { employee, scheme, sipUriDestination, staticNumber } from '../../support/sip-fixtures.ts';

const TRACKING = '+380441234567';

async function setUp(pool: Pool, receivers: number): Promise<{ ids: number[]; stepId: number; tn: ResolvedTrackingNumber }> {
  const ids: number[] = [];
  for (let i = 0; i < receivers; i++) {
    const id = await employee(pool, `Receiver${i}`, { newClients: true });
    await sipUriDestination(pool, id, `sip:r${i}@pbx.example.com`);
    ids.push(id);
  }
  const other = await employee(pool, 'Nobody', { newClients: false });
  await sipUriDestination(pool, other, 'sip:nobody@pbx.example.com');
  const schemeId = await scheme(pool, 'rr', [{ type: 'new_client_distribution', mode: 'round_robin' }, { type: 'employees', employeeIds: [other] }]);
  await staticNumber(pool, TRACKING, schemeId);
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM routing_steps WHERE scheme_id = $1 AND position = 0', [schemeId]);
  return { ids, stepId: rows[0]!.id, tn: (await resolveTrackingNumber(pool, TRACKING))! };
}

const depsOn = (pool: Pool, roundRobin: RoundRobinPort = roundRobinPort(pool)): PlanDeps => ({
  pool,
  sources: databaseSources(pool),
  lookupBudgetMs: 1_000,
  roundRobin,
});

async function first(deps: PlanDeps, tn: ResolvedTrackingNumber, mode: 'advance' | 'read_only' = 'advance', caller = '+380631112233'): Promise<number | null> {
  const planned = await planInboundCall(deps, { trackingNumber: tn, caller, at: new Date() }, mode);
  return planned.plan.attempts.find((a) => a.stepType === 'new_client_distribution')?.targets[0]?.employeeId ?? null;
}

async function stateOf(pool: Pool, stepId: number): Promise<{ last_employee_id: number | null; turns: number } | undefined> {
  const { rows } = await pool.query<{ last_employee_id: number | null; turns: number }>(
    'SELECT last_employee_id, turns FROM round_robin_state WHERE step_id = $1',
    [stepId],
  );
  return rows[0];
}

t.test('every real call saves its turn in round_robin_state; a simulation leaves it', async (t) => {
  const db = await testDatabase(t);
  const { ids, stepId, tn } = await setUp(db.pool, 4);
  const deps = depsOn(db.pool);
  t.equal(await stateOf(db.pool, stepId), undefined, 'no state before the first call');
  t.equal(await first(deps, tn), ids[0]);
  t.same(await stateOf(db.pool, stepId), { last_employee_id: ids[0], turns: 1 }, 'the first call’s turn is saved');
  t.equal(await first(deps, tn), ids[1]);
  t.same(await stateOf(db.pool, stepId), { last_employee_id: ids[1], turns: 2 }, 'so is the second’s');

  t.equal(await first(deps, tn, 'read_only'), ids[2], 'a simulation shows the next turn');
  t.equal(await first(deps, tn, 'read_only'), ids[2], 'twice: it moved nothing');
  t.same(await stateOf(db.pool, stepId), { last_employee_id: ids[1], turns: 2 }, 'the row is untouched');

  // a new process: its own pool, nothing cached; it goes on from what was saved
  const other = createPool(db.url, 2, silentLogger);
  t.teardown(() => other.end());
  t.equal(await first(depsOn(other), tn), ids[2], 'another process continues from the saved position');
  t.equal(await first(deps, tn), ids[3], 'and this one sees that turn as taken');
  t.equal(await first(deps, tn), ids[0], 'round again');
  t.same(await stateOf(db.pool, stepId), { last_employee_id: ids[0], turns: 5 });
});

t.test('the adapter: compare-and-set on turns, steps that are gone, employees deleted meanwhile', async (t) => {
  const db = await testDatabase(t);
  const { ids, stepId } = await setUp(db.pool, 3);
  const port = new PostgresRoundRobin(db.pool);
  t.same(await port.read([stepId]), new Map([[stepId, { lastEmployeeId: null, turns: 0 }]]), 'never rotated: not started');
  let r = await port.save([{ stepId, fromTurns: 0, lastEmployeeId: ids[0]!, turns: 1 }]);
  t.same([...r.saved], [stepId], 'the first turn starts the row');
  r = await port.save([{ stepId, fromTurns: 0, lastEmployeeId: ids[1]!, turns: 1 }]);
  t.same([...r.saved], [], 'a second start planned on turn 0 is refused');
  t.same(r.current.get(stepId), { lastEmployeeId: ids[0], turns: 1 }, 'with where the step stands');
  r = await port.save([{ stepId, fromTurns: 1, lastEmployeeId: ids[2]!, turns: 3 }]);
  t.same([...r.saved], [stepId], 'a batch of three turns');
  t.same(await port.read([stepId]), new Map([[stepId, { lastEmployeeId: ids[2], turns: 4 }]]));

  await db.pool.query('DELETE FROM employees WHERE id = $1', [ids[1]]);
  r = await port.save([{ stepId, fromTurns: 4, lastEmployeeId: ids[1]!, turns: 1 }]);
  t.same([...r.saved], [stepId], 'an employee deleted meanwhile does not fail the save');
  t.same(await port.read([stepId]), new Map([[stepId, { lastEmployeeId: null, turns: 5 }]]), 'the rotation starts over');

  await db.pool.query('DELETE FROM routing_steps WHERE id = $1', [stepId]);
  r = await port.save([{ stepId, fromTurns: 5, lastEmployeeId: ids[0]!, turns: 1 }]);
  t.same([...r.gone], [stepId], 'a step deleted with its scheme is gone');
  r = await port.save([{ stepId, fromTurns: 0, lastEmployeeId: ids[0]!, turns: 1 }]);
  t.same([...r.gone], [stepId], 'and is not started again');
  const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM round_robin_state');
  t.equal(rows[0].n, 0);
});

/** Counts the saves a port makes and those another call got in first. */
class Counting implements RoundRobinPort {
  saves = 0;
  conflicts = 0;
  constructor(private readonly port: RoundRobinPort) {}
  read(ids: readonly StepId[]) {
    return this.port.read(ids);
  }
  async save(moves: readonly RotationMove[]) {
    this.saves++;
    const r = await this.port.save(moves);
    if (r.current.size > 0) this.conflicts++;
    return r;
  }
}

t.test('concurrent calls on two connections never start with the same employee; each gets its fair share', async (t) => {
  const db = await testDatabase(t);
  const RECEIVERS = 6;
  const ROUNDS = 8;
  const { ids, stepId, tn } = await setUp(db.pool, RECEIVERS);
  // two pools, each with its own adapter: two processes' worth of connections and caches
  const poolB = createPool(db.url, 5, silentLogger);
  t.teardown(() => poolB.end());
  const a = new Counting(new PostgresRoundRobin(db.pool));
  const b = new Counting(new PostgresRoundRobin(poolB));
  const depsA = depsOn(db.pool, a);
  const depsB = depsOn(poolB, b);
  const share = new Map<number, number>();
  for (let round = 0; round < ROUNDS; round++) {
    const firsts = await Promise.all(
      Array.from({ length: RECEIVERS }, (_, i) => first(i % 2 === 0 ? depsA : depsB, tn, 'advance', `+3806311${String(round * 100 + i).padStart(5, '0')}`)),
    );
    t.same([...firsts].sort((x, y) => x! - y!), ids, `round ${round + 1}: ${RECEIVERS} calls at once, ${RECEIVERS} different first employees`);
    for (const f of firsts) share.set(f!, (share.get(f!) ?? 0) + 1);
  }
  for (const id of ids) t.equal(share.get(id), ROUNDS, `employee ${id} had the first turn ${ROUNDS} times`);
  t.same(await stateOf(db.pool, stepId), { last_employee_id: ids[ids.length - 1], turns: RECEIVERS * ROUNDS }, 'every turn saved');
  t.comment(`saves: ${a.saves} + ${b.saves}; refused because the other connection moved first: ${a.conflicts + b.conflicts}`);
});

interface Child {
  ready: Promise<void>;
  result: Promise<{ firsts: number[]; saved: boolean[] }>;
  go(): void;
}

function planCallsProcess(url: string, calls: number): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/plan-calls.ts', url, TRACKING, String(calls)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.on('exit', () => clearTimeout(killer));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  let onReady: () => void;
  let notReady: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (notReady = reject)));
  const result = new Promise<{ firsts: number[]; saved: boolean[] }>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') onReady();
      else if (line.startsWith('{')) resolve(JSON.parse(line));
    });
    child.on('exit', (code, signal) => {
      const error = new Error(`plan-calls exited ${code ?? signal}: ${err}`);
      notReady(error);
      reject(error);
    });
  });
  return { ready, result, go: () => child.stdin!.end('go\n') };
}

t.test('two processes planning calls at the same moment never start with the same employee', async (t) => {
  const db = await testDatabase(t);
  const RECEIVERS = 8;
  const { ids, stepId, tn } = await setUp(db.pool, RECEIVERS);
  t.equal(await first(depsOn(db.pool), tn), ids[0], 'one call first, so the row exists and both start from turn 1');
  for (let round = 0; round < 2; round++) {
    const p1 = planCallsProcess(db.url, RECEIVERS / 2);
    const p2 = planCallsProcess(db.url, RECEIVERS / 2);
    await Promise.all([p1.ready, p2.ready]);
    p1.go();
    p2.go();
    const [r1, r2] = await Promise.all([p1.result, p2.result]);
    const all = [...r1.firsts, ...r2.firsts].sort((x, y) => x - y);
    t.same(all, ids, `round ${round + 1}: ${RECEIVERS} calls in two processes at once, ${RECEIVERS} different first employees`);
    t.ok([...r1.saved, ...r2.saved].every(Boolean), 'every turn saved');
  }
  t.same(await stateOf(db.pool, stepId), { last_employee_id: ids[0], turns: 1 + 2 * RECEIVERS });
});
