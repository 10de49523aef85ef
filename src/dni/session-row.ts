// A stored session's source (visitor_sessions columns) as a Touch: one mapping
// for the allocation's returning visitors and for call attribution.
import type { Touch } from './types.ts';

export interface SessionSourceRow {
  readonly source: string | null;
  readonly medium: string | null;
  readonly utm_source?: string | null;
  readonly utm_medium?: string | null;
  readonly utm_campaign: string | null;
  readonly utm_content: string | null;
  readonly utm_term: string | null;
  readonly gclid: string | null;
  readonly gbraid: string | null;
  readonly wbraid: string | null;
  readonly fbclid: string | null;
  readonly msclkid: string | null;
  readonly referrer: string | null;
  readonly landing_page: string | null;
}

/** The row's touch; a session stored without a classified source reads as its UTMs, else direct. */
export function touchOfRow(r: SessionSourceRow): Touch {
  return {
    source: r.source ?? r.utm_source ?? '(direct)',
    medium: r.medium ?? r.utm_medium ?? '(none)',
    campaign: r.utm_campaign,
    content: r.utm_content,
    term: r.utm_term,
    gclid: r.gclid,
    gbraid: r.gbraid,
    wbraid: r.wbraid,
    fbclid: r.fbclid,
    msclkid: r.msclkid,
    referrer: r.referrer,
    landingPage: r.landing_page ?? '',
  };
}
