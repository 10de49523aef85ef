// Turning an attempt's destinations into SIP legs to ring.
import type { Attempt, AttemptResult, Destination, EmployeeId } from '../routing/types.ts';
import type { Leg } from './fork.ts';
import type { Registrations } from './ports.ts';

export interface Unreachable {
  readonly employeeId: EmployeeId | null;
  readonly destination: Destination;
  readonly result: AttemptResult;
  readonly why: string;
}

/** sip:+380…@carrier for a number, sent through the trunk. */
export function trunkLeg(trunkUri: string, number: string): { uri: string; proxy: string } {
  const host = trunkUri.replace(/^sips?:/, '').replace(/^[^@]*@/, '').split(';')[0]!;
  return { uri: `sip:${number}@${host}`, proxy: trunkUri };
}

export async function legsFor(
  attempt: Attempt,
  deps: { registrations: Registrations; trunkUri: string | undefined },
): Promise<{ legs: Leg[]; unreachable: Unreachable[] }> {
  const legs: Leg[] = [];
  const unreachable: Unreachable[] = [];
  for (const target of attempt.targets) {
    for (const destination of target.destinations) {
      const base = { employeeId: target.employeeId, destination };
      if (destination.type === 'phone') {
        if (!deps.trunkUri) {
          unreachable.push({ ...base, result: 'failed', why: 'no trunk is configured (TRUNK_URI)' });
          continue;
        }
        legs.push({ ...base, ...trunkLeg(deps.trunkUri, destination.number) });
      } else if (destination.type === 'sip_uri') {
        legs.push({ ...base, uri: destination.uri.startsWith('sip') ? destination.uri : `sip:${destination.uri}` });
      } else {
        const contacts = await deps.registrations.contactsOf(destination.login);
        if (contacts.length === 0) unreachable.push({ ...base, result: 'failed', why: `${destination.login} is not registered` });
        for (const c of contacts) legs.push({ ...base, uri: c.contactUri });
      }
    }
  }
  return { legs, unreachable };
}
