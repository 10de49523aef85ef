// Types of the routing core (SPEC §3 "Routing scheme", §5). Everything here is plain,
// JSON-serialisable data: the engine takes a CallContext and returns a RoutingPlan,
// and the SIP shell folds what happened into a RoutingTrace (stored as routing_trace).
//
// These are the engine's own shapes (camelCase), not the API/DB rows: the adapter maps
// a RoutingStep row (ring_timeout_s, employee_ids, schedule.time_zone …) into a Step.

export type EmployeeId = number;

export type Destination =
  | { readonly type: 'phone'; readonly number: string }
  | { readonly type: 'sip_account'; readonly login: string }
  | { readonly type: 'sip_uri'; readonly uri: string };

export type SalesRole = 'sales_rep' | 'head' | 'quality_control';

export interface Employee {
  readonly id: EmployeeId;
  readonly fullName: string;
  /** quality_control employees are never rung. */
  readonly salesRole: SalesRole;
  readonly receivesNewClients: boolean;
  readonly isSeniorManager: boolean;
  /** The CRM owner id this employee is mapped to; owners in lookups are matched on it. */
  readonly hubspotOwnerId: string | null;
  /** Rung together when the call reaches the employee; the first answer wins. */
  readonly mainDestinations: readonly Destination[];
}

// ---- working hours -------------------------------------------------------------

export interface WorkingInterval {
  /** ISO weekdays (1 = Monday … 7 = Sunday) on which the interval STARTS. */
  readonly days: readonly number[];
  /** Local "HH:MM", inclusive. */
  readonly from: string;
  /** Local "HH:MM", exclusive; "24:00" is midnight; earlier than `from` crosses midnight. */
  readonly to: string;
}

export interface WorkingHours {
  /** IANA time zone name, e.g. "Europe/Kyiv". */
  readonly timeZone: string;
  readonly intervals: readonly WorkingInterval[];
}

// ---- scheme ----------------------------------------------------------------------

export type LookupTarget = 'contact_owner' | 'deal_owner';
export type RingStrategy = 'simultaneous' | 'sequential';
export type DistributionMode = 'ring_all' | 'round_robin';

interface StepBase {
  /** Seconds to ring an attempt of this step before moving on. */
  readonly ringTimeoutS: number;
  /** Without a schedule the step always runs. */
  readonly schedule?: WorkingHours;
}

export type Step =
  | (StepBase & { readonly type: 'responsible_manager'; readonly lookupOrder: readonly LookupTarget[] })
  | (StepBase & { readonly type: 'employees'; readonly employeeIds: readonly EmployeeId[]; readonly ringStrategy: RingStrategy })
  | (StepBase & { readonly type: 'new_client_distribution'; readonly mode: DistributionMode })
  | (StepBase & { readonly type: 'senior_manager' })
  | (StepBase & { readonly type: 'external_number'; readonly number: string });

export type StepType = Step['type'];

export interface Scheme {
  readonly id: number;
  readonly steps: readonly Step[];
}

// ---- inputs decided before routing -----------------------------------------------

/**
 * What the CRM-mirror adapter found for the caller, within its time budget. The engine
 * only interprets it; `failed` and `timeout` make responsible_manager steps skip.
 */
export type ResponsibleLookup =
  | { readonly status: 'found'; readonly contactOwnerId?: string; readonly dealOwnerId?: string }
  | { readonly status: 'not_found' }
  | { readonly status: 'failed'; readonly error: string }
  | { readonly status: 'timeout' };

/** The persisted rotation position of one round_robin step (table round_robin_state). */
export interface RoundRobinState {
  readonly lastEmployeeId: EmployeeId | null;
}

export interface CallContext {
  /** E.164, or null for a withheld caller. A phone destination equal to it is never rung (it would call the caller back). */
  readonly callerNumber: string | null;
  readonly trackingNumber: {
    /** E.164. A phone destination equal to it is never rung (it would loop back to ringpath). */
    readonly number: string;
    readonly scheme: Scheme;
  };
  readonly employees: readonly Employee[];
  readonly responsible: ResponsibleLookup;
  /** Round-robin state by step index (absent: the rotation starts at the lowest employee id). */
  readonly roundRobin: ReadonlyMap<number, RoundRobinState>;
  /** The call's start; working hours are evaluated at it. */
  readonly now: Date;
}

