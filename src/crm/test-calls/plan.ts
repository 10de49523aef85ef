// Test calls to the CRM (SPEC §6, the console's "Test call to the CRM"): which
// call to store for a chosen row of the post-call table, and the links to what
// the sync wrote. Pure: the HTTP route gathers the facts, this decides.
import type { CrmObjectType } from '../port.ts';

/** The rows of the post-call table a test call can exercise. */
export const TEST_CALL_ROWS = [
  'inbound_answered_new',
  'inbound_missed_new',
  'inbound_answered_responsible',
  'inbound_missed_existing',
  'outbound_new',
  'outbound_existing',
] as const;
export type TestCallRow = (typeof TEST_CALL_ROWS)[number];

/** What the route knows when it plans a test call. */
export interface TestCallFacts {
  readonly row: TestCallRow;
  /** The number given in the request, already E.164, if any. */
  readonly caller: string | null;
  /** Whether the mirror has a contact for `caller`, and who owns it. */
  readonly callerContact: { readonly ownerEmployeeId: number | null } | null;
  /** The contact the latest test call still stored created (number and owner's employee), for the existing-client rows. */
  readonly lastTestContact: { readonly phone: string; readonly ownerEmployeeId: number | null } | null;
  /** An employee mapped to a HubSpot owner, to answer or place the call: the senior manager first. */
  readonly mappedEmployeeId: number | null;
  /** A number the mirror knows no contact for, for the new-client rows without `caller`. */
  readonly freshNumber: string;
}

export interface TestCallSpec {
  readonly direction: 'inbound' | 'outbound';
  readonly client: string;
  readonly answered: boolean;
  /** Inbound: who answered; outbound: who placed it. */
  readonly employeeId: number | null;
}

export type TestCallPlan = { readonly ok: true; readonly spec: TestCallSpec } | { readonly ok: false; readonly field: string; readonly message: string };

const isNew = (row: TestCallRow): boolean => row.endsWith('_new');

export function planTestCall(f: TestCallFacts): TestCallPlan {
  const outbound = f.row.startsWith('outbound_');
  const answered = outbound || f.row.startsWith('inbound_answered_');
  let client: string;
  let owner: number | null = null;
  if (isNew(f.row)) {
    if (f.caller && f.callerContact) return { ok: false, field: '/caller', message: `${f.caller} has a contact in the CRM mirror: a new-client row needs a number HubSpot does not know` };
    client = f.caller ?? f.freshNumber;
  } else if (f.caller) {
    if (!f.callerContact) return { ok: false, field: '/caller', message: `${f.caller} has no contact in the CRM mirror: an existing-client row needs the number of a known contact` };
    client = f.caller;
    owner = f.callerContact.ownerEmployeeId;
  } else if (f.lastTestContact) {
    client = f.lastTestContact.phone;
    owner = f.lastTestContact.ownerEmployeeId;
  } else {
    return { ok: false, field: '/caller', message: 'an existing-client row needs a known contact: run a new-client test call first, or give caller, the number of a contact in the CRM mirror' };
  }
  // the responsible manager answers (or calls) the existing client; anyone mapped the new one
  const employeeId = answered ? (owner ?? f.mappedEmployeeId) : null;
  if (answered && employeeId === null) {
    return { ok: false, field: '/row', message: 'an answered or outbound test call needs an employee mapped to a HubSpot owner: map one on the Employees page' };
  }
  return { ok: true, spec: { direction: outbound ? 'outbound' : 'inbound', client, answered, employeeId } };
}

const OBJECT_TYPE_IDS: Readonly<Record<CrmObjectType, string>> = { contact: '0-1', deal: '0-3', call: '0-48', task: '0-27' };

/** The record's page in HubSpot, or null while the portal id is unknown. */
export function hubspotRecordUrl(portalId: number | null, type: CrmObjectType, id: string): string | null {
  if (portalId === null) return null;
  return `https://app.hubspot.com/contacts/${portalId}/record/${OBJECT_TYPE_IDS[type]}/${encodeURIComponent(id)}`;
}
