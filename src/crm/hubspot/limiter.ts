// HubSpot's request budget, shared by every ringpath process through
// rate-limiter-flexible's PostgreSQL store (table crm_rate_limits).
//
// HubSpot counts requests in rolling windows (100 or 190 per 10 s, 4-5 searches
// per second); rate-limiter-flexible counts them in fixed windows. A rolling
// window can overlap several fixed ones, so `fixedWindowFor` picks a shorter
// fixed window with fewer points such that no rolling window, widened by a
// margin for the time between taking a token and HubSpot seeing the request,
// can ever hold more than the limit.
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '../../db/pool.ts';

export type RequestKind = 'standard' | 'search';

export interface FixedWindow {
  /** Points (requests) per window. */
  readonly points: number;
  /** Window length in whole milliseconds. */
  readonly durationMs: number;
}

/**
 * The fixed window that keeps every rolling `spanMs` window (plus `marginMs`)
 * within `limit` requests, with the best throughput; among windows within 10 %
 * of the best, the one with the most points (fewer round trips to PostgreSQL).
 *
 * Windows start at their first request and last `durationMs`, so they never
 * overlap. A rolling interval of length L = spanMs + marginMs meets at most
 * ceil(L / d) + 1 of them; with one point per window only the window's first
 * request counts, and at most ceil(L / d) of those fall inside.
 */
export function fixedWindowFor(limit: number, spanMs: number, marginMs: number): FixedWindow {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`a rate limit must be a positive integer (got ${limit})`);
  const span = spanMs + marginMs;
  const candidates: Array<FixedWindow & { rate: number }> = [];
  for (let points = 1; points <= limit; points++) {
    const windows = Math.floor(limit / points) - (points === 1 ? 0 : 1);
    if (windows < 1) continue;
    const durationMs = wholeMs(Math.ceil(span / windows));
    candidates.push({ points, durationMs, rate: points / durationMs });
  }
  const best = Math.max(...candidates.map((c) => c.rate));
  const chosen = candidates.filter((c) => c.rate >= best * 0.9).sort((a, b) => b.points - a.points)[0];
  if (!chosen) throw new Error('unreachable: one point per window always qualifies');
  return { points: chosen.points, durationMs: chosen.durationMs };
}

/**
 * rate-limiter-flexible takes seconds and stores `Date.now() + seconds * 1000`
 * in a bigint column: the product must come out a whole number of milliseconds.
 */
function wholeMs(ms: number): number {
  let d = ms;
  while ((d / 1000) * 1000 !== d) d++;
  return d;
}

/** How many requests the rolling window may hold at most with this fixed window (for tests and logs). */
export function worstCaseInSpan(w: FixedWindow, spanMs: number, marginMs: number): number {
  const windows = Math.ceil((spanMs + marginMs) / w.durationMs) + (w.points === 1 ? 0 : 1);
  return windows * w.points;
}

export interface HubSpotLimiter {
  /** Waits until a request of this kind may go out now, and takes its token(s). */
  acquire(kind: RequestKind): Promise<void>;
  /** After a 429: nobody, in any process, sends requests of this kind for `ms`. */
  pause(kind: RequestKind, ms: number): Promise<void>;
  readonly windows: Readonly<Record<RequestKind, FixedWindow>>;
}

export interface LimiterOptions {
  /** Requests per rolling 10 seconds. */
  readonly perTenSeconds: number;
  /** Search requests per rolling second (they count towards the 10-second budget too). */
  readonly searchPerSecond: number;
  /** Slack for the time between taking a token and HubSpot counting the request (ms). */
  readonly marginMs?: number;
}

const KEY = 'portal';
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createHubSpotLimiter(pool: Pool, opts: LimiterOptions): HubSpotLimiter {
  const standardWindow = fixedWindowFor(opts.perTenSeconds, 10_000, opts.marginMs ?? 250);
  const searchWindow = fixedWindowFor(opts.searchPerSecond, 1_000, opts.marginMs ?? 100);
  const store = { storeClient: pool, storeType: 'pool', tableName: 'crm_rate_limits', tableCreated: true, clearExpiredByTimeout: false };
  const limiter = (prefix: string, w: FixedWindow) =>
    new RateLimiterPostgres({ ...store, keyPrefix: prefix, points: w.points, duration: w.durationMs / 1000 });
  const standard = limiter('hubspot-standard', standardWindow);
  const search = limiter('hubspot-search', searchWindow);

  /** Consumes a point, or says how long to wait before the next try. */
  async function tryConsume(l: RateLimiterPostgres): Promise<number> {
    try {
      await l.consume(KEY);
      return 0;
    } catch (e) {
      if (e instanceof RateLimiterRes) return Math.max(1, e.msBeforeNext);
      throw e;
    }
  }
  // A little jitter so that waiters from several processes do not all retry in the same millisecond.
  const wait = (ms: number) => realSleep(ms + Math.floor(Math.random() * 15));

  return {
    windows: { standard: standardWindow, search: searchWindow },
    async acquire(kind) {
      for (;;) {
        if (kind === 'search') {
          // Take the search token only when the 10-second budget has room, so that
          // both tokens are taken just before the request goes out.
          const res = await standard.get(KEY);
          if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) {
            await wait(res.msBeforeNext);
            continue;
          }
          const searchWait = await tryConsume(search);
          if (searchWait > 0) {
            await wait(searchWait);
            continue;
          }
        }
        // A search token lost here (another process took the last standard token)
        // only costs throughput, never an extra request.
        const standardWait = await tryConsume(standard);
        if (standardWait === 0) return;
        await wait(standardWait);
      }
    },
    async pause(kind, ms) {
      await (kind === 'search' ? search : standard).block(KEY, Math.max(1, Math.ceil(ms / 1000)));
    },
  };
}
