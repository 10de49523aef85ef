// Is a step's working-hours schedule open at an instant? Pure (the instant is an input).
//
// Local weekday and clock come from Intl.DateTimeFormat in the schedule's time zone, so
// daylight-saving changes are the runtime's tz database's business, not ours: the same
// UTC instant is 08:30 in New York in February and 09:30 in March.
//
// Semantics (the same as the API's validation in schedule.ts):
// - days are ISO weekdays (1 = Monday … 7 = Sunday) naming the day an interval STARTS;
// - `from` is inclusive, `to` exclusive, both "HH:MM"; `to` may be "24:00";
// - `to` earlier than `from` crosses midnight: {days:[5], from:"22:00", to:"06:00"} is open
//   from Friday 22:00 until Saturday 06:00 (local);
// - wall-clock times that a DST change skips never match; times it repeats match twice.
import { parseClock } from './schedule.ts';
import type { WorkingHours } from './types.ts';

export interface LocalTime {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight, 0 … 1439. */
  readonly minutes: number;
}

export type WorkingHoursStatus = 'open' | 'closed' | 'invalid';

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
// IANA names only, as the API accepts them (newer runtimes also take offsets like "+03:00").
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;
const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** A cached formatter for the zone, or null when the runtime does not know the zone. */
function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  let f: Intl.DateTimeFormat | null = null;
  try {
    if (ZONE_NAME.test(timeZone)) {
      f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    }
  } catch {
    // unknown to this runtime's tz database
  }
  if (formatters.size < 1000) formatters.set(timeZone, f);
  return f;
}

// The last answer per zone, by UTC minute: today's zones all sit a whole number of
// minutes from UTC, so every instant of one UTC minute has the same local weekday and clock.
const lastByZone = new Map<string, { minute: number; local: LocalTime | undefined }>();

/** The local weekday and clock of an instant in a time zone; undefined for an unknown zone or an invalid date. */
export function localTime(timeZone: string, at: Date): LocalTime | undefined {
  const ms = at.getTime();
  if (Number.isNaN(ms)) return undefined;
  const minute = Math.floor(ms / 60_000);
  const last = lastByZone.get(timeZone);
  if (last?.minute === minute) return last.local;
  const local = computeLocalTime(timeZone, at);
  if (lastByZone.size < 1000 || last) lastByZone.set(timeZone, { minute, local });
  return local;
}

function computeLocalTime(timeZone: string, at: Date): LocalTime | undefined {
  const f = formatterFor(timeZone);
  if (!f) return undefined;
  let weekday: number | undefined;
  let hour: number | undefined;
  let minute: number | undefined;
  for (const part of f.formatToParts(at)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value];
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  if (weekday === undefined || hour === undefined || minute === undefined) return undefined;
  return { weekday, minutes: hour * 60 + minute };
}

/** Minutes since midnight of "HH:MM" ("24:00" too when it ends an interval), or undefined. */
export function clockMinutes(text: string, isEnd = false): number | undefined {
  return parseClock(text, { endOfDay: isEnd });
}

interface ParsedInterval {
  readonly days: readonly number[];
  readonly from: number;
  readonly to: number;
}

function parseIntervals(schedule: WorkingHours): ParsedInterval[] | undefined {
  const out: ParsedInterval[] = [];
  for (const iv of schedule.intervals) {
    const from = clockMinutes(iv.from);
    const to = clockMinutes(iv.to, true);
    if (from === undefined || to === undefined || from === to) return undefined;
    if (!iv.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) return undefined;
    out.push({ days: iv.days, from, to });
  }
  return out;
}

function isOpen(iv: ParsedInterval, now: LocalTime): boolean {
  if (iv.from < iv.to) return iv.days.includes(now.weekday) && now.minutes >= iv.from && now.minutes < iv.to;
  // crosses midnight: the evening of a listed day, or the early morning after one
  const previousDay = now.weekday === 1 ? 7 : now.weekday - 1;
  return (iv.days.includes(now.weekday) && now.minutes >= iv.from) || (iv.days.includes(previousDay) && now.minutes < iv.to);
}

/**
 * Whether the schedule is open at `at`. `invalid` for an unknown time zone, a malformed
 * interval (bad clock, from = to, weekday outside 1..7) or an invalid date; an empty
 * interval list is never open. No schedule means always open.
 */
export function workingHoursStatus(schedule: WorkingHours | undefined, at: Date): WorkingHoursStatus {
  if (!schedule) return 'open';
  const intervals = parseIntervals(schedule);
  const now = localTime(schedule.timeZone, at);
  if (!intervals || !now) return 'invalid';
  return intervals.some((iv) => isOpen(iv, now)) ? 'open' : 'closed';
}

/** True when the schedule is open at `at` (always without a schedule; never when it is invalid). */
export function isWithinWorkingHours(schedule: WorkingHours | undefined, at: Date): boolean {
  return workingHoursStatus(schedule, at) === 'open';
}
