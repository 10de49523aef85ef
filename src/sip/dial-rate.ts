// The per-account rate of new outbound calls (SPEC §5 "Outbound", dial plan): a
// stolen SIP password must not place hundreds of calls a minute. rate-limiter-flexible
// counts calls in fixed one-minute windows per account: in PostgreSQL
// (sip_rate_limits, shared by every ringpath process) or in memory (one process).
//
// The limit is given on each call, not when the adapter is built, because it is a
// setting (dial_plan_calls_per_minute) that can change while ringpath runs; the
// counter is the same whatever the limit, so a change applies at once.
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '../db/pool.ts';

export interface OutboundRateVerdict {
  readonly allowed: boolean;
  /** Seconds until the account's window ends; 0 when allowed. */
  readonly retryAfterS: number;
}

export interface OutboundCallRate {
  /**
   * Count a new outbound call of `account` (the SIP login, or the employee id) and
   * say whether it is within `perMinute`. Refused calls are counted too, but never
   * extend the window: the account may call again once its minute is over.
   */
  allow(account: string, perMinute: number): Promise<OutboundRateVerdict>;
}

const WINDOW_S = 60;
/** The store counts every call; the limit is compared here (see the top of the file). */
const UNBOUNDED = 2 ** 31 - 1;
const KEY_PREFIX = 'dial';

function rateOn(limiter: RateLimiterAbstract): OutboundCallRate {
  return {
    async allow(account, perMinute) {
      const res: RateLimiterRes = await limiter.consume(account);
      if (res.consumedPoints <= perMinute) return { allowed: true, retryAfterS: 0 };
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
    },
  };
}

/** Counters in the sip_rate_limits table, beside the REGISTER and authentication limits (src/sip/limits.ts). */
export function outboundCallRatePostgres(pool: Pool): OutboundCallRate {
  return rateOn(
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'sip_rate_limits',
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: KEY_PREFIX,
      points: UNBOUNDED,
      duration: WINDOW_S,
    }),
  );
}

/** Counters in this process only: tests, and tools that place calls from one process. */
export function outboundCallRateMemory(): OutboundCallRate {
  return rateOn(new RateLimiterMemory({ keyPrefix: KEY_PREFIX, points: UNBOUNDED, duration: WINDOW_S }));
}
