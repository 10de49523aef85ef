// When a failed webhook delivery is tried again. Pure and table-tested: the
// worker passes the attempt number, the time of the first attempt and a random
// number, so tests never wait for real time to pass.

/** The first retry waits about this long; each later one doubles it. */
export const BASE_DELAY_MS = 30_000;
/** No single wait is longer than this. */
export const MAX_DELAY_MS = 6 * 60 * 60_000;
/** A delivery is given up this long after its first attempt. */
export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60_000;

/**
 * The wait after `attempt` failed attempts (1 = the first one failed): full-size
 * exponential BASE·2^(attempt-1), capped at MAX, with ±20 % jitter from `random`
 * (a number in [0, 1)) so that endpoints coming back are not hit all at once.
 */
export function retryDelayMs(attempt: number, random: number): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const jitter = 0.8 + 0.4 * Math.min(Math.max(random, 0), 1);
  return Math.round(exp * jitter);
}

export type RetryDecision = { readonly retry: true; readonly at: Date } | { readonly retry: false; readonly reason: string };

/** Retry at now + delay, unless that is past three days after the first attempt. */
export function nextAttempt(attempt: number, firstAttemptAt: Date, now: Date, random: number): RetryDecision {
  const at = new Date(now.getTime() + retryDelayMs(attempt, random));
  if (at.getTime() - firstAttemptAt.getTime() > GIVE_UP_AFTER_MS) {
    return { retry: false, reason: `gave up after ${attempt} attempts over 3 days` };
  }
  return { retry: true, at };
}
