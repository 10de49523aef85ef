// Pool sizing (SPEC §4): the Poisson tail against reference values (computed with
// mpmath's regularised incomplete gamma to 50 digits, and scipy.stats.poisson.sf),
// the recommended size at 1%, and a whole sizing from λ and W.
import t from 'tap';
import { lnGamma, poissonTail, recommendedPoolSize, sizePool } from '../../../src/dni/sizing.ts';

const close = (actual: number, expected: number, relative = 1e-9): boolean =>
  expected === 0 ? actual === 0 : Math.abs(actual - expected) / Math.abs(expected) <= relative;

t.test('ln Γ against factorials and Γ(1/2)', async (t) => {
  // [x, ln Γ(x)]
  const rows: Array<[number, number]> = [
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [11, Math.log(3628800)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [171, 706.5730622457874], // ln 170!
    [1_000_001, 12815518.384658169], // ln 1e6!
  ];
  for (const [x, expected] of rows) t.ok(Math.abs(lnGamma(x) - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `ln Γ(${x}) = ${expected} (got ${lnGamma(x)})`);
});

t.test('P(Poisson(mean) > n) against reference values, small means to a million', async (t) => {
  // [mean, n, P(X > n)]
  const rows: Array<[number, number, number]> = [
    [10, 18, 0.00718650460385433],
    [10, 17, 0.0142776135970496],
    [1, 3, 0.0189881568761538],
    [1, 4, 0.00365984682734371],
    [0.5, 2, 0.0143876779669707],
    [2.5, 7, 0.00424669548934451],
    [2.5, 8, 0.00114025283260424],
    [0.01, 0, 0.00995016625083195],
    [0.01, 1, 4.96679133402659e-5],
    [100, 123, 0.0112435364942153],
    [100, 124, 0.00877359898867324],
    [1000, 1074, 0.00983130692902187],
    [1000, 1075, 0.00904939247791217],
    // below the mean: the tail is most of the mass
    [10, 5, 0.932914037120968],
    [10, 0, 0.999954600070238],
    [50, 30, 0.998405972681394],
    // a mean where e^-λ underflows: still exact to many digits
    [1_000_000, 1_002_326, 0.0100155353672532],
    [1_000_000, 1_002_320, 0.0101766609713191],
  ];
  for (const [mean, n, expected] of rows) {
    const got = poissonTail(mean, n);
    t.ok(close(got, expected, 1e-8), `P(Poisson(${mean}) > ${n}) = ${expected} (got ${got})`);
  }
});

t.test('edges of the tail', async (t) => {
  // [case, mean, n, P(X > n)]
  const rows: Array<[string, number, number, number]> = [
    ['a mean of zero never exceeds anything', 0, 0, 0],
    ['anything exceeds a negative size', 3, -1, 1],
    ['far above a small mean: nothing (underflow is zero, not NaN)', 1, 10_000, 0],
    ['far below a huge mean: certain', 1_000_000, 10, 1],
  ];
  for (const [name, mean, n, expected] of rows) t.equal(poissonTail(mean, n), expected, name);
  t.throws(() => poissonTail(-1, 3), RangeError, 'a negative mean is refused');
  t.throws(() => poissonTail(Number.NaN, 3), RangeError, 'NaN is refused');
});

t.test('the tail falls as the pool grows', async (t) => {
  for (const mean of [0.3, 7, 64, 5000]) {
    let last = 1;
    for (let n = 0; n < mean * 2 + 20; n += Math.max(1, Math.floor(mean / 50))) {
      const p = poissonTail(mean, n);
      if (p > last) t.fail(`mean ${mean}: P(X > ${n}) = ${p} rose above ${last}`);
      last = p;
    }
    t.pass(`mean ${mean}: non-increasing`);
  }
});

t.test('recommended size: the smallest N with P(Poisson(λW) > N) ≤ 1%', async (t) => {
  // [λW, N]
  const rows: Array<[number, number]> = [
    [0, 0],
    [0.01, 0],
    [0.5, 3],
    [1, 4],
    [2.5, 7],
    [10, 18],
    [30, 43],
    [100, 124],
    [1000, 1074],
    [10_000, 10_233],
    [1_000_000, 1_002_327],
  ];
  for (const [mean, size] of rows) {
    const n = recommendedPoolSize(mean);
    t.equal(n, size, `λW = ${mean}: ${size} numbers`);
    t.ok(poissonTail(mean, n) <= 0.01 && (n === 0 || poissonTail(mean, n - 1) > 0.01), `λW = ${mean}: ${n} is the smallest that meets 1%`);
  }
  t.equal(recommendedPoolSize(10, 0.05), 15, 'another target: 5% for a mean of 10');
  t.throws(() => recommendedPoolSize(10, 0), RangeError, 'a target of 0 is refused');
  t.throws(() => recommendedPoolSize(10, 1), RangeError, 'a target of 1 is refused');
});

t.test('a sizing from the busiest hour', async (t) => {
  // 120 visitors an hour holding 5 minutes each: λW = 120/3600 × 300 = 10
  const s = sizePool({ arrivalsPerHour: 120, meanHoldS: 300, currentSize: 12 });
  t.ok(close(s.offeredLoad, 10), `λW = 10 (got ${s.offeredLoad})`);
  t.equal(s.recommendedSize, 18);
  t.ok(close(s.exhaustionProbability, 0.208443523605126, 1e-8), `P(Poisson(10) > 12) ≈ 20.8% (got ${s.exhaustionProbability})`);
  t.equal(s.target, 0.01);
  const idle = sizePool({ arrivalsPerHour: 0, meanHoldS: 0, currentSize: 0 });
  t.same([idle.offeredLoad, idle.recommendedSize, idle.exhaustionProbability], [0, 0, 0], 'no visitors: no numbers needed, no risk');
  t.throws(() => sizePool({ arrivalsPerHour: -1, meanHoldS: 300, currentSize: 1 }), RangeError);
});
