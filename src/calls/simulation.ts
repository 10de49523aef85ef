// A call that is only simulated: its attribution, its tracking number and its
// routing plan, built once here for `POST /api/v1/calls/simulate` and for
// `ringpath simulate-call --json` (same object) and its text lines. Nothing is
// rung, nothing is stored and the round robin is only read: the attribution reads
// the visitor sessions as they are, the plan reads the rotation as it is.
import type { DirectoryEmployee } from '../db/repositories/directory.ts';
import { attributeCall } from '../dni/attribution-port.ts';
import { AppError } from '../errors.ts';
import { AT_FORMAT, parseAt } from '../util/time.ts';
import { describeLookup, describePlan } from '../routing/describe.ts';
import { describeDestination } from '../routing/targets.ts';
import type { ResponsibleLookup } from '../routing/types.ts';
import { simulateCall, simulatedNumbers, type PlanDeps, type SimulatedCall } from './plan.ts';
import { attributionJson, type Attribution, type AttributionJson } from './record.ts';

export interface SimulationRequest {
  readonly from: string;
  readonly to: string;
  /** ISO 8601 with a zone; now when absent. */
  readonly at?: string | undefined;
}

export interface SimulationDeps extends PlanDeps {
  readonly defaultCountry: string;
  /** The clock, for a request without `at`. */
  readonly now?: () => Date;
}

export interface SimulatedTarget {
  readonly employee_id: number | null;
  readonly employee_name: string | null;
  readonly destinations: string[];
}

export interface SimulatedStep {
  /** 1-based position in the order the plan would ring. */
  readonly order: number;
  /** 1-based step of the scheme. */
  readonly step: number;
  readonly step_type: string;
  readonly action: 'ring' | 'skip';
  readonly ring_timeout_s: number | null;
  readonly targets: SimulatedTarget[];
  readonly reason: string;
  /** Why it was skipped (SkipCode); null when it rings. */
  readonly skip_code: string | null;
  readonly excluded: Array<{ readonly employee_id: number | null; readonly code: string; readonly detail: string }>;
}

export interface SimulationReport {
  readonly simulated: true;
  readonly at: string;
  /** E.164, or null for a withheld caller. */
  readonly caller: string | null;
  readonly tracking_number: {
    readonly id: number;
    readonly number: string;
    readonly kind: 'static' | 'pool';
    readonly pool_id: number | null;
    readonly site_id: number | null;
    readonly source_name: string | null;
    /** The site this number is the fallback number of; calls to it are attributed `fallback`. */
    readonly fallback_for_site_id: number | null;
  };
  readonly attribution: AttributionJson;
  readonly routing: {
    readonly scheme_id: number | null;
    /** False when the number has no scheme, or its scheme was deleted: nobody would be rung. */
    readonly scheme_found: boolean;
    readonly crm_lookup: { readonly status: ResponsibleLookup['status']; readonly contact_owner_id: string | null; readonly deal_owner_id: string | null } | null;
    readonly responsible_manager_id: number | null;
    readonly steps: SimulatedStep[];
    /** Round-robin steps: who this call would offer first (the rotation is not moved). */
    readonly round_robin: Array<{ readonly step: number; readonly first_employee_id: number }>;
    /** False when no step would ring anyone: the call would be missed at once. */
    readonly rings_anyone: boolean;
  };
  /** The same, in the words `ringpath simulate-call` prints. */
  readonly lines: string[];
}

export interface Simulation {
  readonly call: SimulatedCall;
  readonly attribution: Attribution;
  readonly report: SimulationReport;
}

function stepsOf(call: SimulatedCall): SimulatedStep[] {
  const names = new Map<number, string>(call.employees.map((e: DirectoryEmployee) => [e.id, e.fullName]));
  return call.plan.entries.map((e, i) => {
    const excluded = e.excluded.map((x) => ({ employee_id: x.employeeId, code: x.code, detail: x.detail }));
    if (e.kind === 'skip') {
      return { order: i + 1, step: e.stepIndex + 1, step_type: e.stepType, action: 'skip', ring_timeout_s: null, targets: [], reason: e.reason, skip_code: e.code, excluded };
    }
    return {
      order: i + 1,
      step: e.stepIndex + 1,
      step_type: e.stepType,
      action: 'ring',
      ring_timeout_s: e.ringTimeoutS,
      targets: e.targets.map((t) => ({
        employee_id: t.employeeId,
        employee_name: t.employeeId === null ? null : (names.get(t.employeeId) ?? null),
        destinations: t.destinations.map(describeDestination),
      })),
      reason: e.reason,
      skip_code: null,
      excluded,
    };
  });
}

