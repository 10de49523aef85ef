// What the DNI repository takes and gives: a site as the public API sees it, a
// visitor's history, a new session's input, and the outcomes of allocation,
// heartbeat and sweep.
import type { SourceRuleField } from '../../../dni/rules.ts';
import type { AttributionModel, Touch } from '../../../dni/types.ts';

export type DniKind = 'pool' | 'static' | 'fallback';
export type FallbackReason = 'pool_exhausted' | 'bot' | 'no_pool';

export interface DniSourceRule {
  readonly position: number;
  readonly field: SourceRuleField;
  readonly value: string;
  readonly tracking_number_id: number;
  readonly number: string;
}

/** What the public API needs to know of a site. */
export interface DniSite {
  readonly id: number;
  readonly public_key: string;
  readonly domain: string;
  readonly allowed_origins: readonly string[];
  readonly fallback_number: string;
  readonly hold_time_s: number;
  readonly heartbeat_s: number;
  readonly max_sessions_per_ip: number;
  readonly attribution_model: AttributionModel;
  readonly pool_id: number | null;
  /** In position order. */
  readonly rules: readonly DniSourceRule[];
  /** What the snippet swaps: phone texts as written on the pages, and CSS selectors. */
  readonly swap_phone_texts: readonly string[];
  readonly swap_selectors: readonly string[];
}

/** A visitor's latest session on a site, and their latest pool number. */
export interface VisitorHistory {
  readonly touch: Touch;
  /** The pool number of their latest pool session, and that session. */
  readonly pool_number_id: number | null;
  readonly pool_session_id: number | null;
}

/** Everything stored with a new session besides what allocation decides. */
export interface SessionInput {
  readonly siteId: number;
  readonly visitor: string;
  readonly touch: Touch;
  readonly gaClientId: string | null;
  readonly gaSessionId: string | null;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly holdTimeS: number;
  readonly maxSessionsPerIp: number;
}

export type SessionOutcome =
  | { readonly allowed: false }
  | {
      readonly allowed: true;
      readonly publicId: string;
      readonly number: string;
      readonly kind: DniKind;
      readonly fallbackReason: FallbackReason | null;
      readonly heldUntil: Date;
      readonly trackingNumberId: number | null;
    };

/** A pool allocation for one visitor: their session, and their previous number if they had one. */
export interface PoolRequest {
  readonly session: SessionInput;
  readonly fallbackNumber: string;
  readonly previousNumberId: number | null;
  readonly previousSessionId: number | null;
}

export type HeartbeatOutcome = { readonly ok: true; readonly heldUntil: Date } | { readonly ok: false; readonly reason: 'not_found' | 'origin' };

export interface SweepResult {
  /** false when another process was sweeping at that moment. */
  readonly ran: boolean;
  readonly numbers: number;
  readonly sessions: number;
}
