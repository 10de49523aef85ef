// The outbound dial plan against toll fraud (SPEC §5 "Outbound"): which numbers a
// registered phone may call through the trunk. One stolen SIP password must not
// become a bill for premium and satellite calls.
//
// checkDialPlan is pure: blocked prefixes first (the longest match is reported),
// then the destination's country, found from its number range. A number whose
// country cannot be vouched for (non-geographic codes such as +881 or +979, or a
// number in no known range) is refused: there is no country to allow it by, and
// those are exactly the ranges toll fraud goes for. The per-account rate of new
// calls is the OutboundCallRate port (src/sip/dial-rate.ts); screenOutboundCall
// runs both in order.
import type { TraceEntry } from '../routing/types.ts';
import { Recogniser } from './recognise.ts';
import { buildCallRecord, noAttribution, type CallRecord } from './record.ts';
import type { Settings } from '../db/repositories/settings.ts';
import { countryOfE164, isE164 } from '../phone/index.ts';
import type { OutboundCallRate } from '../sip/dial-rate.ts';

/** The dial plan as the check reads it; build it with dialPlanPolicy. */
export interface DialPlanPolicy {
  /** ISO 3166-1 alpha-2 codes, upper case; empty refuses every number. */
  readonly allowedCountries: ReadonlySet<string>;
  /** "+" and digits, longest first. */
  readonly blockedPrefixes: readonly string[];
  /** New outbound calls per SIP account per minute. */
  readonly callsPerMinute: number;
}

/** Which rule refused a call; the label of ringpath_dial_plan_blocked_total. */
export type DialPlanRule = 'prefix' | 'country' | 'rate';

export const DIAL_PLAN_BLOCKED = 'DIAL_PLAN_BLOCKED';

export interface DialPlanRefusal {
  readonly allowed: false;
  readonly code: typeof DIAL_PLAN_BLOCKED;
  readonly rule: DialPlanRule;
  /** For people and logs (X-Reason, the CDR's trace), e.g. "+979123456789 is in the blocked range +979". */
  readonly reason: string;
}

export type DialPlanVerdict = { readonly allowed: true; readonly country: string } | (DialPlanRefusal & { readonly rule: 'prefix' | 'country' });

export type DialPlanSettings = Pick<Settings, 'dial_plan_allowed_countries' | 'dial_plan_blocked_prefixes' | 'dial_plan_calls_per_minute'>;

/** The policy from the settings; `dial_plan_allowed_countries: null` means the default country only. */
export function dialPlanPolicy(settings: DialPlanSettings, defaultCountry: string): DialPlanPolicy {
  const countries = settings.dial_plan_allowed_countries ?? [defaultCountry];
  return {
    allowedCountries: new Set(countries.map((c) => c.trim().toUpperCase())),
    blockedPrefixes: [...new Set(settings.dial_plan_blocked_prefixes)].sort((a, b) => b.length - a.length || a.localeCompare(b)),
    callsPerMinute: settings.dial_plan_calls_per_minute,
  };
}

const refuse = (rule: 'prefix' | 'country', reason: string): DialPlanVerdict => ({ allowed: false, code: DIAL_PLAN_BLOCKED, rule, reason });

/** May a phone call this E.164 number through the trunk? */
export function checkDialPlan(policy: DialPlanPolicy, dialledE164: string): DialPlanVerdict {
  const shown = JSON.stringify(dialledE164.length > 40 ? `${dialledE164.slice(0, 39)}…` : dialledE164);
  if (!isE164(dialledE164)) return refuse('country', `${shown} is not an E.164 number, so its country cannot be checked`);
  const prefix = policy.blockedPrefixes.find((p) => dialledE164.startsWith(p));
  if (prefix !== undefined) return refuse('prefix', `${dialledE164} is in the blocked range ${prefix}`);
  const country = countryOfE164(dialledE164);
  if (country === undefined) {
    return refuse('country', `${dialledE164} belongs to no country (a non-geographic code, or no known number range); such numbers are never allowed`);
  }
  if (!policy.allowedCountries.has(country)) {
    const allowed = [...policy.allowedCountries].sort().join(', ') || 'none';
    return refuse('country', `${dialledE164} is in ${country}, which is not an allowed country (allowed: ${allowed})`);
  }
  return { allowed: true, country };
}

export type OutboundScreen =
  | { readonly allowed: true; readonly country: string }
  | DialPlanRefusal
  | (DialPlanRefusal & { readonly rule: 'rate'; readonly retryAfterS: number });

/**
 * The whole outbound check of one call: the dial plan, then the account's rate of
 * new calls. A number the dial plan refuses does not count against the rate.
 * `account` keys the rate (the SIP login, or the employee id).
 */
export async function screenOutboundCall(
  policy: DialPlanPolicy,
  rate: OutboundCallRate,
  account: string,
  dialledE164: string,
): Promise<OutboundScreen> {
  const verdict = checkDialPlan(policy, dialledE164);
  if (!verdict.allowed) return verdict;
  const r = await rate.allow(account, policy.callsPerMinute);
  if (r.allowed) return verdict;
  return {
    allowed: false,
    code: DIAL_PLAN_BLOCKED,
    rule: 'rate',
    reason: `more than ${policy.callsPerMinute} new outbound calls a minute from ${account}; retry in ${r.retryAfterS} s`,
    retryAfterS: r.retryAfterS,
  };
}

/** One line for the SIP response's X-Reason and the CDR's trace: "DIAL_PLAN_BLOCKED (prefix): +979… is in the blocked range +979". */
export function describeRefusal(refusal: DialPlanRefusal): string {
  return `${refusal.code} (${refusal.rule}): ${refusal.reason}`;
}

/**
 * The CDR of a call the dial plan refused: outbound, disposition "blocked", never
 * rung (zero durations), its one trace entry a skipped step carrying the refusal.
 * recordCall never queues a blocked call for CRM sync.
 */
export function blockedCallRecord(call: {
  readonly id: string;
  readonly sipCallId: string | null;
  /** The caller id the call would have gone out with. */
  readonly callerId: string | null;
  /** The dialled number, when it was read as E.164. */
  readonly calleeE164: string | null;
  /** The From header as the phone sent it. */
  readonly callerRaw: string | null;
  readonly placedByEmployeeId: number;
  readonly at: Date;
  readonly refusal: DialPlanRefusal;
}): CallRecord {
  const at = call.at.getTime();
  const skipped: TraceEntry = {
    stepIndex: 0,
    stepType: 'external_number',
    result: 'skipped',
    reason: describeRefusal(call.refusal),
    employeeIds: [],
    legs: [],
    excluded: [],
    startedAt: at,
    endedAt: at,
    ringMs: 0,
  };
  return buildCallRecord(
    {
      id: call.id,
      sipCallId: call.sipCallId,
      direction: 'outbound',
      caller: call.callerId ? { kind: 'number', e164: call.callerId } : { kind: 'none' },
      callerRaw: call.callerRaw,
      callee: call.calleeE164 ? { kind: 'number', e164: call.calleeE164 } : { kind: 'none' },
      trackingNumber: call.callerId ? { id: null, number: call.callerId } : null,
      attribution: noAttribution('outbound'),
      placedByEmployeeId: call.placedByEmployeeId,
      trace: [skipped],
      callerHungUp: false,
      blocked: true,
      startedAt: call.at,
      endedAt: call.at,
      recordingPath: null,
    },
    NOBODY,
  );
}

/** A blocked call was never answered, so nobody needs recognising. */
const NOBODY = new Recogniser([]);
