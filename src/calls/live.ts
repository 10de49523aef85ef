// Calls in progress (the console's live view). Pure: which change a call event
// makes to the list of live calls, and that list's fold; the PostgreSQL adapter
// (src/calls/live-store.ts) and the in-memory one apply the same changes.
import type { CallEvent } from '../outbound/events.ts';

/** A live call older than this is taken to have lost its end and is swept away. */
export const LIVE_CALL_MAX_AGE_H = 6;

export interface LiveCall {
  readonly call_id: string;
  readonly direction: string;
  readonly caller: string | null;
  readonly tracking_number: string | null;
  readonly source: string | null;
  readonly started_at: string;
  readonly answered_at: string | null;
  readonly answered_by_employee_id: number | null;
}

export type LiveCallChange =
  | { readonly kind: 'start'; readonly call: LiveCall }
  | { readonly kind: 'answer'; readonly callId: string; readonly answeredAt: string; readonly employeeId: number | null }
  | { readonly kind: 'end'; readonly callId: string };

/** call.started adds the call, call.answered marks who took it, call.ended removes it; other events change nothing. */
export function liveCallChange(event: CallEvent): LiveCallChange | undefined {
  const d = event.data;
  switch (event.type) {
    case 'call.started':
      return {
        kind: 'start',
        call: {
          call_id: d.call_id,
          direction: d.direction,
          caller: d.caller,
          tracking_number: d.tracking_number,
          source: d.attribution?.label ?? null,
          started_at: d.started_at,
          answered_at: null,
          answered_by_employee_id: null,
        },
      };
    case 'call.answered':
      return { kind: 'answer', callId: d.call_id, answeredAt: d.answered_at ?? event.timestamp, employeeId: d.answered_by_employee_id ?? null };
    case 'call.ended':
      return { kind: 'end', callId: d.call_id };
    default:
      return undefined;
  }
}

/** Whether a live call is past the bound at `now` (its end was lost). */
export const isStale = (call: Pick<LiveCall, 'started_at'>, now: Date): boolean =>
  now.getTime() - Date.parse(call.started_at) > LIVE_CALL_MAX_AGE_H * 3_600_000;

/** The list after a change, newest call first, without calls past the bound. */
export function applyLiveChange(list: readonly LiveCall[], change: LiveCallChange | undefined, now: Date): LiveCall[] {
  let out = list.filter((c) => !isStale(c, now));
  if (!change) return out;
  if (change.kind === 'start') out = [change.call, ...out.filter((c) => c.call_id !== change.call.call_id)];
  else if (change.kind === 'answer') {
    out = out.map((c) => (c.call_id === change.callId ? { ...c, answered_at: change.answeredAt, answered_by_employee_id: change.employeeId } : c));
  } else out = out.filter((c) => c.call_id !== change.callId);
  return out.sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
}
