// Which source brought a call (SPEC §4). Static numbers attribute to their
// fixed source; pool numbers will attribute to the visitor session holding the
// number once dynamic number insertion exists, and attribute to none until then.
import type { ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import type { Attribution } from '../db/repositories/calls.ts';

export interface AttributionPort {
  attribute(trackingNumber: ResolvedTrackingNumber, at: Date): Promise<Attribution>;
}

export function staticAttribution(tn: ResolvedTrackingNumber): Attribution {
  if (tn.staticSource) {
    const s = tn.staticSource;
    return {
      kind: 'static',
      confidence: 'exact',
      label: s.name,
      source: s.utmSource,
      medium: s.utmMedium,
      campaign: s.utmCampaign,
      content: s.utmContent,
      term: s.utmTerm,
    };
  }
  return { kind: 'none', confidence: 'none', label: 'unattributed' };
}

export const fixedSourceAttribution: AttributionPort = {
  attribute: async (tn) => staticAttribution(tn),
};
