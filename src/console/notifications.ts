// Missed-call notifications of the console's live view (SPEC §8, seeds 000 and
// 003): who is told about which missed calls, and for how long one may be put
// off. Pure; src/http/routes/v1/live.ts reads and writes the database.
import type { Principal } from '../auth/access.ts';

/** "Remind me in 15 min / 1 h". */
export const SNOOZE_MINUTES = [15, 60] as const;
export type SnoozeMinutes = (typeof SNOOZE_MINUTES)[number];

/** How far back missed calls are offered. */
export const NOTIFY_WINDOW_H = 24;

/**
 * Whose missed calls an employee is told about: every missed call for a head
 * who turned "notify me of every missed call" on; otherwise those of the
 * employee's own clients. An API key is nobody: it gets no notifications.
 */
export type NotifyScope = { readonly kind: 'none' } | { readonly kind: 'all' } | { readonly kind: 'own'; readonly employeeId: number };

export function notifyScope(principal: Principal, notifyEveryMissedCall: boolean): NotifyScope {
  if (principal.kind !== 'employee') return { kind: 'none' };
  if (principal.salesRole === 'head' && notifyEveryMissedCall) return { kind: 'all' };
  return { kind: 'own', employeeId: principal.id };
}

/** Only heads may ask for every missed call. */
export function mayNotifyEveryMissedCall(principal: Principal): boolean {
  return principal.kind === 'employee' && principal.salesRole === 'head';
}

export interface Notification {
  readonly call_id: string;
  readonly caller: string | null;
  readonly started_at: string;
  readonly source: string;
  readonly tracking_number: string | null;
  /** Set once a snooze ran out: the notification came back. */
  readonly reminded: boolean;
}

/** A stable fingerprint of a list, so the live stream sends it only when it changed. */
export function fingerprint(list: readonly Notification[]): string {
  return list.map((n) => `${n.call_id}:${n.reminded ? 1 : 0}`).join(',');
}
