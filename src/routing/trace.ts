// The routing trace of a call (the CDR's routing_trace): each step, each destination
// tried, each result. Pure folds: the SIP shell walks RoutingPlan.entries in order,
// folding a skipped step with foldSkip and a rung attempt with foldOutcome, and stops
// once routingFinished(trace) says so.
import { destinationKey } from './targets.ts';
import type { Attempt, AttemptOutcome, AttemptResult, Disposition, EmployeeId, Leg, RoutingTrace, SkippedStep, TraceEntry } from './types.ts';

/** The trace with a step the engine skipped; `at` is epoch milliseconds. */
export function foldSkip(trace: RoutingTrace, skip: SkippedStep, at: number): RoutingTrace {
  const entry: TraceEntry = {
    stepIndex: skip.stepIndex,
    stepType: skip.stepType,
    result: 'skipped',
    reason: skip.reason,
    skipCode: skip.code,
    employeeIds: [],
    legs: [],
    excluded: skip.excluded,
    startedAt: at,
    endedAt: at,
    ringMs: 0,
  };
  return [...trace, entry];
}

/**
 * The trace with the outcome of an attempt. Each destination's result comes from
 * `outcome.legs` when the shell knows it; otherwise the answered destination is
 * "answered", the others of an answered attempt "cancelled", and every destination of
 * an unanswered attempt shares the attempt's result.
 */
export function foldOutcome(trace: RoutingTrace, attempt: Attempt, outcome: AttemptOutcome): RoutingTrace {
  const known = new Map((outcome.legs ?? []).map((l) => [destinationKey(l.destination), l.result]));
  const answeredKey = outcome.result === 'answered' ? destinationKey(outcome.answeredDestination) : undefined;
  const legs: Leg[] = [];
  let answeredBy: EmployeeId | null = null;
  for (const target of attempt.targets) {
    for (const destination of target.destinations) {
      const key = destinationKey(destination);
      const fallback = answeredKey === undefined ? outcome.result : key === answeredKey ? 'answered' : 'cancelled';
      legs.push({ employeeId: target.employeeId, destination, result: key === answeredKey ? 'answered' : (known.get(key) ?? fallback) });
      if (key === answeredKey) answeredBy = target.employeeId;
    }
  }
  const entry: TraceEntry = {
    stepIndex: attempt.stepIndex,
    stepType: attempt.stepType,
    result: outcome.result,
    reason: attempt.reason,
    employeeIds: attempt.targets.map((t) => t.employeeId),
    legs,
    excluded: attempt.excluded,
    startedAt: outcome.startedAt,
    endedAt: outcome.endedAt,
    ringMs: Math.max(0, outcome.endedAt - outcome.startedAt),
    // An answer from a destination outside the attempt is kept, with no employee: the
    // shell matches it against every employee's destinations ("unknown employee").
    ...(outcome.result === 'answered' ? { answered: { employeeId: answeredBy, destination: outcome.answeredDestination } } : {}),
  };
  return [...trace, entry];
}

/** True once the call was answered or the caller hung up: no further attempt rings. */
export function routingFinished(trace: RoutingTrace): boolean {
  return trace.some((e) => e.result === 'answered' || e.result === 'cancelled');
}

/** Who answered, or undefined. */
export function answeredBy(trace: RoutingTrace): TraceEntry['answered'] {
  return trace.find((e) => e.result === 'answered')?.answered;
}

/**
 * The call's disposition from its trace:
 * - answered: some attempt was answered;
 * - abandoned: the caller hung up while an attempt rang (cancelled);
 * - failed: every attempt that rang failed (no destination could be reached at all);
 * - busy: every attempt that rang was busy or failed, at least one busy;
 * - missed: otherwise, including when every step was skipped or the scheme is empty.
 */
export function dispositionOf(trace: RoutingTrace): Disposition {
  if (trace.some((e) => e.result === 'answered')) return 'answered';
  if (trace.some((e) => e.result === 'cancelled')) return 'abandoned';
  const rang = trace.filter((e) => e.result !== 'skipped');
  if (rang.length === 0) return 'missed';
  if (rang.every((e) => e.result === 'failed')) return 'failed';
  if (rang.every((e) => e.result === 'busy' || e.result === 'failed')) return 'busy';
  return 'missed';
}

/** One result for an attempt none of whose legs answered: no answer beats busy, busy beats failure. */
export function summariseLegs(results: readonly AttemptResult[]): Exclude<AttemptResult, 'answered'> {
  if (results.length === 0) return 'failed';
  if (results.includes('no_answer')) return 'no_answer';
  if (results.includes('busy')) return 'busy';
  if (results.every((r) => r === 'cancelled')) return 'cancelled';
  return 'failed';
}
