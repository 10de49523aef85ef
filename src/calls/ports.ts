// What planning a call reads and writes outside the routing engine, as typed
// ports. Adapters: PostgreSQL (src/db/repositories/round-robin.ts) for ringpath
// itself, memory (src/calls/memory/round-robin.ts) for tests and tools.
import type { EmployeeId } from '../routing/types.ts';

/** A routing_steps row id: each round_robin step keeps its own rotation. */
export type StepId = number;

/** Where one step's rotation stands. */
export interface RotationPosition {
  /** The employee who had the first turn last time; null before the first turn. */
  readonly lastEmployeeId: EmployeeId | null;
  /**
   * Turns taken on the step so far. It only grows, so it is the version a save
   * compares against: a plan made at turn N is saved only while the step is still
   * at turn N, even if the rotation came back round to the same employee since.
   */
  readonly turns: number;
}

/** Where a step stands before its first turn is saved. */
export const NOT_STARTED: RotationPosition = { lastEmployeeId: null, turns: 0 };

/** One step's advance, planned on the position `fromTurns`. */
export interface RotationMove {
  readonly stepId: StepId;
  /** The step's `turns` when the plan read it. */
  readonly fromTurns: number;
  /** The employee who had the first turn in the last call of this move. */
  readonly lastEmployeeId: EmployeeId;
  /** Calls that took a turn in this move (≥ 1). */
  readonly turns: number;
}

export interface RotationSave {
  /** Steps whose move was saved. */
  readonly saved: ReadonlySet<StepId>;
  /** Steps that no longer exist (the scheme was edited meanwhile): there is no rotation left to keep. */
  readonly gone: ReadonlySet<StepId>;
  /** For every other step: where it stands now, moved by another call since it was read. */
  readonly current: ReadonlyMap<StepId, RotationPosition>;
}

/**
 * The round-robin rotation, shared by every ringpath process. Reads never block
 * and never write; a save is one atomic compare-and-set per step, so two calls
 * planned on the same position can never both be saved.
 */
export interface RoundRobinPort {
  /** Where these steps stand now; a step never rotated is NOT_STARTED. */
  read(stepIds: readonly StepId[]): Promise<ReadonlyMap<StepId, RotationPosition>>;
  /** Save each move whose step is still at `fromTurns`; the others are reported as they stand. */
  save(moves: readonly RotationMove[]): Promise<RotationSave>;
}