function lookupJson(lookup: ResponsibleLookup | undefined): SimulationReport['routing']['crm_lookup'] {
  if (lookup === undefined) return null;
  return {
    status: lookup.status,
    contact_owner_id: lookup.status === 'found' ? (lookup.contactOwnerId ?? null) : null,
    deal_owner_id: lookup.status === 'found' ? (lookup.dealOwnerId ?? null) : null,
  };
}

/** What `simulate-call` prints: the call, the tracking number, the attribution, the CRM answer, the plan. */
export function simulationLines(call: SimulatedCall, attribution: Attribution, budgetMs: number): string[] {
  const tn = call.trackingNumber;
  const source = tn.staticSource ? `static number, source "${tn.staticSource.name}"` : `pool number${tn.poolId === null ? '' : ` of pool ${tn.poolId}`}`;
  const fallback = tn.fallbackForSiteId ? `, the fallback number of site ${tn.fallbackForSiteId}` : '';
  const scheme =
    tn.schemeId === null ? 'no routing scheme' : call.schemeFound ? `routing scheme ${tn.schemeId}` : `routing scheme ${tn.schemeId} (deleted)`;
  const session = attribution.visitorSessionId === undefined ? '' : `, visitor session ${attribution.visitorSessionId}`;
  return [
    `simulated call from ${call.caller ?? 'a withheld number'} to ${tn.number} at ${call.at.toISOString()}: nothing is rung`,
    `tracking number ${tn.number}: ${source}${fallback}; ${scheme}`,
    `attribution: ${attribution.confidence}: ${attribution.label}${session}`,
    describeLookup(call.lookup, budgetMs),
    ...describePlan(call.plan, { employees: call.employees, simulation: true }),
  ];
}

/**
 * Simulate a call from `from` to `to` at `at`. Bad input throws an AppError naming
 * the field: PHONE_INVALID (from, to), VALIDATION_FAILED (at), TRACKING_NUMBER_UNKNOWN.
 */
export async function simulate(deps: SimulationDeps, request: SimulationRequest): Promise<Simulation> {
  const at = request.at === undefined ? (deps.now ?? (() => new Date()))() : parseAt(request.at);
  if (!at) throw AppError.field('VALIDATION_FAILED', 'at', `must be ${AT_FORMAT} (got ${JSON.stringify(request.at)})`);
  const numbers = simulatedNumbers(request.from, request.to, deps.defaultCountry);
  const call = await simulateCall(deps, numbers, at);
  const attribution = await attributeCall(deps.pool, call.trackingNumber, at);
  const tn = call.trackingNumber;
  const lines = simulationLines(call, attribution, deps.lookupBudgetMs);
  const report: SimulationReport = {
    simulated: true,
    at: at.toISOString(),
    caller: call.caller,
    tracking_number: {
      id: tn.id,
      number: tn.number,
      kind: tn.kind,
      pool_id: tn.poolId,
      site_id: tn.siteId,
      source_name: tn.staticSource?.name ?? null,
      fallback_for_site_id: tn.fallbackForSiteId ?? null,
    },
    attribution: attributionJson(attribution),
    routing: {
      scheme_id: tn.schemeId,
      scheme_found: call.schemeFound,
      crm_lookup: lookupJson(call.lookup),
      responsible_manager_id: call.plan.responsibleManagerId,
      steps: stepsOf(call),
      round_robin: call.plan.roundRobin.map((r) => ({ step: r.stepIndex + 1, first_employee_id: r.lastEmployeeId })),
      rings_anyone: call.plan.attempts.length > 0,
    },
    lines,
  };
  return { call, attribution, report };
}
