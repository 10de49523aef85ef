// The events ringpath sends to webhook subscribers, and the port the call path
// emits them through. Pure: payloads are built here from what the call path
// knows; adapters store and deliver them (src/outbound/webhook-store.ts).
import { attributionJson, type Attribution, type AttributionJson, type CallRecord } from '../calls/record.ts';

export const CALL_EVENT_TYPES = ['call.started', 'call.answered', 'call.ended', 'call.missed', 'call.crm_synced'] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

export const isCallEventType = (s: string): s is CallEventType => (CALL_EVENT_TYPES as readonly string[]).includes(s);

/** An event as subscribers receive it: `{type, timestamp, data}` (the Standard Webhooks payload shape). */
export interface CallEvent {
  readonly type: CallEventType;
  readonly timestamp: string;
  readonly data: CallEventData;
}

export interface CallEventData {
  readonly call_id: string;
  readonly direction: string;
  readonly caller: string | null;
  readonly tracking_number: string | null;
  readonly started_at: string;
  readonly answered_at?: string | null;
  readonly ended_at?: string;
  readonly disposition?: string;
  readonly talk_duration_s?: number;
  readonly ring_duration_s?: number;
  readonly answered_by_employee_id?: number | null;
  readonly attribution?: AttributionJson;
  readonly recording_url?: string | null;
  readonly crm?: { readonly contact_id: string | null; readonly deal_id: string | null; readonly call_id: string | null };
}

/** What the call path knows when the call comes in. */
export interface CallStart {
  readonly callId: string;
  readonly direction: 'inbound' | 'outbound' | 'internal';
  readonly caller: string | null;
  readonly trackingNumber: string | null;
  readonly startedAt: Date;
  readonly attribution: Attribution;
}

export function startedEvent(c: CallStart, now: Date): CallEvent {
  return {
    type: 'call.started',
    timestamp: now.toISOString(),
    data: {
      call_id: c.callId,
      direction: c.direction,
      caller: c.caller,
      tracking_number: c.trackingNumber,
      started_at: c.startedAt.toISOString(),
      attribution: attributionJson(c.attribution),
    },
  };
}

export function answeredEvent(c: CallStart, answeredAt: Date, employeeId: number | null): CallEvent {
  return {
    type: 'call.answered',
    timestamp: answeredAt.toISOString(),
    data: {
      call_id: c.callId,
      direction: c.direction,
      caller: c.caller,
      tracking_number: c.trackingNumber,
      started_at: c.startedAt.toISOString(),
      answered_at: answeredAt.toISOString(),
      answered_by_employee_id: employeeId,
    },
  };
}

/**
 * The events of a finished call: `call.ended` always (disposition, attribution,
 * recording link), and `call.missed` after it when nobody answered an inbound call.
 */
export function finishedEvents(r: CallRecord, recordingUrl: string | null): CallEvent[] {
  const data: CallEventData = {
    call_id: r.id,
    direction: r.direction,
    caller: r.caller,
    tracking_number: r.trackingNumber,
    started_at: r.startedAt.toISOString(),
    answered_at: r.answeredAt?.toISOString() ?? null,
    ended_at: r.endedAt.toISOString(),
    disposition: r.disposition,
    talk_duration_s: Math.round(r.talkDurationMs / 1000),
    ring_duration_s: Math.round(r.ringDurationMs / 1000),
    answered_by_employee_id: r.answeredByEmployeeId,
    attribution: attributionJson(r.attribution),
    recording_url: recordingUrl,
  };
  const ended: CallEvent = { type: 'call.ended', timestamp: r.endedAt.toISOString(), data };
  const missed = r.direction === 'inbound' && r.disposition !== 'answered' && r.disposition !== 'blocked';
  return missed ? [ended, { type: 'call.missed', timestamp: r.endedAt.toISOString(), data }] : [ended];
}

/** Where the call path sends its events; an adapter stores them for every subscribed endpoint. */
export interface CallEvents {
  emit(event: CallEvent): Promise<void>;
}

/** Events that go nowhere (no subscribers, or a test that does not look). */
export const noCallEvents: CallEvents = { emit: async () => undefined };
