// Working-hours schedules of routing steps (SPEC §3): pure validation of an untrusted
// value (a request body, a stored jsonb) into a Schedule. The routing engine evaluates
// schedules in working-hours.ts with the same semantics.
//
// A schedule is a time zone plus intervals of local wall-clock time:
//   { "time_zone": "Europe/Kyiv", "intervals": [{ "days": [1, 2, 3, 4, 5], "from": "09:00", "to": "18:00" }] }
// - days are ISO weekdays, 1 = Monday … 7 = Sunday, and name the day an interval STARTS;
// - `from` is inclusive and `to` exclusive, both "HH:MM" (24-hour); `to` may be "24:00" (end of day);
// - `to` earlier than `from` crosses midnight: {days: [5], from: "22:00", to: "06:00"} is open
//   from Friday 22:00 until Saturday 06:00;
// - `from` equal to `to` is rejected as ambiguous (nothing, or all day?); all day is "00:00"–"24:00";
// - the step runs when any interval is open (intervals may overlap).

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface ScheduleInterval {
  days: IsoWeekday[];
  from: string;
  to: string;
}

export interface Schedule {
  time_zone: string;
  intervals: ScheduleInterval[];
}

/** `field` is a JSON pointer relative to the schedule, e.g. "/intervals/0/from". */
export interface ScheduleProblem {
  readonly field: string;
  readonly message: string;
}

export type ScheduleResult =
  | { readonly ok: true; readonly schedule: Schedule }
  | { readonly ok: false; readonly problems: readonly ScheduleProblem[] };

export const MAX_SCHEDULE_INTERVALS = 50;
/** "HH:MM"; the end of an interval may also be "24:00". */
const CLOCK_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const END_CLOCK_PATTERN = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

/** An IANA time zone name that this runtime's Intl knows ("Europe/Kyiv", "UTC"); offsets like "+03:00" are not names. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight of "HH:MM", or undefined when it is not a clock time. */
export function parseClock(text: string, opts: { endOfDay?: boolean } = {}): number | undefined {
  if (!new RegExp(opts.endOfDay ? END_CLOCK_PATTERN : CLOCK_PATTERN).test(text)) return undefined;
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(value: Record<string, unknown>, known: readonly string[], at: string, out: ScheduleProblem[]): void {
  for (const key of Object.keys(value)) if (!known.includes(key)) out.push({ field: `${at}/${key}`, message: 'is not a known field' });
}

function checkDays(days: unknown, at: string, out: ScheduleProblem[]): void {
  if (!Array.isArray(days) || days.length === 0 || days.length > 7) {
    out.push({ field: at, message: 'must be a list of 1 to 7 ISO weekdays (1 = Monday … 7 = Sunday)' });
    return;
  }
  days.forEach((d: unknown, i) => {
    if (!Number.isInteger(d) || (d as number) < 1 || (d as number) > 7) {
      out.push({ field: `${at}/${i}`, message: 'must be an ISO weekday from 1 (Monday) to 7 (Sunday)' });
    } else if (days.indexOf(d) !== i) {
      out.push({ field: `${at}/${i}`, message: 'repeats an earlier day' });
    }
  });
}

function checkInterval(interval: unknown, at: string, out: ScheduleProblem[]): void {
  if (!isRecord(interval)) {
    out.push({ field: at, message: 'must be an object with days, from and to' });
    return;
  }
  unknownKeys(interval, ['days', 'from', 'to'], at, out);
  checkDays(interval.days, `${at}/days`, out);
  const from = typeof interval.from === 'string' ? parseClock(interval.from) : undefined;
  const to = typeof interval.to === 'string' ? parseClock(interval.to, { endOfDay: true }) : undefined;
  if (from === undefined) out.push({ field: `${at}/from`, message: 'must be a time "HH:MM" from 00:00 to 23:59' });
  if (to === undefined) out.push({ field: `${at}/to`, message: 'must be a time "HH:MM" from 00:00 to 24:00' });
  if (from !== undefined && from === to) {
    out.push({ field: `${at}/to`, message: 'must differ from "from" (use "00:00" to "24:00" for a whole day)' });
  }
}

/** Check an untrusted value (a request body part, a stored jsonb) and return it as a Schedule. */
export function parseSchedule(input: unknown): ScheduleResult {
  const problems: ScheduleProblem[] = [];
  if (!isRecord(input)) return { ok: false, problems: [{ field: '', message: 'must be an object with time_zone and intervals' }] };
  unknownKeys(input, ['time_zone', 'intervals'], '', problems);
  if (typeof input.time_zone !== 'string' || !isTimeZone(input.time_zone)) {
    problems.push({
      field: '/time_zone',
      message: `must be an IANA time zone name such as "Europe/Kyiv" (got ${JSON.stringify(input.time_zone) ?? 'nothing'})`,
    });
  }
  const intervals = input.intervals;
  if (!Array.isArray(intervals) || intervals.length === 0 || intervals.length > MAX_SCHEDULE_INTERVALS) {
    problems.push({ field: '/intervals', message: `must be a list of 1 to ${MAX_SCHEDULE_INTERVALS} intervals` });
  } else {
    intervals.forEach((interval: unknown, i) => checkInterval(interval, `/intervals/${i}`, problems));
  }
  if (problems.length > 0) return { ok: false, problems };
  const valid = input as unknown as Schedule;
  return {
    ok: true,
    schedule: {
      time_zone: valid.time_zone,
      intervals: valid.intervals.map((iv) => ({ days: [...iv.days], from: iv.from, to: iv.to })),
    },
  };
}
