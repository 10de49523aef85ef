// The routing plan of an inbound call: the I/O around the pure engine. The SIP
// pipeline builds its plan here and then rings it; `ringpath simulate-call` (and
// later the console) builds the same plan and only shows it. Only a real call
// moves the round-robin rotation on; a simulation reads it and leaves it alone.
// The rotation is reached through its port (src/calls/ports.ts), never the pool.
import { lookupResponsible } from '../crm/mirror-lookup.ts';
import type { Pool, Queryable } from '../db/pool.ts';
import {
  loadEmployees,
  loadScheme,
  resolveTrackingNumber,
  type DirectoryEmployee,
  type ResolvedTrackingNumber,
} from '../db/repositories/directory.ts';
import { AppError } from '../errors.ts';
import { normalizePhone } from '../phone/index.ts';
import { planCall } from '../routing/engine.ts';
import type { ResponsibleLookup, RoundRobinState, RoutingPlan, Scheme } from '../routing/types.ts';
import type { RoundRobinPort } from './ports.ts';
import { planOnCurrentRotation, takeTurn, type RotatingStep } from './rotation.ts';

/** Where schemes and employees come from: the SIP side's cached Directory, or the database itself. */
export interface PlanSources {
  scheme(id: number): Promise<{ scheme: Scheme; stepIds: number[] } | undefined>;
  employees(): Promise<{ list: readonly DirectoryEmployee[] }>;
}

/** Schemes and employees read straight from the database, for one-off plans. */
export function databaseSources(db: Queryable): PlanSources {
  return {
    scheme: (id) => loadScheme(db, id),
    employees: async () => ({ list: await loadEmployees(db) }),
  };
}

export interface PlanDeps {
  /** The CRM mirror's database (the responsible-manager lookup), and tracking numbers for simulations. */
  readonly pool: Pool;
  readonly sources: PlanSources;
  /** The round-robin rotation: read by simulations, advanced by real calls. */
  readonly roundRobin: RoundRobinPort;
  /** How long the CRM-mirror lookup may take before its step is skipped (LOOKUP_BUDGET_MS). */
  readonly lookupBudgetMs: number;
}

export interface CallToPlan {
  readonly trackingNumber: ResolvedTrackingNumber;
  /** E.164, or null when the caller's number is withheld or unusable. */
  readonly caller: string | null;
  /** The call's start; working hours are evaluated at it. */
  readonly at: Date;
  /** The CRM-mirror lookup for the caller, when the caller already started it (the SIP pipeline does, early). */
  readonly lookupUnderWay?: Promise<ResponsibleLookup> | undefined;
}

/** `advance`: a real call takes its turn. `read_only`: a simulation looks at the rotation and leaves it. */
export type RoundRobinMode = 'advance' | 'read_only';

export interface CallPlan {
  readonly plan: RoutingPlan;
  readonly scheme: Scheme;
  /** False when the number has no scheme, or its scheme no longer exists: nobody is rung. */
  readonly schemeFound: boolean;
  readonly employees: readonly DirectoryEmployee[];
  /** What the CRM mirror said about the caller; undefined when no step needed to ask. */
  readonly lookup: ResponsibleLookup | undefined;
  /**
   * False when a real call's round-robin turn could not be saved (other calls kept
   * moving the rotation through every attempt); the call is routed all the same.
   * Always true for a simulation, which saves nothing.
   */
  readonly rotationSaved: boolean;
}

/** The plan of a call to a resolved tracking number. */
export async function planInboundCall(deps: PlanDeps, call: CallToPlan, mode: RoundRobinMode): Promise<CallPlan> {
  const tn = call.trackingNumber;
  const loaded = tn.schemeId === null ? undefined : await deps.sources.scheme(tn.schemeId);
  const scheme = loaded?.scheme ?? { id: 0, steps: [] };
  const { list: employees } = await deps.sources.employees();
  const needsLookup = scheme.steps.some((s) => s.type === 'responsible_manager');
  const lookup = needsLookup && call.caller ? await (call.lookupUnderWay ?? lookupResponsible(deps.pool, call.caller, deps.lookupBudgetMs)) : undefined;
  const rotating: RotatingStep[] = scheme.steps.flatMap((s, i) =>
    s.type === 'new_client_distribution' && s.mode === 'round_robin' ? [{ stepIndex: i, stepId: loaded!.stepIds[i]! }] : [],
  );
  const plan = (roundRobin: ReadonlyMap<number, RoundRobinState>): RoutingPlan =>
    planCall({
      callerNumber: call.caller ?? 'anonymous',
      trackingNumber: { number: tn.number, scheme },
      employees,
      responsible: lookup ?? { status: 'not_found' },
      roundRobin,
      now: call.at,
    });
  const schemeFound = loaded !== undefined;
  if (mode === 'read_only') {
    const routing = await planOnCurrentRotation(deps.roundRobin, rotating, plan);
    return { plan: routing, scheme, schemeFound, employees, lookup, rotationSaved: true };
  }
  const turn = await takeTurn(deps.roundRobin, rotating, plan);
  return { plan: turn.plan, scheme, schemeFound, employees, lookup, rotationSaved: turn.saved };
}

export interface SimulatedNumbers {
  /** E.164, or null for a withheld caller ("anonymous"). */
  readonly caller: string | null;
  readonly dialled: string;
}

/**
 * The numbers of a call to simulate, as E.164. A withheld caller ("anonymous")
 * is routed like a real withheld caller; anything else unreadable is refused.
 */
export function simulatedNumbers(from: string, to: string, defaultCountry: string): SimulatedNumbers {
  const caller = normalizePhone(from, { defaultCountry });
  if (!caller.ok && caller.reason !== 'ANONYMOUS') throw AppError.field('PHONE_INVALID', 'from', `the caller's number is not usable: ${caller.message}`);
  const dialled = normalizePhone(to, { defaultCountry });
  if (!dialled.ok) throw AppError.field('PHONE_INVALID', 'to', `the dialled number is not usable: ${dialled.message}`);
  return { caller: caller.ok ? caller.e164 : null, dialled: dialled.e164 };
}

export interface SimulatedCall extends CallPlan {
  readonly trackingNumber: ResolvedTrackingNumber;
  readonly caller: string | null;
  readonly at: Date;
}

/** The plan a call would get, without ringing anyone or moving the round robin on. */
export async function simulateCall(deps: PlanDeps, numbers: SimulatedNumbers, at: Date): Promise<SimulatedCall> {
  const trackingNumber = await resolveTrackingNumber(deps.pool, numbers.dialled);
  if (!trackingNumber) throw new AppError('TRACKING_NUMBER_UNKNOWN', `${numbers.dialled} is not a tracking number`);
  const planned = await planInboundCall(deps, { trackingNumber, caller: numbers.caller, at }, 'read_only');
  return { ...planned, trackingNumber, caller: numbers.caller, at };
}
