// GA4 Measurement Protocol: what one call sends. Pure: the export job reads the
// call and its visitor session, and posts what ga4Request returns.
import type { Qualification } from './qualify.ts';

/** GA4 accepts events whose timestamp is at most 72 hours in the past. */
export const GA4_WINDOW_MS = 72 * 60 * 60_000;

export const MEASUREMENT_ID = /^G-[A-Z0-9]{4,20}$/;

/** Event names GA4 reserves (they are refused by the Measurement Protocol). */
export const RESERVED_EVENT_NAMES: ReadonlySet<string> = new Set([
  'ad_activeview', 'ad_click', 'ad_exposure', 'ad_query', 'ad_reward', 'adunit_exposure', 'app_background', 'app_clear_data',
  'app_exception', 'app_install', 'app_remove', 'app_store_refund', 'app_update', 'app_upgrade', 'dynamic_link_app_open',
  'dynamic_link_app_update', 'dynamic_link_first_open', 'error', 'firebase_campaign', 'firebase_in_app_message_action',
  'firebase_in_app_message_dismiss', 'firebase_in_app_message_impression', 'first_open', 'first_visit', 'in_app_purchase',
  'notification_dismiss', 'notification_foreground', 'notification_open', 'notification_receive', 'os_update',
  'session_start', 'session_start_with_rollout', 'screen_view', 'user_engagement',
]);

/** Why a name cannot be a GA4 event name, or undefined when it can. */
export function eventNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 40) return 'must be 1 to 40 characters';
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return 'must start with a letter and hold only letters, digits and underscores';
  if (RESERVED_EVENT_NAMES.has(name) || /^(_|firebase_|ga_|google_|gtag\.)/i.test(name)) return 'is reserved by Google Analytics';
  return undefined;
}

export interface Ga4Settings {
  readonly measurementId: string;
  readonly apiSecret: string;
  readonly eventName: string;
  readonly conversionEvent: string;
}

export interface CallForGa4 {
  readonly id: string;
  readonly startedAt: Date;
  readonly disposition: string;
  readonly talkDurationMs: number;
  readonly trackingNumber: string | null;
  readonly firstTimeCaller: boolean;
  readonly gaClientId: string | null;
  readonly gaSessionId: string | null;
  readonly source: string | null;
  readonly medium: string | null;
  readonly campaign: string | null;
}

export interface Ga4Body {
  readonly client_id: string;
  readonly timestamp_micros: number;
  readonly events: ReadonlyArray<{ readonly name: string; readonly params: Readonly<Record<string, string | number>> }>;
}

export type Ga4Decision =
  | { readonly send: true; readonly body: Ga4Body; readonly events: readonly string[]; readonly note: string }
  | { readonly send: false; readonly reason: string };

/** GA4 parameter values are at most 100 characters. */
const text = (v: string | null, fallback: string) => (v && v.length > 0 ? v : fallback).slice(0, 100);

/**
 * One `phone_call` (or the configured name) event per call attributed to a session
 * with a GA client id, plus the conversion event when the call qualifies; skipped
 * (with why) without a client id or when the call started more than 72 h ago.
 */
export function ga4Request(call: CallForGa4, settings: Ga4Settings, qualification: Qualification, now: Date): Ga4Decision {
  if (!call.gaClientId) return { send: false, reason: 'no GA client id: the call is not attributed to a visit with a Google Analytics cookie' };
  if (now.getTime() - call.startedAt.getTime() > GA4_WINDOW_MS) return { send: false, reason: 'older than the 72 hours GA4 accepts' };
  const params: Record<string, string | number> = {
    source: text(call.source, '(direct)'),
    medium: text(call.medium, '(none)'),
    campaign: text(call.campaign, '(not set)'),
    tracking_number: text(call.trackingNumber, '(not set)'),
    duration: Math.round(call.talkDurationMs / 1000),
    call_status: call.disposition === 'answered' ? 'answered' : 'missed',
    first_time_caller: call.firstTimeCaller ? 'yes' : 'no',
    ringpath_call_id: call.id,
    engagement_time_msec: 1,
  };
  if (call.gaSessionId && /^\d+$/.test(call.gaSessionId)) params.session_id = Number(call.gaSessionId);
  else if (call.gaSessionId) params.session_id = text(call.gaSessionId, '');
  const events = [{ name: settings.eventName, params }];
  if (qualification.qualified) events.push({ name: settings.conversionEvent, params: { ...params } });
  return {
    send: true,
    body: { client_id: call.gaClientId, timestamp_micros: call.startedAt.getTime() * 1000, events },
    events: events.map((e) => e.name),
    note: qualification.qualified ? 'qualified: the conversion event was sent too' : `not qualified: ${qualification.reason}`,
  };
}
