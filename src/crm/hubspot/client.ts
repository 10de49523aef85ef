// The one way ringpath talks to HubSpot: the official client, with every
// request drawn from the budget all ringpath processes share, 429s waited out,
// transient failures retried with backoff, and one error type for the rest.
import { Client } from '@hubspot/api-client';
import type { CrmConfig } from '../../config.ts';
import type { Pool } from '../../db/pool.ts';
import type { Logger } from '../../logger.ts';
import { createHubSpotLimiter, type HubSpotLimiter, type RequestKind } from './limiter.ts';

export interface HubSpotGateway {
  /** @hubspot/api-client, basePath = config.hubspotBaseUrl, no retries of its own. */
  readonly client: Client;
  /**
   * One HubSpot request within the limits shared by every process: waits for a
   * token from the 10-second limiter (and the per-second search limiter for kind
   * 'search'), honours 429 + Retry-After by waiting and retrying, retries 5xx and
   * network errors, 408, 423 (at least 2 s apart) and 477 with exponential backoff and
   * jitter, never sooner than a Retry-After (bounded attempts); throws HubSpotError when
   * it gives up, when HubSpot asks for a longer wait than maxInlineWaitMs (deferMs set),
   * or when the error is permanent (any other 4xx).
   */
  call<T>(kind: RequestKind, what: string, fn: (client: Client) => Promise<T>): Promise<T>;
}

export interface GatewayOptions {
  /** Attempts per call for 5xx, network errors and timeouts, the first included (default 5). */
  maxAttempts?: number;
  /** Waits between retries (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  /** A request that has not answered after this long counts as a network error (default 30 s). */
  timeoutMs?: number;
  /** 429s waited out per call before giving up (default 20). */
  maxRateLimitWaits?: number;
  /**
   * The longest wait the gateway sleeps through itself (default 30 s). A transient
   * answer asking for more (477 with a Retry-After of hours) is thrown at once as a
   * retryable HubSpotError with retryAfterMs, and the job queue runs the job again then.
   */
  maxInlineWaitMs?: number;
}

export class HubSpotError extends Error {
  /** HTTP status; undefined when no answer came (network error, timeout). */
  status: number | undefined;
  /** HubSpot's error category (VALIDATION_ERROR, RATE_LIMITS, ...), or NETWORK / TIMEOUT / CLIENT. */
  category: string | undefined;
  /** True when the same request may succeed later (HubSpot down, rate limited); false when it never will. */
  retryable: boolean;
  /** How long HubSpot asked to wait (Retry-After of a 429, 477 or 5xx; at least 2 s for a 423), when it said. */
  retryAfterMs: number | undefined;
  /** HubSpot's error body, for callers that read validation details. */
  body: unknown;
  /** Set when HubSpot asked not to be called again for longer than the gateway waits itself: run the job again after this long. */
  deferMs: number | undefined;

  constructor(message: string, init: HubSpotErrorInit, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubSpotError';
    this.status = init.status;
    this.category = init.category;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
    this.deferMs = init.deferMs;
  }

  static from(message: string, f: Failure, cause: unknown, deferMs?: number): HubSpotError {
    const init = { status: f.status, category: f.category, retryable: f.kind !== 'permanent', retryAfterMs: f.retryAfterMs, body: f.body, deferMs };
    return new HubSpotError(message, init, { cause });
  }
}

export interface HubSpotErrorInit {
  readonly status?: number | undefined;
  readonly category?: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs?: number | undefined;
  readonly body?: unknown;
  readonly deferMs?: number | undefined;
}

export interface Failure {
  readonly kind: 'rate-limit' | 'transient' | 'permanent';
  readonly status: number | undefined;
  readonly category: string | undefined;
  /** 429 policy: TEN_SECONDLY_ROLLING, SECONDLY or DAILY. */
  readonly policy: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string;
  readonly body: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);

class TimeoutError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** HubSpot's "locked" answer: the same request may go through once the record is free, no sooner than 2 s. */
export const LOCKED_MIN_WAIT_MS = 2_000;

/**
 * Statuses that say "not now" rather than "never": 408 (timeout), 423 Locked, 477
 * Migration in Progress, and every 5xx (502, 503, 504 and Cloudflare's 524 among them).
 * Every other 4xx except 429 is a real client error. Pure.
 */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 423 || status === 477;
}

/** The least wait a transient answer asks for: its Retry-After, and at least 2 s after a 423. Pure. */
export function transientWaitMs(status: number, retryAfter: number | undefined): number | undefined {
  if (status === 423) return Math.max(LOCKED_MIN_WAIT_MS, retryAfter ?? 0);
  return retryAfter;
}

