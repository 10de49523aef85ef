// Opening a DNI session (SPEC §4 "Allocation"): the visit's touch, combined with
// the visitor's stored one per the site's model, decides which number to show:
//  (a) a source rule's static number; (b) the fallback for a bot; (c) the visitor's
//  previous pool number when it is free; (d) the free pool number released longest
//  ago; (e) the fallback when none is free (counted as pool exhaustion).
// The choice between (a), (b) and the pool is pure (chooseNumberSource); the pool
// itself is taken in one PostgreSQL statement (src/db/repositories/dni-sessions.ts).
import { randomUUID } from 'node:crypto';
import { isbot } from 'isbot';
import type { Queryable } from '../db/pool.ts';
import {
  allocateFromPool,
  allocateManyFromPool,
  openFixedSession,
  visitorHistory,
  type DniSite,
  type DniSourceRule,
  type PoolRequest,
  type SessionInput,
  type SessionOutcome,
} from '../db/repositories/dni-sessions.ts';
import { Coalescer } from './coalesce.ts';
import { combineTouches } from './model.ts';
import { matchSourceRule } from './rules.ts';
import { readTouch } from './sources.ts';
import type { Touch } from './types.ts';

export interface SessionRequest {
  /** The visitor id from an earlier response; null for a new visitor. */
  readonly visitor: string | null;
  readonly page: string;
  readonly referrer: string | null;
  readonly gaClientId: string | null;
  readonly gaSessionId: string | null;
  /** navigator.webdriver as the snippet saw it. */
  readonly webdriver: boolean;
  readonly userAgent: string | null;
  /** The client's address (behind trusted proxies, from X-Forwarded-For). */
  readonly ip: string | null;
}

export type NumberSource =
  | { readonly kind: 'static'; readonly rule: DniSourceRule }
  | { readonly kind: 'bot' }
  | { readonly kind: 'no_pool' }
  | { readonly kind: 'pool'; readonly poolId: number };

/**
 * Bots, crawlers and headless browsers: what isbot recognises in the User-Agent,
 * a browser driven by automation (navigator.webdriver), and a request with no
 * User-Agent at all, which no browser sends.
 */
export function isBotVisit(userAgent: string | null, webdriver: boolean): boolean {
  if (webdriver || !userAgent || userAgent.trim() === '') return true;
  let bot = botVerdicts.get(userAgent);
  if (bot === undefined) {
    bot = isbot(userAgent);
    // visitors share a few thousand User-Agents: remember the verdicts, within bounds
    if (botVerdicts.size >= MAX_BOT_VERDICTS) botVerdicts.clear();
    botVerdicts.set(userAgent, bot);
  }
  return bot;
}

const MAX_BOT_VERDICTS = 5_000;
const botVerdicts = new Map<string, boolean>();

/** Where the number comes from: a rule first, then bots, then the pool. */
export function chooseNumberSource(site: Pick<DniSite, 'rules' | 'pool_id'>, touch: Touch, bot: boolean): NumberSource {
  const rule = matchSourceRule(site.rules, touch);
  if (rule) return { kind: 'static', rule };
  if (bot) return { kind: 'bot' };
  if (site.pool_id === null) return { kind: 'no_pool' };
  return { kind: 'pool', poolId: site.pool_id };
}

/** An opaque, random visitor id: 122 random bits as 32 hex digits (randomUUID draws from a buffered source). */
export function newVisitorId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Most new visitors of one pool allocated by one statement. */
const MAX_BATCH = 64;
/**
 * Allocation statements of one pool at the database at once, per process. Two, not
 * more: batches at once walk the same head of the free-number index, each skipping
 * the rows the others hold; bench:dni served more, with a lower p99, with two than
 * with four or eight.
 */
const LANES = 2;

/**
 * Pool allocations, coalesced per pool: while some are at the database, those that
 * arrive meanwhile leave together as one statement (allocateManyFromPool); a lone
 * one leaves at once, as the single-row statement.
 */
export class PoolAllocator {
  private readonly pools = new Map<number, Coalescer<PoolRequest, SessionOutcome>>();

  constructor(private readonly db: Queryable) {}

  allocate(poolId: number, request: PoolRequest): Promise<SessionOutcome> {
    let c = this.pools.get(poolId);
    if (!c) {
      c = new Coalescer<PoolRequest, SessionOutcome>(
        async (batch) =>
          batch.length === 1
            ? [await allocateFromPool(this.db, batch[0]!.session, { poolId, ...batch[0]! })]
            : allocateManyFromPool(this.db, poolId, batch),
        { maxBatch: MAX_BATCH, lanes: LANES },
      );
      this.pools.set(poolId, c);
    }
    return c.submit(request);
  }
}

export type OpenSessionResult =
  | { readonly ok: false; readonly reason: 'bad_page'; readonly message: string }
  | { readonly ok: false; readonly reason: 'ip_cap' }
  | { readonly ok: true; readonly visitor: string; readonly source: NumberSource['kind']; readonly session: Extract<SessionOutcome, { allowed: true }> };

export async function openSession(
  deps: { readonly db: Queryable; readonly allocator: PoolAllocator },
  site: DniSite,
  req: SessionRequest,
): Promise<OpenSessionResult> {
  const { db } = deps;
  const read = readTouch({ page: req.page, referrer: req.referrer, siteDomain: site.domain });
  if (!read.ok) return { ok: false, reason: 'bad_page', message: read.message };
  const history = req.visitor === null ? undefined : await visitorHistory(db, site.id, req.visitor);
  const visitor = req.visitor ?? newVisitorId();
  const touch = combineTouches(site.attribution_model, history?.touch ?? null, read.touch);
  const input: SessionInput = {
    siteId: site.id,
    visitor,
    touch,
    gaClientId: req.gaClientId,
    gaSessionId: req.gaSessionId,
    userAgent: req.userAgent?.slice(0, 500) ?? null,
    ip: req.ip,
    holdTimeS: site.hold_time_s,
    maxSessionsPerIp: site.max_sessions_per_ip,
  };
  const source = chooseNumberSource(site, touch, isBotVisit(req.userAgent, req.webdriver));
  let outcome: SessionOutcome;
  switch (source.kind) {
    case 'static':
      outcome = await openFixedSession(db, input, { kind: 'static', trackingNumberId: source.rule.tracking_number_id, number: source.rule.number });
      break;
    case 'bot':
      outcome = await openFixedSession(db, input, { kind: 'fallback', reason: 'bot', number: site.fallback_number });
      break;
    case 'no_pool':
      outcome = await openFixedSession(db, input, { kind: 'fallback', reason: 'no_pool', number: site.fallback_number });
      break;
    case 'pool':
      outcome = await deps.allocator.allocate(source.poolId, {
        session: input,
        fallbackNumber: site.fallback_number,
        previousNumberId: history?.pool_number_id ?? null,
        previousSessionId: history?.pool_session_id ?? null,
      });
      break;
  }
  if (!outcome.allowed) return { ok: false, reason: 'ip_cap' };
  return { ok: true, visitor, source: source.kind, session: outcome };
}
