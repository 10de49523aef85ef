// What an employee's deletion or demotion would leave without them. Pure: the
// HTTP layer reads the facts, asks here, and refuses (409) or, with ?force=true,
// goes ahead and reports the same list as warnings.
import type { Dependant, ErrorCode, Warning } from '../errors.ts';

export type EmployeeChange = 'delete' | 'demote';

export interface EmployeeFacts {
  readonly id: number;
  readonly isSeniorManager: boolean;
  /** routing schemes with a senior_manager step */
  readonly schemesWithSeniorManagerStep: ReadonlyArray<{ readonly id: number; readonly name: string }>;
  /** HUBSPOT_TOKEN is set: the post-call CRM sync gives the senior manager what nobody else owns */
  readonly crmSyncOn: boolean;
  /** tracking numbers shown as this employee's caller id */
  readonly callerIdNumbers: ReadonlyArray<{ readonly id: number; readonly number: string }>;
}

export interface Refusal {
  readonly code: Extract<ErrorCode, 'SENIOR_MANAGER_NEEDED' | 'EMPLOYEE_IS_CALLER_ID'>;
  readonly message: string;
  readonly dependants: readonly Dependant[];
}

/** A dependant as one line, for a forced change's warnings. */
export const describeDependant = (d: Dependant): string =>
  d.kind === 'crm_sync' ? `CRM sync ${d.reason}` : `${d.kind.replace(/_/g, ' ')} ${JSON.stringify(d.name)} (id ${String(d.id)}) ${d.reason}`;

/** A forced change's report of one thing it left without what it needed. */
export const warningFor = (d: Dependant): Warning => ({
  code: d.kind === 'tracking_number' ? 'CALLER_ID_UNASSIGNED' : 'NO_SENIOR_MANAGER',
  message: describeDependant(d),
});

/** What would be left without the employee; undefined when nothing would. */
export function employeeChangeRefusal(change: EmployeeChange, f: EmployeeFacts): Refusal | undefined {
  const senior: Dependant[] = !f.isSeniorManager
    ? []
    : [
        ...f.schemesWithSeniorManagerStep.map((s) => ({
          kind: 'routing_scheme',
          id: s.id,
          name: s.name,
          reason: 'has a senior-manager step: without one it rings nobody',
        })),
        ...(f.crmSyncOn
          ? [{ kind: 'crm_sync', id: null, name: 'CRM sync', reason: 'gives the senior manager the tasks and records no one else owns: without one they stay unassigned' }]
          : []),
      ];
  const callerId: Dependant[] =
    change === 'delete'
      ? f.callerIdNumbers.map((n) => ({
          kind: 'tracking_number',
          id: n.id,
          name: n.number,
          reason: "is this employee's caller id on outbound calls: without the employee it belongs to no one",
        }))
      : [];
  const verb = change === 'delete' ? 'Deleting' : 'Demoting';
  const all = [...senior, ...callerId];
  if (all.length === 0) return undefined;
  const what = all.map(describeDependant).join('; ');
  if (senior.length > 0) {
    return {
      code: 'SENIOR_MANAGER_NEEDED',
      message:
        `${verb} employee ${f.id}, the senior manager, would leave these without one: ${what}. ` +
        'Make another employee the senior manager first (POST /api/v1/employees/{id}/senior-manager), or repeat the request with ?force=true.',
      dependants: all,
    };
  }
  return {
    code: 'EMPLOYEE_IS_CALLER_ID',
    message: `Deleting employee ${f.id} would leave these tracking numbers without their employee: ${what}. Point them at another employee first, or repeat the request with ?force=true.`,
    dependants: all,
  };
}
