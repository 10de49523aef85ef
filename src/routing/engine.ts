// The routing engine (SPEC §3 routing schemes, §5): from a call's context to the
// ordered plan of who rings, and why steps were skipped. Pure: no I/O, no clock (the
// call's start time is in the context), no waiting (the CRM-mirror lookup was done
// beforehand within its budget; here its result is only interpreted).
//
// Choices:
// - A sequential `employees` step and a `round_robin` distribution expand into one
//   attempt per employee, each ringing for the step's full ring timeout.
// - responsible_manager walks the lookup order and rings the first owner that maps to
//   a ringable employee: an owner id no employee carries, a quality-control owner or an
//   owner without destinations passes on to the next entity in the order.
// - new_client_distribution runs whether or not the caller is a known client; a
//   responsible_manager step earlier in the scheme is what serves known clients.
// - The same employee may ring again in a later step (the scheme says so); within one
//   attempt an employee, and a destination, ring once.
import { responsibleCandidates } from './responsible.ts';
import { nextRoundRobin, rotationOrder } from './round-robin.ts';
import { AttemptTargets, blockedDestinations, indexEmployees, label, type EmployeeIndex } from './targets.ts';
import type {
  Attempt,
  CallContext,
  Employee,
  EmployeeId,
  Exclusion,
  PlanEntry,
  RoundRobinAdvance,
  RoutingPlan,
  SkipCode,
  SkippedStep,
  Step,
  Target,
} from './types.ts';
import { workingHoursStatus } from './working-hours.ts';

const E164 = /^\+[1-9]\d{6,14}$/;

interface Draft {
  readonly targets: readonly Target[];
  readonly reason: string;
}

/** What one step comes to: attempts to ring, or a skip. */
type StepPlan =
  | { readonly attempts: readonly Draft[]; readonly excluded: readonly Exclusion[]; readonly responsible?: EmployeeId; readonly advance?: EmployeeId }
  | { readonly skip: SkipCode; readonly reason: string; readonly excluded: readonly Exclusion[] };

interface StepInput {
  readonly ctx: CallContext;
  readonly index: EmployeeIndex;
  readonly blocked: ReadonlySet<string>;
  readonly stepIndex: number;
}

const skip = (code: SkipCode, reason: string, excluded: readonly Exclusion[] = []): StepPlan => ({ skip: code, reason, excluded });

function whyNobody(what: string, excluded: readonly Exclusion[]): StepPlan {
  const details = excluded.map((x) => x.detail).join('; ');
  return skip('nobody_eligible', details ? `${what}: ${details}` : what, excluded);
}

function responsibleManager(step: Extract<Step, { type: 'responsible_manager' }>, inp: StepInput): StepPlan {
  const lookup = inp.ctx.responsible;
  switch (lookup.status) {
    case 'failed':
      return skip('lookup_failed', `the responsible-manager lookup failed (${lookup.error}); moving on without waiting`);
    case 'timeout':
      return skip('lookup_timeout', 'the responsible-manager lookup ran out of its time budget; moving on without waiting');
    case 'not_found':
      return skip('not_found', 'the caller has no open contact or deal in the CRM mirror');
    case 'found':
      break;
  }
  const excluded: Exclusion[] = [];
  const candidates = responsibleCandidates(lookup, step.lookupOrder);
  for (const { ownerId, via } of candidates) {
    const entity = via === 'contact_owner' ? 'contact owner' : 'deal owner';
    const employee = inp.index.byOwner.get(ownerId);
    if (!employee) {
      excluded.push({ employeeId: null, code: 'unknown_owner', detail: `${entity} ${ownerId} is not mapped to any employee` });
      continue;
    }
    const attempt = new AttemptTargets(inp.blocked, excluded);
    if (attempt.add(employee)) {
      return { attempts: [{ targets: attempt.targets, reason: `responsible manager (${entity} ${ownerId}): ${label(employee)}` }], excluded, responsible: employee.id };
    }
  }
  if (candidates.length === 0) return skip('not_found', `the lookup found no ${step.lookupOrder.join(' or ') || 'owner to look up'}`);
  return whyNobody('no responsible manager can be rung', excluded);
}

function employeesStep(step: Extract<Step, { type: 'employees' }>, inp: StepInput): StepPlan {
  const excluded: Exclusion[] = [];
  const listed: Employee[] = [];
  const seen = new Set<EmployeeId>();
  for (const id of step.employeeIds) {
    const e = inp.index.byId.get(id);
    if (!e) excluded.push({ employeeId: id, code: 'unknown_employee', detail: `employee ${id} does not exist` });
    else if (seen.has(id)) excluded.push({ employeeId: id, code: 'duplicate', detail: `${label(e)} is listed twice` });
    else {
      seen.add(id);
      listed.push(e);
    }
  }
  if (step.ringStrategy === 'simultaneous') {
    const attempt = new AttemptTargets(inp.blocked, excluded);
    for (const e of listed) attempt.add(e);
    if (attempt.targets.length === 0) return whyNobody('no listed employee can be rung', excluded);
    return { attempts: [{ targets: attempt.targets, reason: `employees, simultaneously: ${attempt.targets.length}` }], excluded };
  }
  const attempts = oneByOne(listed, inp.blocked, excluded, 'employees, sequentially');
  return attempts.length === 0 ? whyNobody('no listed employee can be rung', excluded) : { attempts, excluded };
}

