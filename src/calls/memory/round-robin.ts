// The round-robin rotation in memory: the RoundRobinPort for tests and tools
// that run without PostgreSQL. One instance is one shared rotation (like one
// database); it keeps the same compare-and-set contract as the PostgreSQL adapter.
import { NOT_STARTED, type RotationMove, type RotationPosition, type RotationSave, type RoundRobinPort, type StepId } from '../ports.ts';

export class MemoryRoundRobin implements RoundRobinPort {
  private readonly positions = new Map<StepId, RotationPosition>();
  /** Steps that no longer exist (a scheme edited away); saves to them are refused as `gone`. */
  private readonly removed = new Set<StepId>();

  constructor(initial: Iterable<readonly [StepId, RotationPosition]> = []) {
    for (const [stepId, position] of initial) this.positions.set(stepId, position);
  }

  async read(stepIds: readonly StepId[]): Promise<ReadonlyMap<StepId, RotationPosition>> {
    return new Map(stepIds.map((id) => [id, this.positions.get(id) ?? NOT_STARTED]));
  }

  async save(moves: readonly RotationMove[]): Promise<RotationSave> {
    const saved = new Set<StepId>();
    const gone = new Set<StepId>();
    const current = new Map<StepId, RotationPosition>();
    for (const move of moves) {
      if (this.removed.has(move.stepId)) {
        gone.add(move.stepId);
        continue;
      }
      const now = this.positions.get(move.stepId) ?? NOT_STARTED;
      if (now.turns !== move.fromTurns) {
        current.set(move.stepId, now);
        continue;
      }
      this.positions.set(move.stepId, { lastEmployeeId: move.lastEmployeeId, turns: now.turns + move.turns });
      saved.add(move.stepId);
    }
    return { saved, gone, current };
  }

  /** Where a step stands (for tests). */
  position(stepId: StepId): RotationPosition {
    return this.positions.get(stepId) ?? NOT_STARTED;
  }

  /** Forget a step, as deleting its scheme step does. */
  remove(stepId: StepId): void {
    this.positions.delete(stepId);
    this.removed.add(stepId);
  }
}
