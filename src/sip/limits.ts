// Per-source-IP limits on the SIP side, kept in PostgreSQL so that every
// ringpath process sees the same counters (rate-limiter-flexible).
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '../db/pool.ts';

export interface SipLimits {
  /** True while the address is locked out after too many failed authentications. */
  lockedOut(ip: string): Promise<boolean>;
  authFailed(ip: string): Promise<void>;
  authSucceeded(ip: string): Promise<void>;
  /** False when the address sends REGISTERs faster than allowed; retry after the given seconds. */
  allowRegister(ip: string): Promise<{ allowed: boolean; retryAfterS: number }>;
}

export function sipLimits(pool: Pool, opts: { authFailureLimit: number; registerPerMinute: number }): SipLimits {
  const common = { storeClient: pool, storeType: 'pool', tableName: 'sip_rate_limits', tableCreated: true, clearExpiredByTimeout: false };
  const failures = new RateLimiterPostgres({
    ...common,
    keyPrefix: 'auth',
    points: opts.authFailureLimit,
    duration: 600,
    blockDuration: 600,
  });
  const registers = new RateLimiterPostgres({ ...common, keyPrefix: 'register', points: opts.registerPerMinute, duration: 60 });
  return {
    async lockedOut(ip) {
      const res = await failures.get(ip);
      return res !== null && res.consumedPoints >= opts.authFailureLimit;
    },
    async authFailed(ip) {
      await failures.consume(ip).catch((e: unknown) => {
        if (!(e instanceof RateLimiterRes)) throw e;
      });
    },
    async authSucceeded(ip) {
      // a success does not lift a lockout, but forgets earlier stray failures
      const res = await failures.get(ip);
      if (res && res.consumedPoints < opts.authFailureLimit) await failures.delete(ip);
    },
    async allowRegister(ip) {
      try {
        await registers.consume(ip);
        return { allowed: true, retryAfterS: 0 };
      } catch (e) {
        if (e instanceof RateLimiterRes) return { allowed: false, retryAfterS: Math.ceil(e.msBeforeNext / 1000) };
        throw e;
      }
    },
  };
}
