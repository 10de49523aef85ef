// How many numbers a site's pool needs (SPEC §4 "Pool report"). Visitors arrive
// at rate λ and each holds a number for a while (mean W, any distribution): an
// M/G/∞ system, whose number of holds in use is Poisson-distributed with mean
// λ·W (Little's law). A pool of N numbers runs out when more than N would be
// held, so the recommendation is the smallest N with P(Poisson(λ_peak·W) > N) ≤ 1%,
// and today's exhaustion risk is P(Poisson(λ_peak·W) > current size). Pure.
//
// The tail is summed in whichever direction its terms shrink, each term from
// the last by a ratio (λ/k upwards, k/λ downwards), starting from one term taken
// in log space; so it holds for means in the millions, where e^-λ underflows.

/** The exhaustion probability a recommended pool may have: 1%. */
export const EXHAUSTION_TARGET = 0.01;

// Lanczos approximation (g = 7, 9 coefficients): ln Γ(x) to about 15 significant digits.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(Poisson(mean) = k), for mean > 0 and an integer k ≥ 0. */
function lnPmf(k: number, mean: number): number {
  return k * Math.log(mean) - mean - lnGamma(k + 1);
}

function checkMean(mean: number): void {
  if (!Number.isFinite(mean) || mean < 0) throw new RangeError(`a Poisson mean is a finite number ≥ 0 (got ${mean})`);
}

/** P(Poisson(mean) > n). */
export function poissonTail(mean: number, n: number): number {
  checkMean(mean);
  const k0 = Math.floor(n);
  if (k0 < 0) return 1;
  if (mean === 0) return 0;
  if (k0 + 1 >= mean) {
    // the upper tail itself: from k0 + 1 the terms only shrink
    let term = Math.exp(lnPmf(k0 + 1, mean));
    let sum = 0;
    for (let k = k0 + 1; term > 0 && term > sum * 1e-17; ) {
      sum += term;
      k++;
      term *= mean / k;
    }
    return Math.min(1, sum);
  }
  // below the mean the tail is large: 1 − P(X ≤ k0), the terms shrinking from k0 down
  let term = Math.exp(lnPmf(k0, mean));
  let sum = 0;
  for (let k = k0; k >= 0 && term > 0; k--) {
    sum += term;
    if (term <= sum * 1e-17) break;
    term *= k / mean;
  }
  return Math.max(0, 1 - sum);
}

/** The smallest N ≥ 0 with P(Poisson(mean) > N) ≤ target. */
export function recommendedPoolSize(mean: number, target = EXHAUSTION_TARGET): number {
  checkMean(mean);
  if (!(target > 0 && target < 1)) throw new RangeError(`the exhaustion target is a probability between 0 and 1 (got ${target})`);
  let lo = 0;
  let hi = Math.ceil(mean + 10 * Math.sqrt(mean) + 10);
  while (poissonTail(mean, hi) > target) hi *= 2;
  // invariant: tail(hi) ≤ target; the answer is in [lo, hi]
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (poissonTail(mean, mid) <= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface SizingInput {
  /** Pool sessions started per hour in the busiest hour (λ_peak). */
  readonly arrivalsPerHour: number;
  /** Their mean hold, in seconds (W). */
  readonly meanHoldS: number;
  /** The pool's numbers today. */
  readonly currentSize: number;
  readonly target?: number;
}

export interface Sizing {
  /** λ·W: the mean number of holds in use at the busiest hour. */
  readonly offeredLoad: number;
  readonly recommendedSize: number;
  /** P(Poisson(λ·W) > current size): how often a visitor at the busiest hour would find the pool exhausted. */
  readonly exhaustionProbability: number;
  readonly target: number;
}

export function sizePool(input: SizingInput): Sizing {
  const target = input.target ?? EXHAUSTION_TARGET;
  if (!(input.arrivalsPerHour >= 0) || !(input.meanHoldS >= 0)) {
    throw new RangeError(`arrivals per hour and mean hold are ≥ 0 (got ${input.arrivalsPerHour}, ${input.meanHoldS})`);
  }
  const offeredLoad = (input.arrivalsPerHour * input.meanHoldS) / 3600;
  return {
    offeredLoad,
    recommendedSize: recommendedPoolSize(offeredLoad, target),
    exhaustionProbability: poissonTail(offeredLoad, input.currentSize),
    target,
  };
}
