// The round-robin rotation in PostgreSQL (table round_robin_state), shared by
// every ringpath process: the RoundRobinPort's adapter. Nothing is locked while
// a call is planned; a save is one statement that moves each step only if it is
// still at the turn the plan read (compare-and-set on `turns`), so two calls
// planned on the same position in two processes are never both saved.
import type { RotationMove, RotationPosition, RotationSave, RoundRobinPort, StepId } from '../../calls/ports.ts';
import { NOT_STARTED } from '../../calls/ports.ts';
import type { QueryConfig } from 'pg';
import type { Queryable } from '../pool.ts';

const READ = {
  name: 'ringpath.round_robin.read',
  text: 'SELECT step_id, last_employee_id, turns FROM round_robin_state WHERE step_id = ANY($1::bigint[])',
};

// One round trip, one implicit transaction, no lock held beyond the statement:
// - a step already saved moves if still at `from_turns`;
// - a step never saved (no row in this statement's snapshot) starts if planned at
//   turn 0 and nobody started it meanwhile (ON CONFLICT DO NOTHING);
// - a step whose routing_steps row is gone is reported, not saved;
// - an employee deleted meanwhile is stored as NULL (the rotation starts over);
// - its commit does not wait for the WAL to reach the disk (synchronous_commit
//   off for this statement's own transaction only): the new position is visible
//   to every other process at once, as with any commit; only a PostgreSQL crash
//   can lose the last fraction of a second of advances, and then some employee
//   gets one extra turn. A routing decision is not held up by an fsync for that.
const SAVE = {
  name: 'ringpath.round_robin.save',
  text: `WITH m AS (
      SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS m(step_id, from_turns, last_employee_id, turns)
    ), moved AS (
      UPDATE round_robin_state s
         SET last_employee_id = (SELECT e.id FROM employees e WHERE e.id = m.last_employee_id),
             turns = s.turns + m.turns, updated_at = now()
        FROM m
       WHERE s.step_id = m.step_id AND s.turns = m.from_turns
      RETURNING s.step_id
    ), started AS (
      INSERT INTO round_robin_state (step_id, last_employee_id, turns)
      SELECT m.step_id, (SELECT e.id FROM employees e WHERE e.id = m.last_employee_id), m.turns
        FROM m JOIN routing_steps r ON r.id = m.step_id
       WHERE m.from_turns = 0 AND NOT EXISTS (SELECT 1 FROM round_robin_state s WHERE s.step_id = m.step_id)
      ON CONFLICT (step_id) DO NOTHING
      RETURNING step_id
    )
    SELECT m.step_id,
           (m.step_id IN (SELECT step_id FROM moved) OR m.step_id IN (SELECT step_id FROM started)) AS saved,
           r.id IS NULL AS gone, s.last_employee_id, coalesce(s.turns, 0) AS turns
      FROM m LEFT JOIN routing_steps r ON r.id = m.step_id LEFT JOIN round_robin_state s ON s.step_id = m.step_id
           CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`,
};

/** The statements a call's rotation uses, for warming a connection (they read or change nothing here). */
export const ROUND_ROBIN_STATEMENTS: readonly QueryConfig[] = [
  { ...READ, values: [[]] },
  { ...SAVE, values: [[], [], [], []] },
];

export class PostgresRoundRobin implements RoundRobinPort {
  constructor(private readonly db: Queryable) {}

  async read(stepIds: readonly StepId[]): Promise<ReadonlyMap<StepId, RotationPosition>> {
    const { rows } = await this.db.query<{ step_id: number; last_employee_id: number | null; turns: number }>({ ...READ, values: [stepIds] });
    const byId = new Map(rows.map((r) => [r.step_id, { lastEmployeeId: r.last_employee_id, turns: r.turns }]));
    return new Map(stepIds.map((id) => [id, byId.get(id) ?? NOT_STARTED]));
  }

  async save(moves: readonly RotationMove[]): Promise<RotationSave> {
    const saved = new Set<StepId>();
    const gone = new Set<StepId>();
    const current = new Map<StepId, RotationPosition>();
    if (moves.length === 0) return { saved, gone, current };
    const { rows } = await this.db.query<{ step_id: number; saved: boolean; gone: boolean; last_employee_id: number | null; turns: number }>({
      ...SAVE,
      values: [moves.map((m) => m.stepId), moves.map((m) => m.fromTurns), moves.map((m) => m.lastEmployeeId), moves.map((m) => m.turns)],
    });
    for (const r of rows) {
      if (r.saved) saved.add(r.step_id);
      else if (r.gone) gone.add(r.step_id);
      else current.set(r.step_id, { lastEmployeeId: r.last_employee_id, turns: r.turns });
    }
    return { saved, gone, current };
  }
}

const ports = new WeakMap<object, PostgresRoundRobin>();

/**
 * The rotation port of a pool: one per pool, so every call a process plans on it
 * shares one adapter (and the batching of its saves, see src/calls/rotation.ts).
 */
export function roundRobinPort(db: Queryable): RoundRobinPort {
  let port = ports.get(db);
  if (!port) {
    port = new PostgresRoundRobin(db);
    ports.set(db, port);
  }
  return port;
}
