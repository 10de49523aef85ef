// Round-robin rotation among the employees who receive new clients. Pure.
//
// The rotation runs over receivers in ascending employee id, starting just after the
// one who had the first turn last time. Keying the position on an id rather than on
// an index keeps the rotation fair when receivers come and go: a new receiver slots
// in by id, and if the last one stopped receiving the turn passes to the next id.
//
// This is the only place the rule lives. Across processes, fairness needs the advance
// a plan makes (RoutingPlan.roundRobin) to be saved only if nobody moved the rotation
// since it was read: src/calls/rotation.ts saves it by compare-and-set through the
// RoundRobinPort and plans again on a conflict.
import type { EmployeeId, RoundRobinState } from './types.ts';

/** Receivers in the order this call offers them, the first being this call's turn. */
export function rotationOrder(receiverIds: readonly EmployeeId[], state: RoundRobinState | undefined): EmployeeId[] {
  const ids = [...new Set(receiverIds)].sort((a, b) => a - b);
  const last = state?.lastEmployeeId;
  if (last === null || last === undefined) return ids;
  const start = ids.findIndex((id) => id > last);
  return start <= 0 ? ids : [...ids.slice(start), ...ids.slice(0, start)];
}

/** The state to persist after a call offered to these receivers (unchanged when there are none). */
export function nextRoundRobin(receiverIds: readonly EmployeeId[], state: RoundRobinState | undefined): RoundRobinState {
  const first = rotationOrder(receiverIds, state)[0];
  return first === undefined ? { lastEmployeeId: state?.lastEmployeeId ?? null } : { lastEmployeeId: first };
}