// ---- the plan ----------------------------------------------------------------------

/** Why an employee or destination was left out of a step. */
export type ExclusionCode =
  | 'quality_control'
  | 'no_destinations'
  | 'unknown_employee'
  | 'unknown_owner'
  | 'duplicate'
  | 'loop';

export interface Exclusion {
  readonly employeeId: EmployeeId | null;
  readonly code: ExclusionCode;
  readonly detail: string;
}

export type SkipCode =
  | 'outside_working_hours'
  | 'invalid_schedule'
  | 'invalid_step'
  | 'lookup_failed'
  | 'lookup_timeout'
  | 'not_found'
  | 'no_senior_manager'
  | 'nobody_eligible';

export interface Target {
  /** null for an external number. */
  readonly employeeId: EmployeeId | null;
  /** All ring together; the first to answer wins. */
  readonly destinations: readonly Destination[];
}

export interface Attempt {
  readonly kind: 'attempt';
  readonly stepIndex: number;
  readonly stepType: StepType;
  readonly ringTimeoutS: number;
  /** Every destination of every target rings at once; never the same employee twice. */
  readonly targets: readonly Target[];
  readonly reason: string;
  /** Who the step left out, on the step's first attempt only. */
  readonly excluded: readonly Exclusion[];
}

export interface SkippedStep {
  readonly kind: 'skip';
  readonly stepIndex: number;
  readonly stepType: StepType;
  readonly code: SkipCode;
  readonly reason: string;
  readonly excluded: readonly Exclusion[];
}

export type PlanEntry = Attempt | SkippedStep;

/** Persist `lastEmployeeId` for the step (under the state row's lock) once the plan is taken. */
export interface RoundRobinAdvance {
  readonly stepIndex: number;
  readonly lastEmployeeId: EmployeeId;
}

export interface RoutingPlan {
  /** Attempts and skipped steps in scheme order; ring the attempts one after another. */
  readonly entries: readonly PlanEntry[];
  readonly attempts: readonly Attempt[];
  readonly skipped: readonly SkippedStep[];
  /** The employee the responsible_manager step rings; null when it rings nobody. */
  readonly responsibleManagerId: EmployeeId | null;
  readonly roundRobin: readonly RoundRobinAdvance[];
}

// ---- the trace ---------------------------------------------------------------------

export type AttemptResult = 'answered' | 'no_answer' | 'busy' | 'failed' | 'cancelled' | 'skipped';
/** blocked: an outbound call the dial plan refused (src/calls/dial-plan.ts); never rung, never synced to the CRM. */
export type Disposition = 'answered' | 'missed' | 'busy' | 'failed' | 'abandoned' | 'blocked';

export interface Leg {
  readonly employeeId: EmployeeId | null;
  readonly destination: Destination;
  readonly result: AttemptResult;
}

/** What the SIP shell observed for one attempt; times are epoch milliseconds. */
export type AttemptOutcome =
  | {
      readonly result: 'answered';
      readonly startedAt: number;
      readonly endedAt: number;
      readonly answeredDestination: Destination;
      readonly legs?: readonly { readonly destination: Destination; readonly result: AttemptResult }[];
    }
  | {
      /** cancelled: the caller hung up while this attempt rang. */
      readonly result: Exclude<AttemptResult, 'answered'>;
      readonly startedAt: number;
      readonly endedAt: number;
      readonly legs?: readonly { readonly destination: Destination; readonly result: AttemptResult }[];
    };

export interface TraceEntry {
  readonly stepIndex: number;
  readonly stepType: StepType;
  readonly result: AttemptResult;
  readonly reason: string;
  /** Set when the engine skipped the whole step. */
  readonly skipCode?: SkipCode;
  readonly employeeIds: readonly (EmployeeId | null)[];
  /** Each destination tried and its own result. */
  readonly legs: readonly Leg[];
  readonly excluded: readonly Exclusion[];
  readonly startedAt: number;
  readonly endedAt: number;
  readonly ringMs: number;
  readonly answered?: { readonly employeeId: EmployeeId | null; readonly destination: Destination };
}

export type RoutingTrace = readonly TraceEntry[];
