// Who answered or placed a call, from every employee's main and additional
// destinations (SPEC §5). A destination nobody owns is an "unknown employee".
import type { DirectoryEmployee } from '../db/repositories/directory.ts';
import type { Destination } from '../routing/types.ts';

export type Party = { readonly kind: 'employee'; readonly employeeId: number } | { readonly kind: 'unknown'; readonly destination: string };

function key(d: Destination): string {
  switch (d.type) {
    case 'phone':
      return `phone:${d.number}`;
    case 'sip_account':
      return `sip_account:${d.login.toLowerCase()}`;
    case 'sip_uri':
      return `sip_uri:${d.uri.toLowerCase().replace(/^sips?:/, '')}`;
  }
}

export function describe(d: Destination): string {
  return d.type === 'phone' ? d.number : d.type === 'sip_account' ? `sip account ${d.login}` : d.uri;
}

export class Recogniser {
  private readonly owners = new Map<string, number>();

  constructor(employees: readonly DirectoryEmployee[]) {
    for (const e of employees) {
      for (const d of [...e.mainDestinations, ...e.additionalDestinations]) {
        if (!this.owners.has(key(d))) this.owners.set(key(d), e.id);
      }
      for (const login of e.sipLogins) this.owners.set(key({ type: 'sip_account', login }), e.id);
    }
  }

  identify(d: Destination): Party {
    const id = this.owners.get(key(d));
    return id === undefined ? { kind: 'unknown', destination: describe(d) } : { kind: 'employee', employeeId: id };
  }
}
