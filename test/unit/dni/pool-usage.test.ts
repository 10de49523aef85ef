// Reading a pool's use, pure: runs of high utilisation, the peak minute, the hour that sizes the pool.
import t from 'tap';
import { busiestHour, highUtilisationWindows, peakOf, utilisation, type HourDemand, type UsageBucket } from '../../../src/dni/pool-usage.ts';

const T0 = Date.parse('2026-06-15T09:00:00Z');
const minute = (i: number) => new Date(T0 + i * 60_000);
/** Consecutive minutes from T0 with these holds. */
const series = (...holds: number[]): UsageBucket[] => holds.map((h, i) => ({ at: minute(i), holds: h }));
const repeat = (n: number, h: number): number[] => Array.from({ length: n }, () => h);

t.test('utilisation is holds over size, none for an empty pool', async (t) => {
  t.equal(utilisation(3, 4), 0.75);
  t.equal(utilisation(0, 0), null);
});

t.test('runs above 75% for 15 minutes or more', async (t) => {
  // pool of 4: 3 holds is exactly 75% (not above), 4 is 100%
  // [case, holds per minute, runs as [first minute, minutes, peak]]
  const rows: Array<[string, number[], Array<[number, number, number]>]> = [
    ['never above', repeat(30, 3), []],
    ['exactly 15 minutes above', [...repeat(2, 1), ...repeat(15, 4), 1], [[2, 15, 4]]],
    ['14 minutes above is not enough', [...repeat(14, 4), 1], []],
    ['a dip to 75% splits the run', [...repeat(10, 4), 3, ...repeat(10, 4)], []],
    ['two long runs', [...repeat(15, 4), 0, ...repeat(20, 4)], [[0, 15, 4], [16, 20, 4]]],
    ['a run to the end of the range', [...repeat(5, 0), ...repeat(16, 5)], [[5, 16, 5]]],
  ];
  for (const [name, holds, runs] of rows) {
    const got = highUtilisationWindows(series(...holds), 4);
    t.same(
      got.map((w) => [w.from, w.minutes, w.peakHolds, w.to]),
      runs.map(([first, n, peak]) => [minute(first), n, peak, minute(first + n)]),
      name,
    );
  }
  const gap = [...series(...repeat(10, 4)), ...series(...repeat(10, 4)).map((b) => ({ ...b, at: new Date(b.at.getTime() + 11 * 60_000) }))];
  t.same(highUtilisationWindows(gap, 4), [], 'a missing minute breaks a run');
  t.same(highUtilisationWindows(series(...repeat(20, 2)), 0), [], 'a pool with no numbers has no utilisation');
  t.equal(highUtilisationWindows(series(...repeat(5, 4)), 4, 0.5, 5).length, 1, 'threshold and length can be given');
});

t.test('the peak minute is the first with the most holds', async (t) => {
  t.same(peakOf(series(1, 3, 2, 3)), { at: minute(1), holds: 3 });
  t.equal(peakOf([]), undefined);
});

t.test('the busiest hour is the one with the highest offered load, turned-away visitors counted', async (t) => {
  const hour = (i: number, pooled: number, turnedAway: number, meanHoldS: number | null): HourDemand => ({
    from: new Date(T0 + i * 3_600_000),
    pooled,
    turnedAway,
    meanHoldS,
  });
  // [case, hours, busiest hour index, λ, W, λW]
  const rows: Array<[string, HourDemand[], number | undefined, number, number, number]> = [
    ['no demand at all', [], undefined, 0, 0, 0],
    ['more visitors holding briefly lose to fewer holding long', [hour(0, 360, 0, 60), hour(1, 120, 0, 900)], 1, 120, 900, 30],
    ['turned-away visitors make an hour busier', [hour(0, 100, 0, 360), hour(1, 100, 50, 360)], 1, 150, 360, 15],
    ['an equal load: more arrivals, then the earliest', [hour(0, 100, 0, 360), hour(1, 200, 0, 180), hour(2, 200, 0, 180)], 1, 200, 180, 10],
    ['an hour with nobody pooled has no hold', [hour(0, 0, 40, null)], 0, 40, 0, 0],
  ];
  for (const [name, hours, index, lambda, w, load] of rows) {
    const b = busiestHour(hours);
    if (index === undefined) {
      t.equal(b, undefined, name);
      continue;
    }
    t.same([b?.from, b?.arrivalsPerHour, b?.holdS], [hours[index]!.from, lambda, w], `${name}: hour ${index}, λ ${lambda}/h, W ${w} s`);
    t.ok(Math.abs((b?.offeredLoad ?? -1) - load) < 1e-9, `${name}: λW ${load}`);
  }
});
