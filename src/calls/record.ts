// The call record (CDR) of a finished call, and the final answer a caller gets
// when nobody answered. Pure: the SIP adapter rings and bridges, then hands what
// it saw (the routing trace, who answered and when, whether the caller hung up)
// to these functions and stores what they return. Tests, the CRM test world and
// the SIP adapter all build records here, so they cannot disagree.
import type { AttributionConfidence } from '../dni/types.ts';
import type { Recogniser } from './recognise.ts';
import { describeDestination } from '../routing/targets.ts';
import { dispositionOf } from '../routing/trace.ts';
import type { Destination, Disposition, EmployeeId, RoutingTrace } from '../routing/types.ts';

export type CallDirection = 'inbound' | 'outbound' | 'internal';

/**
 * Which source brought a call (SPEC §4), as stored on the call (calls.attribution;
 * calls.visitor_session_id holds visitorSessionId). The source fields are a copy
 * of the visitor session's (or the static number's) at the call's start, so the
 * record keeps them whatever happens to the session later.
 */
export interface Attribution {
  /** exact, recent: a visitor session; static: a static number's fixed source; fallback: a site's fallback number; none. */
  readonly confidence: AttributionConfidence;
  /** What a person reads: "google / cpc", "Billboard A1", "unattributed (pool exhausted)". */
  readonly label: string;
  readonly visitorSessionId?: number;
  readonly source?: string | null;
  readonly medium?: string | null;
  readonly campaign?: string | null;
  readonly content?: string | null;
  readonly term?: string | null;
  readonly gclid?: string | null;
  readonly gbraid?: string | null;
  readonly wbraid?: string | null;
  readonly fbclid?: string | null;
  readonly msclkid?: string | null;
  /** From the _ga cookie. */
  readonly gaClientId?: string | null;
  readonly referrer?: string | null;
  readonly landingPage?: string | null;
}

const CONFIDENCES: ReadonlySet<string> = new Set<AttributionConfidence>(['exact', 'recent', 'static', 'fallback', 'none']);
const ATTRIBUTION_TEXT_FIELDS = ['source', 'medium', 'campaign', 'content', 'term', 'gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid',
  'gaClientId', 'referrer', 'landingPage'] as const;

/**
 * A stored attribution, whatever version wrote it. Records written before dynamic
 * number insertion carried a `kind` ('static' | 'session' | 'none' | 'pool_exhausted')
 * and a confidence of 'exact' | 'low' | 'none': 'low' reads as recent, a static
 * kind as static, pool_exhausted as fallback.
 */