/** What went wrong with one request, read from what @hubspot/api-client throws. Pure. */
export function classifyFailure(err: unknown): Failure {
  const base = { status: undefined, category: undefined, policy: undefined, retryAfterMs: undefined, body: undefined };
  if (err instanceof TimeoutError) return { ...base, kind: 'transient', category: 'TIMEOUT', detail: err.message };
  if (isRecord(err) && typeof err.code === 'number') {
    // the client's ApiException: status, parsed body, headers
    const status = err.code;
    const body = err.body;
    const b = isRecord(body) ? body : {};
    const category = typeof b.category === 'string' ? b.category : undefined;
    const message = typeof b.message === 'string' ? b.message : typeof body === 'string' ? body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200) : '';
    const detail = `HubSpot answered ${status}${category ? ` ${category}` : ''}${message ? `: ${message}` : ''}`;
    const common = { status, category, body, detail, policy: undefined, retryAfterMs: undefined };
    if (status === 429) {
      const policy = typeof b.policyName === 'string' ? b.policyName : undefined;
      return { ...common, kind: 'rate-limit', policy, retryAfterMs: retryAfterMs(headerValue(err.headers, 'retry-after')) };
    }
    if (isTransientStatus(status)) return { ...common, kind: 'transient', retryAfterMs: transientWaitMs(status, retryAfterMs(headerValue(err.headers, 'retry-after'))) };
    return { ...common, kind: 'permanent' };
  }
  if (err instanceof Error) {
    const code = isRecord(err) && typeof err.code === 'string' ? err.code : undefined;
    const system = isRecord(err) && (err.type === 'system' || err.name === 'FetchError' || err.name === 'AbortError');
    if ((code !== undefined && NETWORK_CODES.has(code)) || system) {
      return { ...base, kind: 'transient', category: 'NETWORK', detail: `no answer from HubSpot: ${code ?? err.message}` };
    }
    return { ...base, kind: 'permanent', category: 'CLIENT', detail: err.message };
  }
  return { ...base, kind: 'permanent', category: 'CLIENT', detail: String(err) };
}

/** Exponential backoff with "equal jitter": half fixed, half random; 250 ms, 500 ms, 1 s, ... up to 15 s. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(15_000, 250 * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer from HubSpot within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The official client as ringpath configures it everywhere (no client-side retries or throttling). */
export function hubspotClient(config: Pick<CrmConfig, 'hubspotToken' | 'hubspotBaseUrl'>): Client {
  if (!config.hubspotToken) throw new Error('CRM sync is off: set HUBSPOT_TOKEN');
  // Every new Client() resets a process-wide retry setting: always the same values.
  return new Client({ accessToken: config.hubspotToken, basePath: config.hubspotBaseUrl, numberOfApiCallRetries: 0 });
}

export function createHubSpotGateway(
  config: CrmConfig,
  pool: Pool,
  logger: Logger,
  opts: GatewayOptions = {},
): HubSpotGateway {
  const client = hubspotClient(config);
  const limiter: HubSpotLimiter = createHubSpotLimiter(pool, {
    perTenSeconds: config.hubspotRateLimit,
    searchPerSecond: config.hubspotSearchRateLimit,
  });
  const log = logger.child({ component: 'hubspot' });
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const maxRateLimitWaits = opts.maxRateLimitWaits ?? 20;
  const sleep = opts.sleep ?? defaultSleep;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxInlineWaitMs = opts.maxInlineWaitMs ?? 30_000;

  return {
    client,
    async call(kind, what, fn) {
      let failures = 0;
      let rateLimited = 0;
      for (;;) {
        await limiter.acquire(kind);
        const started = Date.now();
        try {
          const result = await withTimeout(fn(client), timeoutMs, what);
          log.debug({ what, kind, ms: Date.now() - started }, 'HubSpot request done');
          return result;
        } catch (err) {
          const f = classifyFailure(err);
          if (f.kind === 'rate-limit') {
            rateLimited++;
            if (f.policy === 'DAILY') {
              // The daily quota resets at midnight in the portal's time zone: the job comes back then.
              throw HubSpotError.from(`${what}: ${f.detail} (daily limit reached)`, f, err, f.retryAfterMs ?? 3_600_000);
            }
            if (rateLimited > maxRateLimitWaits) {
              throw HubSpotError.from(`${what}: ${f.detail} (rate limited ${rateLimited} time(s); giving up)`, f, err);
            }
            const waitMs = f.retryAfterMs ?? (f.policy === 'SECONDLY' ? 1_000 : 10_000);
            const paused: RequestKind = f.policy === 'SECONDLY' ? 'search' : 'standard';
            log.warn({ what, policy: f.policy, waitMs }, `HubSpot rate limit reached: every process waits ${waitMs} ms`);
            await limiter.pause(paused, waitMs);
            continue;
          }
          if (f.kind === 'transient') {
            failures++;
            if ((f.retryAfterMs ?? 0) > maxInlineWaitMs) {
              log.warn({ what, status: f.status, retryAfterMs: f.retryAfterMs }, 'HubSpot asked to come back later; the job is deferred');
              throw HubSpotError.from(`${what}: ${f.detail} (HubSpot asked to retry in ${Math.round((f.retryAfterMs ?? 0) / 1000)} s)`, f, err, f.retryAfterMs);
            }
            if (failures >= maxAttempts) {
              log.warn({ what, attempts: failures, detail: f.detail }, 'HubSpot request failed; giving up for now');
              throw HubSpotError.from(`${what}: ${f.detail} (after ${failures} attempts)`, f, err);
            }
            const delay = Math.max(backoffMs(failures), f.retryAfterMs ?? 0);
            log.warn({ what, attempt: failures, delayMs: delay, detail: f.detail }, 'HubSpot request failed; retrying');
            await sleep(delay);
            continue;
          }
          throw HubSpotError.from(`${what}: ${f.detail}`, f, err);
        }
      }
    },
  };
}
