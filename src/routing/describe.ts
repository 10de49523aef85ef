// A routing plan in words, for people: `ringpath simulate-call` prints it and the
// console shows the same lines. Pure: the plan and the employees' names in,
// lines out, in the order the plan would ring.
import { describeDestination } from './targets.ts';
import type { Attempt, Employee, EmployeeId, Exclusion, ResponsibleLookup, RoutingPlan, SkippedStep, StepType, Target } from './types.ts';

export interface DescribeOptions {
  /** Everyone the plan may name; an id not among them is shown as "employee ID". */
  readonly employees: ReadonlyArray<Pick<Employee, 'id' | 'fullName'>>;
  /** True for a simulation: the round-robin position it shows is not saved. */
  readonly simulation?: boolean;
}

const STEP_NAMES: Readonly<Record<StepType, string>> = {
  responsible_manager: 'responsible manager',
  employees: 'employees',
  new_client_distribution: 'new-client distribution',
  senior_manager: 'senior manager',
  external_number: 'external number',
};

type Names = (id: EmployeeId) => string;

function namer(employees: DescribeOptions['employees']): Names {
  const byId = new Map(employees.map((e) => [e.id, e.fullName]));
  return (id) => {
    const name = byId.get(id);
    return name === undefined ? `employee ${id}` : `${name} (${id})`;
  };
}

const who = (t: Target, name: Names): string =>
  t.employeeId === null ? `external number ${t.destinations.map(describeDestination).join(', ')}` : name(t.employeeId);

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const seconds = (s: number): string => `${s} s`;

function exclusionLines(excluded: readonly Exclusion[]): string[] {
  return excluded.map((x) => `   left out: ${x.detail} [${x.code}]`);
}

function attemptLines(n: number, a: Attempt, name: Names): string[] {
  const together = a.targets.length > 1 ? ' together' : '';
  return [
    `${n}. step ${a.stepIndex + 1}, ${STEP_NAMES[a.stepType]}: ring ${list(a.targets.map((t) => who(t, name)))}${together} for ${seconds(a.ringTimeoutS)}`,
    `   why: ${a.reason}`,
    ...a.targets
      .filter((t) => t.employeeId !== null)
      .map((t) => `   rings: ${who(t, name)} at ${t.destinations.map(describeDestination).join(', ')}`),
    ...exclusionLines(a.excluded),
  ];
}

function skipLines(n: number, s: SkippedStep): string[] {
  return [`${n}. step ${s.stepIndex + 1}, ${STEP_NAMES[s.stepType]}: skipped: ${s.reason} [${s.code}]`, ...exclusionLines(s.excluded)];
}

/** The plan, one numbered entry per attempt or skipped step, then who owns the caller and what happens last. */
export function describePlan(plan: RoutingPlan, opts: DescribeOptions): string[] {
  const name = namer(opts.employees);
  if (plan.entries.length === 0) return ['the routing scheme has no steps: nobody is rung and the call is missed'];
  const lines = plan.entries.flatMap((entry, i) => (entry.kind === 'attempt' ? attemptLines(i + 1, entry, name) : skipLines(i + 1, entry)));
  if (plan.responsibleManagerId !== null) lines.push(`responsible manager: ${name(plan.responsibleManagerId)}`);
  for (const advance of plan.roundRobin) {
    const first = name(advance.lastEmployeeId);
    const saved = opts.simulation ? ' (a simulation does not move it)' : '';
    lines.push(`round robin, step ${advance.stepIndex + 1}: this call offers ${first} first; the next call starts after ${first}${saved}`);
  }
  lines.push(plan.attempts.length === 0 ? 'no step rings anyone: the call is missed' : 'if nobody answers: the call is missed');
  return lines;
}

/** What the CRM mirror said about the caller, in words; undefined means no step asked. */
export function describeLookup(lookup: ResponsibleLookup | undefined, budgetMs: number): string {
  if (lookup === undefined) return 'CRM mirror: not asked (no responsible-manager step, or the caller is withheld)';
  switch (lookup.status) {
    case 'found': {
      const owners = [
        ...(lookup.contactOwnerId ? [`contact owner ${lookup.contactOwnerId}`] : []),
        ...(lookup.dealOwnerId ? [`deal owner ${lookup.dealOwnerId}`] : []),
      ];
      return `CRM mirror: the caller is a client: ${list(owners)}`;
    }
    case 'not_found':
      return 'CRM mirror: the caller has no open contact or deal';
    case 'failed':
      return `CRM mirror: the lookup failed (${lookup.error})`;
    case 'timeout':
      return `CRM mirror: no answer within ${budgetMs} ms (LOOKUP_BUDGET_MS)`;
  }
}