/** One attempt per employee who can be rung, in the given order. */
function oneByOne(order: readonly Employee[], blocked: ReadonlySet<string>, excluded: Exclusion[], what: string): Draft[] {
  const ringable: Draft[] = [];
  for (const e of order) {
    const attempt = new AttemptTargets(blocked, excluded);
    if (attempt.add(e)) ringable.push({ targets: attempt.targets, reason: label(e) });
  }
  return ringable.map((d, i) => ({ targets: d.targets, reason: `${what} ${i + 1}/${ringable.length}: ${d.reason}` }));
}

function newClientDistribution(step: Extract<Step, { type: 'new_client_distribution' }>, inp: StepInput): StepPlan {
  const excluded: Exclusion[] = [];
  const receivers = inp.index.newClientReceivers;
  if (receivers.length === 0) return skip('nobody_eligible', 'no employee receives new clients');
  if (step.mode === 'ring_all') {
    const attempt = new AttemptTargets(inp.blocked, excluded);
    for (const e of receivers) attempt.add(e);
    if (attempt.targets.length === 0) return whyNobody('no new-client receiver can be rung', excluded);
    const reason = `new clients, ring all: ${attempt.targets.length} receivers; the first to answer becomes the owner`;
    return { attempts: [{ targets: attempt.targets, reason }], excluded };
  }
  // Only receivers who can ring take part in the rotation, so a turn is never spent on nobody.
  const turns = new Map<EmployeeId, Draft>();
  for (const e of receivers) {
    const attempt = new AttemptTargets(inp.blocked, excluded);
    if (attempt.add(e)) turns.set(e.id, { targets: attempt.targets, reason: label(e) });
  }
  if (turns.size === 0) return whyNobody('no new-client receiver can be rung', excluded);
  const ids = [...turns.keys()];
  const state = inp.ctx.roundRobin.get(inp.stepIndex);
  const order = rotationOrder(ids, state);
  const attempts = order.map((id, i) => ({ targets: turns.get(id)?.targets ?? [], reason: `new clients, round robin ${i + 1}/${order.length}: ${turns.get(id)?.reason}` }));
  const advance = nextRoundRobin(ids, state).lastEmployeeId;
  return { attempts, excluded, ...(advance === null ? {} : { advance }) };
}

function seniorManager(inp: StepInput): StepPlan {
  const senior = inp.index.seniorManager;
  if (!senior) return skip('no_senior_manager', 'no employee is the senior manager');
  const excluded: Exclusion[] = [];
  const attempt = new AttemptTargets(inp.blocked, excluded);
  if (!attempt.add(senior)) return whyNobody('the senior manager cannot be rung', excluded);
  return { attempts: [{ targets: attempt.targets, reason: `senior manager: ${label(senior)}` }], excluded };
}

function externalNumber(step: Extract<Step, { type: 'external_number' }>, inp: StepInput): StepPlan {
  if (!E164.test(step.number)) return skip('invalid_step', `the external number ${JSON.stringify(step.number)} is not E.164`);
  const excluded: Exclusion[] = [];
  const attempt = new AttemptTargets(inp.blocked, excluded);
  if (!attempt.addExternal(step.number)) return whyNobody('the external number cannot be rung', excluded);
  return { attempts: [{ targets: attempt.targets, reason: `external number ${step.number}` }], excluded };
}

function planStep(step: Step, inp: StepInput): StepPlan {
  if (!Number.isFinite(step.ringTimeoutS) || step.ringTimeoutS <= 0) {
    return skip('invalid_step', `ring timeout ${step.ringTimeoutS} s is not a positive number`);
  }
  const hours = workingHoursStatus(step.schedule, inp.ctx.now);
  if (hours === 'invalid') return skip('invalid_schedule', `the working-hours schedule (${step.schedule?.timeZone}) cannot be evaluated`);
  if (hours === 'closed') return skip('outside_working_hours', `outside working hours (${step.schedule?.timeZone})`);
  switch (step.type) {
    case 'responsible_manager':
      return responsibleManager(step, inp);
    case 'employees':
      return employeesStep(step, inp);
    case 'new_client_distribution':
      return newClientDistribution(step, inp);
    case 'senior_manager':
      return seniorManager(inp);
    case 'external_number':
      return externalNumber(step, inp);
  }
}

/** The ordered plan for a call: ring `attempts` in order until one is answered; after the last, the call is missed. */
export function planCall(ctx: CallContext): RoutingPlan {
  const index = indexEmployees(ctx.employees);
  const blocked = blockedDestinations(ctx.callerNumber, ctx.trackingNumber.number);
  const entries: PlanEntry[] = [];
  const attempts: Attempt[] = [];
  const skipped: SkippedStep[] = [];
  const roundRobin: RoundRobinAdvance[] = [];
  let responsibleManagerId: EmployeeId | null = null;

  ctx.trackingNumber.scheme.steps.forEach((step, stepIndex) => {
    const plan = planStep(step, { ctx, index, blocked, stepIndex });
    if ('skip' in plan) {
      const s: SkippedStep = { kind: 'skip', stepIndex, stepType: step.type, code: plan.skip, reason: plan.reason, excluded: plan.excluded };
      entries.push(s);
      skipped.push(s);
      return;
    }
    plan.attempts.forEach((draft, i) => {
      const a: Attempt = {
        kind: 'attempt',
        stepIndex,
        stepType: step.type,
        ringTimeoutS: step.ringTimeoutS,
        targets: draft.targets,
        reason: draft.reason,
        excluded: i === 0 ? plan.excluded : [],
      };
      entries.push(a);
      attempts.push(a);
    });
    if (plan.responsible !== undefined && responsibleManagerId === null) responsibleManagerId = plan.responsible;
    if (plan.advance !== undefined) roundRobin.push({ stepIndex, lastEmployeeId: plan.advance });
  });
  return { entries, attempts, skipped, responsibleManagerId, roundRobin };
}