export function readAttribution(stored: unknown): Attribution {
  const raw = (stored !== null && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const kind = raw.kind;
  const given = typeof raw.confidence === 'string' ? raw.confidence : 'none';
  const confidence: AttributionConfidence =
    kind === 'pool_exhausted'
      ? 'fallback'
      : kind === 'static' && given !== 'none'
        ? 'static'
        : given === 'low'
          ? 'recent'
          : CONFIDENCES.has(given)
            ? (given as AttributionConfidence)
            : 'none';
  const out: Record<string, unknown> = { confidence, label: typeof raw.label === 'string' ? raw.label : 'unattributed' };
  if (typeof raw.visitorSessionId === 'number') out.visitorSessionId = raw.visitorSessionId;
  for (const f of ATTRIBUTION_TEXT_FIELDS) {
    const v = raw[f];
    if (typeof v === 'string') out[f] = v;
    else if (v === null) out[f] = null;
  }
  return out as unknown as Attribution;
}

/** The attribution as the API and `simulate-call --json` show it: snake_case, every field present. */
export interface AttributionJson {
  readonly confidence: AttributionConfidence;
  readonly label: string;
  readonly visitor_session_id: number | null;
  readonly source: string | null;
  readonly medium: string | null;
  readonly campaign: string | null;
  readonly content: string | null;
  readonly term: string | null;
  readonly gclid: string | null;
  readonly gbraid: string | null;
  readonly wbraid: string | null;
  readonly fbclid: string | null;
  readonly msclkid: string | null;
  readonly ga_client_id: string | null;
  readonly referrer: string | null;
  readonly landing_page: string | null;
}

export function attributionJson(a: Attribution): AttributionJson {
  const v = (x: string | null | undefined): string | null => x ?? null;
  return {
    confidence: a.confidence,
    label: a.label,
    visitor_session_id: a.visitorSessionId ?? null,
    source: v(a.source),
    medium: v(a.medium),
    campaign: v(a.campaign),
    content: v(a.content),
    term: v(a.term),
    gclid: v(a.gclid),
    gbraid: v(a.gbraid),
    wbraid: v(a.wbraid),
    fbclid: v(a.fbclid),
    msclkid: v(a.msclkid),
    ga_client_id: v(a.gaClientId),
    referrer: v(a.referrer),
    landing_page: v(a.landingPage),
  };
}

export interface CallRecord {
  readonly id: string;
  readonly sipCallId: string | null;
  readonly direction: CallDirection;
  /** E.164; null when the caller withheld their number or sent one that cannot be read. */
  readonly caller: string | null;
  /** True when the caller's number is null because it was withheld ("anonymous"). */
  readonly callerWithheld: boolean;
  readonly callee: string | null;
  readonly callerRaw: string | null;
  readonly trackingNumberId: number | null;
  readonly trackingNumber: string | null;
  readonly attribution: Attribution;
  readonly routingTrace: RoutingTrace;
  /** The manager routing rang first as the client's responsible manager; the CRM sync reads it. */
  readonly responsibleEmployeeId: EmployeeId | null;
  readonly answeredByEmployeeId: EmployeeId | null;
  readonly answeredByDestination: string | null;
  readonly placedByEmployeeId: EmployeeId | null;
  readonly unknownEmployee: boolean;
  readonly startedAt: Date;
  readonly answeredAt: Date | null;
  readonly endedAt: Date;
  readonly ringDurationMs: number;
  readonly talkDurationMs: number;
  readonly disposition: Disposition;
  readonly recordingPath: string | null;
}

/** A party's number as the call saw it: E.164, or why there is none. */
export type PartyNumber =
  | { readonly kind: 'number'; readonly e164: string }
  | { readonly kind: 'withheld' }
  | { readonly kind: 'unusable'; readonly why: string }
  | { readonly kind: 'none' };

export const numberOf = (p: PartyNumber): string | null => (p.kind === 'number' ? p.e164 : null);

/** What the adapter saw of one call, from the INVITE to the hang-up. */
export interface CallFacts {
  readonly id: string;
  readonly sipCallId: string | null;
  readonly direction: CallDirection;
  readonly caller: PartyNumber;
  readonly callerRaw: string | null;
  readonly callee: PartyNumber;
  readonly trackingNumber: { readonly id: number | null; readonly number: string } | null;
  readonly attribution: Attribution;
  /** The employee routing rang as the client's responsible manager (RoutingPlan.responsibleManagerId). */
  readonly responsibleEmployeeId?: EmployeeId | null;
  readonly placedByEmployeeId?: EmployeeId | null;
  readonly trace: RoutingTrace;
  /**
   * The destination that answered and when; undefined when nobody did. `employeeId`
   * is the employee routing rang it for (null for an external number).
   */
  readonly answered?: { readonly destination: Destination; readonly at: Date; readonly employeeId?: EmployeeId | null };
  /** The caller hung up (CANCEL) before anyone answered. */
  readonly callerHungUp: boolean;
  /** The call was refused before anyone was rung (the outbound dial plan). */
  readonly blocked?: boolean;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly recordingPath: string | null;
}

const NO_ATTRIBUTION: Attribution = { confidence: 'none', label: 'unattributed' };
export const noAttribution = (label = NO_ATTRIBUTION.label): Attribution => ({ ...NO_ATTRIBUTION, label });

/**
 * The CDR of a finished call.
 * - disposition: `blocked` for a call refused before anyone rang; else from the trace; a caller who hung up before any answer makes it
 *   `abandoned` whatever the trace says (an attempt may have finished as no-answer
 *   just before the CANCEL arrived);
 * - who answered (inbound and internal calls): the employee routing rang the answering destination for; else
 *   the one owning it among every employee's main and additional destinations (and
 *   SIP logins); a destination nobody owns is an "unknown employee";
 * - ring time runs from the INVITE to the answer (or the end), talk time from the
 *   answer to the end; neither is ever negative.
 */
export function buildCallRecord(facts: CallFacts, recogniser: Recogniser): CallRecord {
  const answered = facts.answered;
  // an outbound call is answered by the client, not by an employee
  const party =
    !answered || facts.direction === 'outbound'
      ? undefined
      : answered.employeeId !== undefined && answered.employeeId !== null
        ? ({ kind: 'employee', employeeId: answered.employeeId } as const)
        : recogniser.identify(answered.destination);
  const disposition: Disposition = facts.blocked
    ? 'blocked'
    : facts.callerHungUp && !answered
      ? 'abandoned'
      : answered
        ? 'answered'
        : dispositionOf(facts.trace);
  const answeredAt = answered?.at ?? null;
  const ringEnd = answeredAt ?? facts.endedAt;
  return {
    id: facts.id,
    sipCallId: facts.sipCallId,
    direction: facts.direction,
    caller: numberOf(facts.caller),
    callerWithheld: facts.caller.kind === 'withheld',
    callee: numberOf(facts.callee),
    callerRaw: facts.callerRaw,
    trackingNumberId: facts.trackingNumber?.id ?? null,
    trackingNumber: facts.trackingNumber?.number ?? null,
    attribution: facts.attribution,
    routingTrace: facts.trace,
    responsibleEmployeeId: facts.responsibleEmployeeId ?? null,
    answeredByEmployeeId: party?.kind === 'employee' ? party.employeeId : null,
    answeredByDestination: answered ? describeDestination(answered.destination) : null,
    placedByEmployeeId: facts.placedByEmployeeId ?? null,
    unknownEmployee: party?.kind === 'unknown',
    startedAt: facts.startedAt,
    answeredAt,
    endedAt: facts.endedAt,
    ringDurationMs: Math.max(0, ringEnd.getTime() - facts.startedAt.getTime()),
    talkDurationMs: answeredAt ? Math.max(0, facts.endedAt.getTime() - answeredAt.getTime()) : 0,
    disposition,
    recordingPath: facts.recordingPath,
  };
}

/** The final response of a call nobody answered, with its stable reason code. */
export interface Unanswered {
  readonly status: 480 | 486;
  readonly code: 'ALL_DESTINATIONS_BUSY' | 'NOBODY_ANSWERED';
}

/**
 * Busy (486) only when every attempt that rang was busy or unreachable and at
 * least one was busy; any attempt that rang out unanswered, or a plan that rang
 * nobody, makes it 480 (Temporarily Unavailable).
 */
export function unansweredResponse(trace: RoutingTrace): Unanswered {
  return dispositionOf(trace) === 'busy' ? { status: 486, code: 'ALL_DESTINATIONS_BUSY' } : { status: 480, code: 'NOBODY_ANSWERED' };
}
