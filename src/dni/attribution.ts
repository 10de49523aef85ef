// Which visit brought a call (SPEC §4 "Attribution of a call"). Pure: the call
// path reads the dialled number's recent holds (src/dni/attribution-port.ts) and
// this decides. In order:
// - exact:    a session holds the dialled pool number at the call's start
//             (it took it at or before then, and had not let it go by then);
// - recent:   no session holds it, but one let it go within the hold time before
//             the call; the most recent such holder (a visitor who closed the tab
//             and then dialled the number they wrote down);
// - static:   a static number attributes to its fixed source;
// - fallback: a site's fallback number is shown to every visitor the pool could
//             not serve at once, so it names nobody: "unattributed (pool exhausted)";
// - none:     a pool number nobody held recently.
import type { Attribution } from '../calls/record.ts';
import type { AttributionConfidence, NumberHold, Touch } from './types.ts';

/** A static number's fixed source (tracking_numbers.source_name and utm_*). */
export interface FixedSource {
  readonly name: string;
  readonly utmSource: string | null;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
  readonly utmContent: string | null;
  readonly utmTerm: string | null;
}

/**
 * The number the caller dialled, as the directory resolved it. `fallback`: it is
 * some site's fallback number (whatever kind of tracking number it is otherwise).
 */
export interface DialledNumber {
  readonly number: string;
  readonly kind: 'static' | 'pool' | 'fallback';
  readonly staticSource?: FixedSource | null;
}

export interface CallAttributionResult {
  readonly confidence: AttributionConfidence;
  /** The visitor session the call is attributed to (exact and recent only). */
  readonly sessionId?: number;
  /** The session's source (exact and recent only). */
  readonly touch?: Touch;
  readonly gaClientId?: string | null;
  /** The static number's fixed source (static only). */
  readonly fixedSource?: FixedSource;
  /** What a person reads: "google / cpc", "Billboard A1", "unattributed (pool exhausted)". */
  readonly label: string;
}

export const FALLBACK_LABEL = 'unattributed (pool exhausted)';
export const NO_HOLDER_LABEL = 'unattributed (no visitor held the number)';
export const UNATTRIBUTED_LABEL = 'unattributed';

const sessionLabel = (touch: Touch): string => `${touch.source} / ${touch.medium}`;

/** The hold in force at `at`: taken at or before it, not let go by then; the latest taken when (wrongly) several are. */
export function holderAt(holds: readonly NumberHold[], at: Date): NumberHold | undefined {
  const t = at.getTime();
  let best: NumberHold | undefined;
  for (const h of holds) {
    if (h.from.getTime() > t) continue;
    if (h.releasedAt !== null && h.releasedAt.getTime() <= t) continue;
    if (!best || h.from.getTime() > best.from.getTime()) best = h;
  }
  return best;
}

/**
 * The most recent holder that let the number go within `holdTimeS` before `at`
 * (both ends inclusive: released exactly at the call's start, or exactly the hold
 * time before it, still counts).
 */
export function recentHolder(holds: readonly NumberHold[], at: Date, holdTimeS: number): NumberHold | undefined {
  const t = at.getTime();
  const earliest = t - Math.max(0, holdTimeS) * 1000;
  let best: NumberHold | undefined;
  for (const h of holds) {
    if (h.releasedAt === null || h.from.getTime() > t) continue;
    const r = h.releasedAt.getTime();
    if (r > t || r < earliest) continue;
    const b = best?.releasedAt?.getTime();
    if (b === undefined || r > b || (r === b && h.from.getTime() > best!.from.getTime())) best = h;
  }
  return best;
}

/** Attribute a call to `dialled` that started at `at`, given the number's holds and the site's hold time. */
export function attribute(dialled: DialledNumber, at: Date, holds: readonly NumberHold[], holdTimeS: number): CallAttributionResult {
  switch (dialled.kind) {
    case 'fallback':
      return { confidence: 'fallback', label: FALLBACK_LABEL };
    case 'static':
      return dialled.staticSource
        ? { confidence: 'static', fixedSource: dialled.staticSource, label: dialled.staticSource.name }
        : { confidence: 'none', label: UNATTRIBUTED_LABEL };
    case 'pool': {
      const exact = holderAt(holds, at);
      const hold = exact ?? recentHolder(holds, at, holdTimeS);
      if (!hold) return { confidence: 'none', label: NO_HOLDER_LABEL };
      return {
        confidence: exact ? 'exact' : 'recent',
        sessionId: hold.sessionId,
        touch: hold.touch,
        gaClientId: hold.gaClientId,
        label: sessionLabel(hold.touch),
      };
    }
  }
}

const blank = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v);

/** The attribution as the call record stores it (calls.attribution, calls.visitor_session_id). */
export function toCallAttribution(r: CallAttributionResult): Attribution {
  if (r.touch && r.sessionId !== undefined) {
    const t = r.touch;
    return {
      confidence: r.confidence,
      label: r.label,
      visitorSessionId: r.sessionId,
      source: blank(t.source),
      medium: blank(t.medium),
      campaign: blank(t.campaign),
      content: blank(t.content),
      term: blank(t.term),
      gclid: blank(t.gclid),
      gbraid: blank(t.gbraid),
      wbraid: blank(t.wbraid),
      fbclid: blank(t.fbclid),
      msclkid: blank(t.msclkid),
      gaClientId: blank(r.gaClientId),
      referrer: blank(t.referrer),
      landingPage: blank(t.landingPage),
    };
  }
  if (r.fixedSource) {
    const s = r.fixedSource;
    return {
      confidence: r.confidence,
      label: r.label,
      source: blank(s.utmSource),
      medium: blank(s.utmMedium),
      campaign: blank(s.utmCampaign),
      content: blank(s.utmContent),
      term: blank(s.utmTerm),
    };
  }
  return { confidence: r.confidence, label: r.label };
}
