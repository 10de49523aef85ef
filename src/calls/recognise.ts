// Who answered or placed a call, from every employee's main and additional
// destinations and SIP logins (SPEC §5). A destination nobody owns is an
// "unknown employee". Destinations are compared by destinationKey, the one rule
// routing and the employees API use too.
import { describeDestination, destinationKey } from '../routing/targets.ts';
import type { Destination, EmployeeId } from '../routing/types.ts';

export type Party = { readonly kind: 'employee'; readonly employeeId: EmployeeId } | { readonly kind: 'unknown'; readonly destination: string };

/** What the recogniser reads of an employee. */
export interface RecognisableEmployee {
  readonly id: EmployeeId;
  readonly mainDestinations: readonly Destination[];
  readonly additionalDestinations: readonly Destination[];
  readonly sipLogins: readonly string[];
}

export class Recogniser {
  private readonly owners = new Map<string, EmployeeId>();

  constructor(employees: readonly RecognisableEmployee[]) {
    // main destinations first: a destination two employees list is the one who is rung with it
    for (const e of employees) for (const d of e.mainDestinations) this.claim(d, e.id);
    for (const e of employees) {
      for (const d of e.additionalDestinations) this.claim(d, e.id);
      for (const login of e.sipLogins) this.claim({ type: 'sip_account', login }, e.id);
    }
  }

  private claim(d: Destination, id: EmployeeId): void {
    const key = destinationKey(d);
    if (!this.owners.has(key)) this.owners.set(key, id);
  }

  identify(d: Destination): Party {
    const id = this.owners.get(destinationKey(d));
    return id === undefined ? { kind: 'unknown', destination: describeDestination(d) } : { kind: 'employee', employeeId: id };
  }
}
