// Which source brought a call (SPEC §4), as the SIP call path asks for it before
// routing. The decision is pure (src/dni/attribution.ts); the PostgreSQL adapter
// that reads pool numbers' holds is src/dni/attribution-port.ts. This one needs no
// database: static numbers attribute to their fixed source, a site's fallback
// number to "unattributed (pool exhausted)", and pool numbers to none.
import type { Attribution } from '../calls/record.ts';
import type { ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import { attribute, toCallAttribution, type DialledNumber } from '../dni/attribution.ts';

export interface AttributionPort {
  attribute(trackingNumber: ResolvedTrackingNumber, at: Date): Promise<Attribution>;
}

/** The dialled number as attribution sees it: a site's fallback number is `fallback`, whatever its kind. */
export function dialledNumberOf(tn: ResolvedTrackingNumber): DialledNumber {
  const isFallback = tn.fallbackForSiteId !== undefined && tn.fallbackForSiteId !== null;
  return { number: tn.number, kind: isFallback ? 'fallback' : tn.kind, staticSource: tn.staticSource };
}

/** The attribution of a number that needs no visitor session (static, fallback; pool numbers: none). */
export function staticAttribution(tn: ResolvedTrackingNumber, at: Date = new Date()): Attribution {
  return toCallAttribution(attribute(dialledNumberOf(tn), at, [], 0));
}

export const fixedSourceAttribution: AttributionPort = {
  attribute: async (tn, at) => staticAttribution(tn, at),
};
