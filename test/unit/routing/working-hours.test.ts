// Working hours at an instant, across DST changes (2026: the US changes on Mar 8 and
// Nov 1, the EU on Mar 29 and Oct 25), overnight intervals and malformed schedules.
import t, { type Test } from 'tap';
import { clockMinutes, isWithinWorkingHours, localTime, workingHoursStatus } from '../../../src/routing/working-hours.ts';
import type { WorkingHours } from '../../../src/routing/types.ts';

const NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const weekdays = (timeZone: string): WorkingHours => ({ timeZone, intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] });
const only = (timeZone: string, days: number[], from: string, to: string): WorkingHours => ({ timeZone, intervals: [{ days, from, to }] });

/** [name, schedule, instant (UTC), local time there, open?] */
type Row = [string, WorkingHours, string, string, boolean];

function check(t: Test, rows: Row[]): void {
  for (const [name, schedule, at, local, open] of rows) {
    const lt = localTime(schedule.timeZone, new Date(at));
    const shown = lt ? `${NAMES[lt.weekday]} ${String(Math.floor(lt.minutes / 60)).padStart(2, '0')}:${String(lt.minutes % 60).padStart(2, '0')}` : 'none';
    t.equal(shown, local, `${name}: local time is ${local}`);
    t.equal(isWithinWorkingHours(schedule, new Date(at)), open, `${name}: ${open ? 'open' : 'closed'}`);
  }
}

t.test('New York office hours around the US changes', async (t) => {
  const ny = weekdays('America/New_York');
  check(t, [
    ['Friday before spring-forward, 09:30 EST', ny, '2026-03-06T14:30:00Z', 'Fri 09:30', true],
    ['Friday before spring-forward, 08:30 EST', ny, '2026-03-06T13:30:00Z', 'Fri 08:30', false],
    ['Monday after spring-forward, 09:30 EDT (a fixed -05:00 would say 08:30)', ny, '2026-03-09T13:30:00Z', 'Mon 09:30', true],
    ['Monday after spring-forward, 18:30 EDT (a fixed -05:00 would say 17:30)', ny, '2026-03-09T22:30:00Z', 'Mon 18:30', false],
    ['Friday before fall-back, 08:30 EDT', ny, '2026-10-30T12:30:00Z', 'Fri 08:30', false],
    ['Monday after fall-back, 09:30 EST', ny, '2026-11-02T14:30:00Z', 'Mon 09:30', true],
    ['Monday after fall-back, 08:30 EST (a fixed -04:00 would say 09:30)', ny, '2026-11-02T13:30:00Z', 'Mon 08:30', false],
  ]);
});

t.test('Kyiv office hours around the EU changes (weeks apart from the US ones)', async (t) => {
  const kyiv = weekdays('Europe/Kyiv');
  check(t, [
    ['Mar 16: New York has changed, Kyiv not yet: 08:30 EET', kyiv, '2026-03-16T06:30:00Z', 'Mon 08:30', false],
    ['Mar 30: after the EU change: 09:30 EEST', kyiv, '2026-03-30T06:30:00Z', 'Mon 09:30', true],
    ['Oct 23: still summer time: 09:30 EEST', kyiv, '2026-10-23T06:30:00Z', 'Fri 09:30', true],
    ['Oct 26: winter time: 08:30 EET', kyiv, '2026-10-26T06:30:00Z', 'Mon 08:30', false],
    ['Oct 26: winter time: 09:30 EET', kyiv, '2026-10-26T07:30:00Z', 'Mon 09:30', true],
    ['Oct 26: 17:59 EET', kyiv, '2026-10-26T15:59:00Z', 'Mon 17:59', true],
    ['Oct 26: 18:00 EET, the end is exclusive', kyiv, '2026-10-26T16:00:00Z', 'Mon 18:00', false],
    ['Saturday noon', kyiv, '2026-06-20T09:00:00Z', 'Sat 12:00', false],
  ]);
});

t.test('the changeover nights themselves', async (t) => {
  check(t, [
    ['NY spring-forward: 01:59 EST, then 02:xx never happens', only('America/New_York', [7], '02:00', '03:00'), '2026-03-08T06:59:00Z', 'Sun 01:59', false],
    ['NY spring-forward: the next minute is 03:00 EDT', only('America/New_York', [7], '02:00', '03:00'), '2026-03-08T07:00:00Z', 'Sun 03:00', false],
    ['NY spring-forward: 01:00-04:00 is open at 03:30 EDT', only('America/New_York', [7], '01:00', '04:00'), '2026-03-08T07:30:00Z', 'Sun 03:30', true],
    ['NY fall-back: 01:30 EDT (first time)', only('America/New_York', [7], '01:00', '02:00'), '2026-11-01T05:30:00Z', 'Sun 01:30', true],
    ['NY fall-back: 01:30 EST (second time)', only('America/New_York', [7], '01:00', '02:00'), '2026-11-01T06:30:00Z', 'Sun 01:30', true],
    ['NY fall-back: 02:00 EST', only('America/New_York', [7], '01:00', '02:00'), '2026-11-01T07:00:00Z', 'Sun 02:00', false],
    ['Kyiv spring-forward: 02:59 EET', only('Europe/Kyiv', [7], '03:00', '04:00'), '2026-03-29T00:59:00Z', 'Sun 02:59', false],
    ['Kyiv spring-forward: the next minute is 04:00 EEST', only('Europe/Kyiv', [7], '03:00', '04:00'), '2026-03-29T01:00:00Z', 'Sun 04:00', false],
    ['Kyiv fall-back: 03:30 EEST (first time)', only('Europe/Kyiv', [7], '03:00', '04:00'), '2026-10-25T00:30:00Z', 'Sun 03:30', true],
    ['Kyiv fall-back: 03:30 EET (second time)', only('Europe/Kyiv', [7], '03:00', '04:00'), '2026-10-25T01:30:00Z', 'Sun 03:30', true],
  ]);
});

