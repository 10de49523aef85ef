// Taking turns on the round-robin rotation without holding a lock while a call
// is planned: plan on the position last seen, then save the advance with one
// compare-and-set through the RoundRobinPort; when another call (of this process
// or another one) moved the rotation first, plan again on where it stands now,
// a bounded number of times. The rule itself (who is next) stays in
// src/routing/round-robin.ts, inside the engine's plan.
//
// Calls of one process that arrive while a save is in flight wait for it and are
// then planned together, one after another on the same position, and saved with
// a single compare-and-set: a burst costs one round trip, not one per call, and
// calls of one process never conflict with each other.
import type { RoundRobinState, RoutingPlan } from '../routing/types.ts';
import { NOT_STARTED, type RotationPosition, type RoundRobinPort, type StepId } from './ports.ts';

/** A round_robin step of the call's scheme: its index in the scheme and its row id. */
export interface RotatingStep {
  readonly stepIndex: number;
  readonly stepId: StepId;
}

/** The engine run for one call on a given rotation (by step index, as CallContext.roundRobin wants it). */
export type PlanOnRotation = (rotation: ReadonlyMap<number, RoundRobinState>) => RoutingPlan;

export interface Turn {
  readonly plan: RoutingPlan;
  /**
   * False only when other calls kept moving the rotation through every attempt:
   * the call is still routed on the last position read, and its turn is not saved.
   */
  readonly saved: boolean;
}

/** Compare-and-set attempts before a call is routed without saving its turn. */
export const MAX_SAVE_ATTEMPTS = 6;
/** Calls planned and saved together at most. */
const MAX_BATCH = 256;

interface Waiting {
  readonly steps: readonly RotatingStep[];
  readonly plan: PlanOnRotation;
  resolve(turn: Turn): void;
  reject(err: unknown): void;
}

function rotationOf(steps: readonly RotatingStep[], position: (id: StepId) => RotationPosition): Map<number, RoundRobinState> {
  return new Map(steps.map((s) => [s.stepIndex, { lastEmployeeId: position(s.stepId).lastEmployeeId }]));
}

class TurnTaker {
  /** The position this process last read or saved, per step: a guess checked by every save. */
  private readonly known = new Map<StepId, RotationPosition>();
  /** Calls waiting, per set of steps; a lane exists while its calls are being planned and saved. */
  private readonly lanes = new Map<string, Waiting[]>();

  constructor(private readonly port: RoundRobinPort) {}

  take(steps: readonly RotatingStep[], plan: PlanOnRotation): Promise<Turn> {
    const key = steps.map((s) => s.stepId).sort((a, b) => a - b).join(',');
    return new Promise<Turn>((resolve, reject) => {
      const waiting: Waiting = { steps, plan, resolve, reject };
      const lane = this.lanes.get(key);
      if (lane) {
        lane.push(waiting);
        return;
      }
      const queue = [waiting];
      this.lanes.set(key, queue);
      void this.run(key, queue);
    });
  }

  private async run(key: string, queue: Waiting[]): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH);
        try {
          const outcomes = await this.settle(batch);
          batch.forEach((w, i) => {
            const o = outcomes[i]!;
            if ('failed' in o) w.reject(o.failed);
            else w.resolve(o);
          });
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.lanes.delete(key);
    }
  }

  /**
   * Plans the batch in order on one position and saves where it leaves the
   * rotation. A call whose plan throws fails alone; the others go on without it.
   */
  private async settle(batch: readonly Waiting[]): Promise<Array<Turn | { failed: unknown }>> {
    const stepIds = [...new Set(batch.flatMap((w) => w.steps.map((s) => s.stepId)))];
    const unknown = stepIds.filter((id) => !this.known.has(id));
    if (unknown.length > 0) for (const [id, p] of await this.port.read(unknown)) this.known.set(id, p);
    const positions = new Map(stepIds.map((id) => [id, this.known.get(id) ?? NOT_STARTED]));
    // steps saved by an earlier attempt keep the position they were planned on, so
    // planning again gives them the same turns (a step's turns depend on it alone)
    const settled = new Map<StepId, RotationPosition>();
    const base = (id: StepId) => settled.get(id) ?? positions.get(id) ?? NOT_STARTED;
    let plans: Array<RoutingPlan | { failed: unknown }> = [];
    const outcomes = (saved: boolean) => plans.map((plan) => ('failed' in plan ? plan : { plan, saved }));
    for (let attempt = 1; attempt <= MAX_SAVE_ATTEMPTS; attempt++) {
      const last = new Map<StepId, number>();
      const taken = new Map<StepId, number>();
      plans = batch.map((w) => {
        let plan: RoutingPlan;
        try {
          plan = w.plan(rotationOf(w.steps, (id) => (last.has(id) ? { lastEmployeeId: last.get(id)!, turns: 0 } : base(id))));
        } catch (failed) {
          return { failed };
        }
        for (const advance of plan.roundRobin) {
          const stepId = w.steps.find((s) => s.stepIndex === advance.stepIndex)?.stepId;
          if (stepId === undefined) continue;
          last.set(stepId, advance.lastEmployeeId);
          taken.set(stepId, (taken.get(stepId) ?? 0) + 1);
        }
        return plan;
      });
      const moves = [...taken]
        .filter(([id]) => !settled.has(id))
        .map(([stepId, turns]) => ({ stepId, fromTurns: base(stepId).turns, lastEmployeeId: last.get(stepId)!, turns }));
      if (moves.length === 0) return outcomes(true);
      const result = await this.port.save(moves);
      for (const m of moves) {
        if (result.saved.has(m.stepId)) {
          settled.set(m.stepId, base(m.stepId));
          this.known.set(m.stepId, { lastEmployeeId: m.lastEmployeeId, turns: m.fromTurns + m.turns });
        } else if (result.gone.has(m.stepId)) {
          settled.set(m.stepId, base(m.stepId));
          this.known.delete(m.stepId);
        }
      }
      for (const [id, p] of result.current) {
        positions.set(id, p);
        this.known.set(id, p);
      }
      if (moves.every((m) => settled.has(m.stepId))) return outcomes(true);
    }
    return outcomes(false);
  }
}

const takers = new WeakMap<RoundRobinPort, TurnTaker>();

/**
 * A real call's plan, its round-robin turns saved: fair against every other call
 * planned at the same moment on the same rotation, in this process or another.
 */
export function takeTurn(port: RoundRobinPort, steps: readonly RotatingStep[], plan: PlanOnRotation): Promise<Turn> {
  if (steps.length === 0) return Promise.resolve({ plan: plan(new Map()), saved: true });
  let taker = takers.get(port);
  if (!taker) {
    taker = new TurnTaker(port);
    takers.set(port, taker);
  }
  return taker.take(steps, plan);
}

/** A plan on the rotation as it stands now, nothing saved (a simulation). */
export async function planOnCurrentRotation(port: RoundRobinPort, steps: readonly RotatingStep[], plan: PlanOnRotation): Promise<RoutingPlan> {
  if (steps.length === 0) return plan(new Map());
  const positions = await port.read(steps.map((s) => s.stepId));
  return plan(rotationOf(steps, (id) => positions.get(id) ?? NOT_STARTED));
}
