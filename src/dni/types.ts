// Shapes of dynamic number insertion (SPEC §4), shared by its pure core
// (classification, attribution models, source rules, call attribution, pool
// sizing) and its adapters (the public DNI API, the SIP call path, reports).

/** What brought a visit: the landing page's parameters and the referrer, read once. */
export interface Touch {
  /** utm_source, else the classified source ("google", "facebook.com", "(direct)"). */
  readonly source: string;
  /** utm_medium, else the classified medium ("organic", "social", "referral", "cpc", "paid", "(none)"). */
  readonly medium: string;
  readonly campaign: string | null;
  readonly content: string | null;
  readonly term: string | null;
  readonly gclid: string | null;
  readonly gbraid: string | null;
  readonly wbraid: string | null;
  readonly fbclid: string | null;
  readonly msclkid: string | null;
  /** The referrer as the browser sent it, or null. */
  readonly referrer: string | null;
  /** The landing page's full URL. */
  readonly landingPage: string;
}

export type AttributionModel = 'first_touch' | 'last_touch' | 'last_non_direct';

/** How sure the call's attribution is (SPEC §4 "Attribution of a call"). */
export type AttributionConfidence = 'exact' | 'recent' | 'static' | 'fallback' | 'none';

/** One session's hold on a number, as the call path reads it. */
export interface NumberHold {
  readonly sessionId: number;
  readonly touch: Touch;
  readonly gaClientId: string | null;
  /** When the session took the number. */
  readonly from: Date;
  /** When it let it go (released or expired); null while it still holds it. */
  readonly releasedAt: Date | null;
}
