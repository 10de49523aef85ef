// The client's responsible manager, worked out in one place (SPEC §3, §6). The
// CRM mirror answers with the owner of the caller's contact and of their open
// deal (ResponsibleLookup); the lookup order of a routing step, or the CRM
// settings' order when no routing step picked anyone, says which owner counts
// first. Routing rings the first candidate it can; its pick is stored on the call
// record, and the post-call CRM sync reads it from there.
import type { LookupTarget, ResponsibleLookup } from './types.ts';

export interface OwnerCandidate {
  readonly ownerId: string;
  readonly via: LookupTarget;
}

/** The owners to try as the responsible manager, in lookup order; none when the mirror found nobody. */
export function responsibleCandidates(lookup: ResponsibleLookup, order: readonly LookupTarget[]): OwnerCandidate[] {
  if (lookup.status !== 'found') return [];
  const out: OwnerCandidate[] = [];
  for (const via of order) {
    const ownerId = via === 'contact_owner' ? lookup.contactOwnerId : lookup.dealOwnerId;
    if (ownerId !== undefined && ownerId !== '' && !out.some((c) => c.via === via)) out.push({ ownerId, via });
  }
  return out;
}

/** The responsible manager's owner id per this order, or undefined. */
export function responsibleOwner(lookup: ResponsibleLookup, order: readonly LookupTarget[]): string | undefined {
  return responsibleCandidates(lookup, order)[0]?.ownerId;
}
