// Per-source-IP limits on the SIP side: a lockout after repeated failed digest
// authentications, and a REGISTER rate. In production the counters live in
// PostgreSQL so every ringpath process sees the same ones; the rules are the
// same whatever the store (rate-limiter-flexible).
import { RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Pool } from '../db/pool.ts';

export interface SipLimits {
  /** True while the address is locked out after too many failed authentications. */
  lockedOut(ip: string): Promise<boolean>;
  authFailed(ip: string): Promise<void>;
  authSucceeded(ip: string): Promise<void>;
  /** False when the address sends REGISTERs faster than allowed; retry after the given seconds. */
  allowRegister(ip: string): Promise<{ allowed: boolean; retryAfterS: number }>;
}

/**
 * The rules over two counters:
 * - `limit` failures within the window lock the address out for the block time;
 * - a successful authentication never lifts a lockout (a password guessed right
 *   after many wrong ones is exactly what the lockout is for), but below the limit
 *   it forgets earlier stray failures;
 * - REGISTERs beyond the rate are refused with the time to wait.
 */
export function lockoutRules(failures: RateLimiterAbstract, registers: RateLimiterAbstract, limit: number): SipLimits {
  return {
    async lockedOut(ip) {
      const res = await failures.get(ip);
      return res !== null && res.consumedPoints >= limit;
    },
    async authFailed(ip) {
      await failures.consume(ip).catch((e: unknown) => {
        if (!(e instanceof RateLimiterRes)) throw e;
      });
    },
    async authSucceeded(ip) {
      const res = await failures.get(ip);
      if (res && res.consumedPoints < limit) await failures.delete(ip);
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

export function sipLimits(pool: Pool, opts: { authFailureLimit: number; registerPerMinute: number }): SipLimits {
  const common = { storeClient: pool, storeType: 'pool', tableName: 'sip_rate_limits', tableCreated: true, clearExpiredByTimeout: false };
  const failures = new RateLimiterPostgres({ ...common, keyPrefix: 'auth', points: opts.authFailureLimit, duration: 600, blockDuration: 600 });
  const registers = new RateLimiterPostgres({ ...common, keyPrefix: 'register', points: opts.registerPerMinute, duration: 60 });
  return lockoutRules(failures, registers, opts.authFailureLimit);
}
