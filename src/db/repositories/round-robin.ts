// Round-robin rotation shared by every ringpath process: the state rows of a
// scheme's round_robin steps are locked while a call is planned, so two calls
// planned at once in two processes never start with the same employee.
import type { RoundRobinState, RoutingPlan } from '../../routing/types.ts';
import type { Pool } from '../pool.ts';
import { withTransaction } from '../pool.ts';

export async function planWithRotation(
  pool: Pool,
  rotatingSteps: ReadonlyArray<{ stepIndex: number; stepId: number }>,
  plan: (state: ReadonlyMap<number, RoundRobinState>) => RoutingPlan,
): Promise<RoutingPlan> {
  if (rotatingSteps.length === 0) return plan(new Map());
  const ids = rotatingSteps.map((s) => s.stepId);
  return withTransaction(pool, async (tx) => {
    await tx.query('INSERT INTO round_robin_state (step_id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING', [ids]);
    const { rows } = await tx.query<{ step_id: number; last_employee_id: number | null }>(
      'SELECT step_id, last_employee_id FROM round_robin_state WHERE step_id = ANY($1) ORDER BY step_id FOR UPDATE',
      [ids],
    );
    const byStepId = new Map(rows.map((r) => [r.step_id, r.last_employee_id]));
    const state = new Map<number, RoundRobinState>(
      rotatingSteps.map((s) => [s.stepIndex, { lastEmployeeId: byStepId.get(s.stepId) ?? null }]),
    );
    const result = plan(state);
    for (const advance of result.roundRobin) {
      const stepId = rotatingSteps.find((s) => s.stepIndex === advance.stepIndex)?.stepId;
      if (stepId === undefined) continue;
      await tx.query('UPDATE round_robin_state SET last_employee_id = $2, updated_at = now() WHERE step_id = $1', [
        stepId,
        advance.lastEmployeeId,
      ]);
    }
    return result;
  });
}
