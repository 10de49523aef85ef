import t from 'tap';
import { BASE_DELAY_MS, GIVE_UP_AFTER_MS, MAX_DELAY_MS, nextAttempt, retryDelayMs } from '../../../src/outbound/backoff.ts';

t.test('the wait doubles with each failed attempt, with ±20 % jitter, and is capped', async (t) => {
  // [attempt, random, expected ms]
  const rows: Array<[number, number, number]> = [
    [1, 0.5, BASE_DELAY_MS],
    [2, 0.5, 2 * BASE_DELAY_MS],
    [3, 0.5, 4 * BASE_DELAY_MS],
    [1, 0, 0.8 * BASE_DELAY_MS],
    [1, 0.999999, Math.round(1.2 * BASE_DELAY_MS - 0.4 * BASE_DELAY_MS * 0.000001)],
    [10, 0.5, 512 * BASE_DELAY_MS], // 30 s · 2^9 = 4 h 16 min
    [11, 0.5, MAX_DELAY_MS], // 30 s · 2^10 is over 6 h
    [100, 0.5, MAX_DELAY_MS],
    [0, 0.5, BASE_DELAY_MS],
  ];
  for (const [attempt, random, expected] of rows) t.equal(retryDelayMs(attempt, random), expected, `attempt ${attempt}, random ${random}`);
});

t.test('retries stop three days after the first attempt', async (t) => {
  const first = new Date('2026-01-01T00:00:00Z');
  const justBefore = new Date(first.getTime() + GIVE_UP_AFTER_MS - MAX_DELAY_MS - 1000);
  const late = new Date(first.getTime() + GIVE_UP_AFTER_MS - 60_000);
  const early = nextAttempt(1, first, first, 0.5);
  t.same(early, { retry: true, at: new Date(first.getTime() + BASE_DELAY_MS) }, 'the first retry comes 30 s later');
  t.equal(nextAttempt(12, first, justBefore, 0.5).retry, true, 'a retry that still lands inside 3 days is made');
  const given = nextAttempt(13, first, late, 0.5);
  t.equal(given.retry, false, 'one that would land after 3 days is not');
  t.match(given, { reason: /gave up after 13 attempts over 3 days/ });
});
