import t from 'tap';
import { isTimeZone, parseClock, parseSchedule } from '../../../src/routing/schedule.ts';

const weekdays = { time_zone: 'Europe/Kyiv', intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] };

t.test('time zones: IANA names that Intl knows', async (t) => {
  for (const zone of ['Europe/Kyiv', 'Europe/Kiev', 'America/New_York', 'UTC', 'Etc/GMT+3', 'America/Argentina/Buenos_Aires']) {
    t.ok(isTimeZone(zone), `${zone} is a time zone`);
  }
  for (const zone of ['Mars/Olympus_Mons', '+03:00', 'UTC+3', '', 'Europe/Kyiv ', 'Europe']) {
    t.notOk(isTimeZone(zone), `${JSON.stringify(zone)} is not`);
  }
});

t.test('clock times: HH:MM, 24-hour; 24:00 only as an end', async (t) => {
  const cases: Array<[string, boolean, number | undefined]> = [
    ['00:00', false, 0],
    ['09:30', false, 570],
    ['23:59', false, 1439],
    ['24:00', false, undefined],
    ['24:00', true, 1440],
    ['9:00', false, undefined],
    ['09:60', false, undefined],
    ['25:00', true, undefined],
    ['09:00:00', false, undefined],
    ['0900', false, undefined],
  ];
  for (const [text, endOfDay, minutes] of cases) t.equal(parseClock(text, { endOfDay }), minutes, `${text}${endOfDay ? ' (end)' : ''}`);
});

t.test('parseSchedule accepts a valid schedule and returns a copy', async (t) => {
  const r = parseSchedule(weekdays);
  t.ok(r.ok);
  if (r.ok) {
    t.same(r.schedule, weekdays);
    t.not(r.schedule.intervals, weekdays.intervals, 'a copy, not the input');
  }
  const overnight = parseSchedule({ time_zone: 'UTC', intervals: [{ days: [5], from: '22:00', to: '06:00' }] });
  t.ok(overnight.ok, 'overnight intervals (to earlier than from) are allowed');
  t.ok(parseSchedule({ time_zone: 'UTC', intervals: [{ days: [7], from: '00:00', to: '24:00' }] }).ok, 'a whole day');
});

t.test('parseSchedule names every problem with a pointer relative to the schedule', async (t) => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', 'always', ''],
    ['unknown zone', { ...weekdays, time_zone: 'Europe/Atlantis' }, '/time_zone'],
    ['zone not a string', { ...weekdays, time_zone: 3 }, '/time_zone'],
    ['no intervals', { time_zone: 'UTC', intervals: [] }, '/intervals'],
    ['unknown field', { ...weekdays, holidays: [] }, '/holidays'],
    ['day 0', { time_zone: 'UTC', intervals: [{ days: [0], from: '09:00', to: '18:00' }] }, '/intervals/0/days/0'],
    ['day 8', { time_zone: 'UTC', intervals: [{ days: [1, 8], from: '09:00', to: '18:00' }] }, '/intervals/0/days/1'],
    ['fractional day', { time_zone: 'UTC', intervals: [{ days: [1.5], from: '09:00', to: '18:00' }] }, '/intervals/0/days/0'],
    ['repeated day', { time_zone: 'UTC', intervals: [{ days: [1, 1], from: '09:00', to: '18:00' }] }, '/intervals/0/days/1'],
    ['no days', { time_zone: 'UTC', intervals: [{ days: [], from: '09:00', to: '18:00' }] }, '/intervals/0/days'],
    ['bad from', { time_zone: 'UTC', intervals: [{ days: [1], from: '9am', to: '18:00' }] }, '/intervals/0/from'],
    ['from 24:00', { time_zone: 'UTC', intervals: [{ days: [1], from: '24:00', to: '06:00' }] }, '/intervals/0/from'],
    ['bad to', { time_zone: 'UTC', intervals: [{ days: [1], from: '09:00', to: '18:61' }] }, '/intervals/0/to'],
    ['from equals to', { time_zone: 'UTC', intervals: [{ days: [1], from: '09:00', to: '09:00' }] }, '/intervals/0/to'],
    ['interval field', { time_zone: 'UTC', intervals: [{ days: [1], from: '09:00', to: '10:00', note: 'x' }] }, '/intervals/0/note'],
  ];
  for (const [name, input, field] of cases) {
    const r = parseSchedule(input);
    t.notOk(r.ok, `${name}: rejected`);
    if (!r.ok) t.ok(r.problems.some((p) => p.field === field), `${name}: names ${JSON.stringify(field)} (${JSON.stringify(r.problems)})`);
  }
  const several = parseSchedule({ time_zone: 'Nowhere/Else', intervals: [{ days: [9], from: 'x', to: 'y' }] });
  t.equal(several.ok ? 0 : several.problems.length, 4, 'all problems at once, not just the first');
});

t.test('parseSchedule limits: up to 50 intervals, 7 days each', async (t) => {
  const interval = { days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '20:00' };
  t.ok(parseSchedule({ time_zone: 'UTC', intervals: Array.from({ length: 50 }, () => interval) }).ok, '50 intervals');
  t.notOk(parseSchedule({ time_zone: 'UTC', intervals: Array.from({ length: 51 }, () => interval) }).ok, '51 intervals');
  const eight = parseSchedule({ time_zone: 'UTC', intervals: [{ ...interval, days: [1, 2, 3, 4, 5, 6, 7, 1] }] });
  t.same(eight.ok ? [] : eight.problems.map((p) => p.field), ['/intervals/0/days'], 'eight days');
});

t.test('parseSchedule never throws, whatever it is given', async (t) => {
  const junk: unknown[] = [null, undefined, 42, [], [weekdays], { time_zone: null, intervals: null }, { intervals: [null, 'x', []] }];
  for (const input of junk) {
    const r = parseSchedule(input);
    t.notOk(r.ok, `${JSON.stringify(input) ?? 'undefined'} is rejected`);
  }
});
