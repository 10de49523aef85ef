// HubSpot's limits for a private app: a rolling 10-second window (100 or 190
// requests depending on the plan), a daily quota, and a separate per-second
// limit for the search endpoints. Search requests also count towards the
// 10-second window here, which is the cautious reading of HubSpot's docs.
// Rejected requests do not count. Search responses carry no X-HubSpot-RateLimit
// headers, as on HubSpot.
import type { RouteKind } from './router.ts';
import type { RateLimitBody } from './wire.ts';

export interface RateLimitConfig {
  /** Requests per rolling 10 seconds (HubSpot: 100 or 190). */
  perTenSeconds: number;
  /** Search requests per second (HubSpot: 4–5). */
  searchPerSecond: number;
  /** Requests per day (HubSpot: 250,000 to 1,000,000). */
  daily: number;
  /** Whether a 429 carries Retry-After (default true); HubSpot does not always send it. */
  retryAfter?: boolean;
}

/** A private app's documented limits by the portal's plan (10-second burst, daily). */
export const PLAN_LIMITS = {
  free: { perTenSeconds: 100, daily: 250_000 },
  starter: { perTenSeconds: 100, daily: 250_000 },
  professional: { perTenSeconds: 190, daily: 625_000 },
  enterprise: { perTenSeconds: 190, daily: 1_000_000 },
} as const satisfies Record<string, Pick<RateLimitConfig, 'perTenSeconds' | 'daily'>>;

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { ...PLAN_LIMITS.professional, searchPerSecond: 5, retryAfter: true };

export type Policy = RateLimitBody['policyName'];

export type Admission =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; policy: Policy; message: string; headers: Record<string, string> };

const MESSAGES: Record<Policy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};

export class RateLimiter {
  private general: number[] = [];
  private search: number[] = [];
  private dailyCount = 0;
  private dayStart = Date.now();

  constructor(public config: RateLimitConfig) {}

  reset(): void {
    this.general = [];
    this.search = [];
    this.dailyCount = 0;
    this.dayStart = Date.now();
  }

  /** Admits (and counts) a request, or says which policy rejects it. */
  admit(kind: RouteKind, now = Date.now()): Admission {
    if (now - this.dayStart >= 86_400_000) {
      this.dayStart = now;
      this.dailyCount = 0;
    }
    this.general = this.general.filter((t) => t > now - 10_000);
    this.search = this.search.filter((t) => t > now - 1_000);
    const { perTenSeconds, searchPerSecond, daily } = this.config;
    const retryAfter = (window: number[], span: number) => String(Math.max(1, Math.ceil(((window[0] ?? now) + span - now) / 1000)));
    const headers = (): Record<string, string> =>
      kind === 'search'
        ? {}
        : {
            'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
            'X-HubSpot-RateLimit-Max': String(perTenSeconds),
            'X-HubSpot-RateLimit-Remaining': String(Math.max(0, perTenSeconds - this.general.length)),
            'X-HubSpot-RateLimit-Daily': String(daily),
            'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, daily - this.dailyCount)),
          };
    const reject = (policy: Policy, retry: string): Admission => ({
      ok: false,
      policy,
      message: MESSAGES[policy],
      headers: this.config.retryAfter === false ? headers() : { ...headers(), 'Retry-After': retry },
    });
    if (this.dailyCount >= daily) return reject('DAILY', String(Math.ceil((this.dayStart + 86_400_000 - now) / 1000)));
    if (kind === 'search' && this.search.length >= searchPerSecond) return reject('SECONDLY', retryAfter(this.search, 1_000));
    if (this.general.length >= perTenSeconds) return reject('TEN_SECONDLY_ROLLING', retryAfter(this.general, 10_000));
    this.general.push(now);
    if (kind === 'search') this.search.push(now);
    this.dailyCount++;
    return { ok: true, headers: headers() };
  }
}
