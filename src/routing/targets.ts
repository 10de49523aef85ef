// Who may ring, and with which destinations. Pure helpers for the engine:
// quality-control employees are never rung, an employee rings only once per attempt,
// a destination rings only once per attempt, and a phone destination equal to the
// caller's or the tracking number is never rung (it would call the caller back or
// loop the call into ringpath again).
import type { Destination, Employee, EmployeeId, Exclusion, Target } from './types.ts';

/**
 * The identity of a destination: two destinations with the same key are the same
 * phone, account or address. Routing (never ring one twice), answer recognition
 * and the employees API (never list one twice) all compare with this one rule:
 * - a phone number is its E.164;
 * - a SIP account login is case-insensitive;
 * - a SIP URI is case-insensitive, with or without its sip:/sips: scheme, and
 *   without its URI parameters (";transport=tcp").
 */
export function destinationKey(d: Destination): string {
  switch (d.type) {
    case 'phone':
      return `phone:${d.number}`;
    case 'sip_account':
      return `sip_account:${d.login.toLowerCase()}`;
    case 'sip_uri':
      return `sip_uri:${d.uri.trim().toLowerCase().replace(/^sips?:/, '').split(';')[0]}`;
  }
}

export function describeDestination(d: Destination): string {
  return d.type === 'phone' ? d.number : d.type === 'sip_account' ? `SIP account ${d.login}` : d.uri;
}

/** "Full Name (id)", as reasons and exclusions name employees. */
export const label = (e: Employee): string => `${e.fullName} (${e.id})`;

export interface EmployeeIndex {
  readonly byId: ReadonlyMap<EmployeeId, Employee>;
  /** The first employee mapped to each CRM owner id. */
  readonly byOwner: ReadonlyMap<string, Employee>;
  /** Ascending id. */
  readonly newClientReceivers: readonly Employee[];
  readonly seniorManager: Employee | undefined;
}

// Memoised by the identity of the (read-only) list: the shell keeps one list per
// version of the employees, so the index is built once per version, not once per call.
const indexes = new WeakMap<readonly Employee[], EmployeeIndex>();

export function indexEmployees(employees: readonly Employee[]): EmployeeIndex {
  let index = indexes.get(employees);
  if (!index) {
    index = buildIndex(employees);
    indexes.set(employees, index);
  }
  return index;
}

function buildIndex(employees: readonly Employee[]): EmployeeIndex {
  const byId = new Map<EmployeeId, Employee>();
  const byOwner = new Map<string, Employee>();
  let seniorManager: Employee | undefined;
  for (const e of employees) {
    if (!byId.has(e.id)) byId.set(e.id, e);
    if (e.hubspotOwnerId !== null && e.hubspotOwnerId !== '' && !byOwner.has(e.hubspotOwnerId)) byOwner.set(e.hubspotOwnerId, e);
    if (e.isSeniorManager && seniorManager === undefined) seniorManager = e;
  }
  const newClientReceivers = [...byId.values()].filter((e) => e.receivesNewClients).sort((a, b) => a.id - b.id);
  return { byId, byOwner, newClientReceivers, seniorManager };
}

/**
 * Builds the targets of one attempt. Each `add` either adds the employee as a target
 * with the destinations not yet ringing in this attempt, or records why not.
 */
export class AttemptTargets {
  readonly targets: Target[] = [];
  private readonly employees = new Set<EmployeeId>();
  private readonly destinations = new Set<string>();

  constructor(
    private readonly blocked: ReadonlySet<string>,
    private readonly excluded: Exclusion[],
  ) {}

  /** True when the employee was added. */
  add(e: Employee): boolean {
    if (e.salesRole === 'quality_control') {
      return this.exclude(e.id, 'quality_control', `${label(e)} is quality control and is never rung`);
    }
    if (this.employees.has(e.id)) return this.exclude(e.id, 'duplicate', `${label(e)} already rings in this attempt`);
    if (e.mainDestinations.length === 0) return this.exclude(e.id, 'no_destinations', `${label(e)} has no main destinations`);
    const fresh: Destination[] = [];
    let looped = 0;
    for (const d of e.mainDestinations) {
      const key = destinationKey(d);
      if (this.blocked.has(key)) looped++;
      else if (!this.destinations.has(key)) {
        this.destinations.add(key);
        fresh.push(d);
      }
    }
    if (fresh.length === 0) {
      return looped > 0
        ? this.exclude(e.id, 'loop', `${label(e)} has no destination other than the caller's or the tracking number`)
        : this.exclude(e.id, 'duplicate', `${label(e)}'s destinations already ring in this attempt`);
    }
    this.employees.add(e.id);
    this.targets.push({ employeeId: e.id, destinations: fresh });
    return true;
  }

  /** An external number (no employee). */
  addExternal(number: string): boolean {
    const d: Destination = { type: 'phone', number };
    const key = destinationKey(d);
    if (this.blocked.has(key)) return this.exclude(null, 'loop', `${number} is the caller's or the tracking number`);
    if (this.destinations.has(key)) return this.exclude(null, 'duplicate', `${number} already rings in this attempt`);
    this.destinations.add(key);
    this.targets.push({ employeeId: null, destinations: [d] });
    return true;
  }

  private exclude(employeeId: EmployeeId | null, code: Exclusion['code'], detail: string): false {
    this.excluded.push({ employeeId, code, detail });
    return false;
  }
}

/** Destination keys never to ring on this call. */
export function blockedDestinations(callerNumber: string | null, trackingNumber: string): ReadonlySet<string> {
  return new Set([callerNumber, trackingNumber].filter((n): n is string => n !== null && n !== '').map((n) => destinationKey({ type: 'phone', number: n })));
}