t.test('overnight intervals', async (t) => {
  const fridayNight = only('Europe/Kyiv', [5], '22:00', '06:00');
  const sundayNight = only('Europe/Kyiv', [7], '22:00', '06:00');
  const nySaturdayNight = only('America/New_York', [6], '22:00', '06:00');
  check(t, [
    ['Friday 21:59', fridayNight, '2026-06-19T18:59:00Z', 'Fri 21:59', false],
    ['Friday 22:00', fridayNight, '2026-06-19T19:00:00Z', 'Fri 22:00', true],
    ['Saturday 05:59', fridayNight, '2026-06-20T02:59:00Z', 'Sat 05:59', true],
    ['Saturday 06:00', fridayNight, '2026-06-20T03:00:00Z', 'Sat 06:00', false],
    ['Thursday 23:00 (not a listed day)', fridayNight, '2026-06-18T20:00:00Z', 'Thu 23:00', false],
    ['Saturday 23:00 (not a listed day)', fridayNight, '2026-06-20T20:00:00Z', 'Sat 23:00', false],
    ['Sunday night wraps to Monday 05:00', sundayNight, '2026-06-15T02:00:00Z', 'Mon 05:00', true],
    ['NY Saturday night across spring-forward: 01:30 EST', nySaturdayNight, '2026-03-08T06:30:00Z', 'Sun 01:30', true],
    ['NY Saturday night across spring-forward: 05:30 EDT', nySaturdayNight, '2026-03-08T09:30:00Z', 'Sun 05:30', true],
    ['NY Saturday night across spring-forward: 06:30 EDT (a fixed -05:00 would say 05:30)', nySaturdayNight, '2026-03-08T10:30:00Z', 'Sun 06:30', false],
  ]);
});

t.test('24:00, several intervals, and no schedule', async (t) => {
  const evening = only('UTC', [1], '18:00', '24:00');
  const lunchBreak: WorkingHours = { timeZone: 'UTC', intervals: [{ days: [1], from: '09:00', to: '13:00' }, { days: [1], from: '14:00', to: '18:00' }] };
  check(t, [
    ['until 24:00: 23:59', evening, '2026-06-15T23:59:00Z', 'Mon 23:59', true],
    ['until 24:00: the next midnight is closed', evening, '2026-06-16T00:00:00Z', 'Tue 00:00', false],
    ['lunch break', lunchBreak, '2026-06-15T13:30:00Z', 'Mon 13:30', false],
    ['after lunch', lunchBreak, '2026-06-15T14:00:00Z', 'Mon 14:00', true],
  ]);
  t.equal(workingHoursStatus(undefined, new Date('2026-06-15T03:00:00Z')), 'open', 'no schedule: always open');
  t.equal(workingHoursStatus({ timeZone: 'UTC', intervals: [] }, new Date('2026-06-15T03:00:00Z')), 'closed', 'no intervals: never open');
});

t.test('malformed schedules are invalid, not open', async (t) => {
  const at = new Date('2026-06-15T10:00:00Z');
  const rows: [string, WorkingHours][] = [
    ['unknown time zone', weekdays('Mars/Olympus_Mons')],
    ['an offset is not a zone name', weekdays('+03:00')],
    ['from equals to', only('UTC', [1], '09:00', '09:00')],
    ['clock without a leading zero', only('UTC', [1], '9:00', '18:00')],
    ['24:00 as a start', only('UTC', [1], '24:00', '06:00')],
    ['weekday 8', only('UTC', [8], '09:00', '18:00')],
    ['weekday 0', only('UTC', [0], '09:00', '18:00')],
  ];
  for (const [name, schedule] of rows) t.equal(workingHoursStatus(schedule, at), 'invalid', name);
  t.equal(workingHoursStatus(weekdays('UTC'), new Date(Number.NaN)), 'invalid', 'an invalid date');
  t.notOk(isWithinWorkingHours(weekdays('Nowhere/Nothing'), at), 'invalid is not within working hours');
  t.same([clockMinutes('00:00'), clockMinutes('23:59'), clockMinutes('24:00'), clockMinutes('24:00', true), clockMinutes('12:60')], [0, 1439, undefined, 1440, undefined]);
});
