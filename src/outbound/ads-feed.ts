// The Google Ads offline-conversion feed (CSV, Google's click-conversion import
// template). Pure: which calls go in and why, and the file itself.
import type { Qualification } from './qualify.ts';

/** Google Ads accepts conversions of clicks at most 90 days old. */
export const CLICK_WINDOW_MS = 90 * 24 * 60 * 60_000;

export interface AdsSettings {
  readonly conversionName: string;
  readonly conversionValue: number;
  readonly currency: string;
  readonly timeZone: string;
}

export interface CallForAds {
  readonly id: string;
  readonly startedAt: Date;
  readonly gclid: string | null;
  readonly gbraid: string | null;
  readonly wbraid: string | null;
  /** When the visitor clicked the ad: the visitor session's start. */
  readonly clickAt: Date | null;
}

export type AdsDecision = { readonly include: true } | { readonly include: false; readonly reason: string };

export function adsDecision(call: CallForAds, qualification: Qualification, now: Date): AdsDecision {
  if (!call.gclid && !call.gbraid && !call.wbraid) return { include: false, reason: 'no Google click id (gclid, gbraid or wbraid)' };
  if (!qualification.qualified) return { include: false, reason: `not qualified: ${qualification.reason}` };
  const clickAt = call.clickAt ?? call.startedAt;
  const age = now.getTime() - clickAt.getTime();
  if (age > CLICK_WINDOW_MS) {
    return { include: false, reason: `click id expired: the click was ${Math.floor(age / 86_400_000)} days ago (Google Ads accepts 90)` };
  }
  return { include: true };
}

export const FEED_COLUMNS = ['Google Click ID', 'Conversion Name', 'Conversion Time', 'Conversion Value', 'Conversion Currency', 'gbraid', 'wbraid'] as const;

/** `yyyy-MM-dd HH:mm:ss` in the feed's time zone (named on its first line). */
export function conversionTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The CSV: `Parameters:TimeZone=…`, the header, one row per call in the feed (gbraid/wbraid in their own columns). */
export function feedCsv(calls: readonly CallForAds[], s: AdsSettings): string {
  const lines = [`Parameters:TimeZone=${s.timeZone}`, FEED_COLUMNS.join(',')];
  for (const c of calls) {
    // one click id per row: a gclid when there is one, else the gbraid or wbraid column
    const gclid = c.gclid ?? '';
    const gbraid = gclid ? '' : (c.gbraid ?? '');
    const wbraid = gclid || gbraid ? '' : (c.wbraid ?? '');
    lines.push(
      [gclid, s.conversionName, conversionTime(c.startedAt, s.timeZone), s.conversionValue.toFixed(2), s.currency, gbraid, wbraid].map(cell).join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
