// Injected failures: the next N requests fail with a 5xx, the whole service is
// down for a while (connection refused, connections reset, or 503), answers
// are slow, or answers are held back after the request was carried out (the
// write is made, the client does not hear of it until they are released).
import { matchesRoute, type RequestRecord, type RouteFilter } from './requests.ts';

export interface FailOptions {
  /** 500 by default. */
  status?: number;
  /** Only requests matching this filter fail (and use up the count). */
  route?: RouteFilter;
  /** Answer with an HTML page as a gateway would, instead of HubSpot's JSON error body. */
  html?: boolean;
  /** A Retry-After header (seconds), as HubSpot sends with 477 Migration in Progress. */
  retryAfterS?: number;
}

/** refuse: nothing listens (ECONNREFUSED); reset: connections are accepted and dropped; 503: every request gets 503. */
export type DownMode = 'refuse' | 'reset' | '503';

export interface Failure {
  readonly status: number;
  readonly html: boolean;
  readonly retryAfterS?: number | undefined;
}

/** HubSpot's error category and message for the statuses faults produce. */
export const FAULT_BODIES: Readonly<Record<number, readonly [category: string, message: string]>> = {
  401: ['INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication'],
  403: ['MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call."],
  423: ['LOCKED', 'The resource is locked; retry after at least 2 seconds'],
  477: ['MIGRATION_IN_PROGRESS', 'This portal is being migrated between data centers; retry after the time in Retry-After'],
  500: ['INTERNAL_ERROR', 'internal error'],
};

export class Faults {
  private queue: Array<{ remaining: number; status: number; html: boolean; retryAfterS?: number; route?: RouteFilter }> = [];
  private latency: { ms: number; route?: RouteFilter } = { ms: 0 };
  private holding: RouteFilter | undefined;
  private heldAnswers: Array<() => void> = [];
  downMode: DownMode | undefined;

  failNext(count: number, opts: FailOptions = {}): void {
    const entry: { remaining: number; status: number; html: boolean; retryAfterS?: number; route?: RouteFilter } = {
      remaining: count,
      status: opts.status ?? 500,
      html: opts.html ?? false,
    };
    if (opts.retryAfterS !== undefined) entry.retryAfterS = opts.retryAfterS;
    if (opts.route !== undefined) entry.route = opts.route;
    this.queue.push(entry);
  }

  /** The failure this request gets, if any; uses one up. */
  take(r: RequestRecord): Failure | undefined {
    const entry = this.queue.find((e) => e.remaining > 0 && matchesRoute(e.route, r));
    if (!entry) return undefined;
    entry.remaining--;
    this.queue = this.queue.filter((e) => e.remaining > 0);
    return { status: entry.status, html: entry.html, retryAfterS: entry.retryAfterS };
  }

  pending(): number {
    return this.queue.reduce((n, e) => n + e.remaining, 0);
  }

  setLatency(ms: number, route?: RouteFilter): void {
    this.latency = route === undefined ? { ms } : { ms, route };
  }

  latencyFor(r: RequestRecord): number {
    return matchesRoute(this.latency.route, r) ? this.latency.ms : 0;
  }

  /** From now on, answers to matching requests wait, after the request was carried out, until release(). */
  holdAnswers(route: RouteFilter | undefined): void {
    this.holding = route ?? (() => true);
  }

  /** Resolves once the answer to this request may leave: at once, or at release(). */
  answerGate(r: RequestRecord): Promise<void> | undefined {
    if (this.holding === undefined || !matchesRoute(this.holding, r)) return undefined;
    return new Promise((resolve) => this.heldAnswers.push(resolve));
  }

  /** Answers held back now. */
  held(): number {
    return this.heldAnswers.length;
  }

  /** Stops holding answers and lets the held ones go. */
  release(): void {
    this.holding = undefined;
    const held = this.heldAnswers;
    this.heldAnswers = [];
    for (const go of held) go();
  }

  clear(): void {
    this.queue = [];
    this.latency = { ms: 0 };
    this.release();
  }
}
