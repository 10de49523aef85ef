// The DNI hot path in PostgreSQL: a site's settings by public key, the visitor's
// last session, and allocation, heartbeat and sweep as one statement each, so
// that they are atomic across ringpath processes without a transaction around
// them and cost one round trip.
import { touchOfRow } from '../../dni/session-row.ts';
import type { Queryable, Pool } from '../pool.ts';
import type { SourceRuleField } from '../../dni/rules.ts';
import type { AttributionModel, Touch } from '../../dni/types.ts';

export type DniKind = 'pool' | 'static' | 'fallback';
export type FallbackReason = 'pool_exhausted' | 'bot' | 'no_pool';

export interface DniSourceRule {
  readonly position: number;
  readonly field: SourceRuleField;
  readonly value: string;
  readonly tracking_number_id: number;
  readonly number: string;
}

/** What the public API needs to know of a site. */
export interface DniSite {
  readonly id: number;
  readonly public_key: string;
  readonly domain: string;
  readonly allowed_origins: readonly string[];
  readonly fallback_number: string;
  readonly hold_time_s: number;
  readonly heartbeat_s: number;
  readonly max_sessions_per_ip: number;
  readonly attribution_model: AttributionModel;
  readonly pool_id: number | null;
  /** In position order. */
  readonly rules: readonly DniSourceRule[];
  /** What the snippet swaps: phone texts as written on the pages, and CSS selectors. */
  readonly swap_phone_texts: readonly string[];
  readonly swap_selectors: readonly string[];
}

/** A visitor's latest session on a site, and their latest pool number. */
export interface VisitorHistory {
  readonly touch: Touch;
  /** The pool number of their latest pool session, and that session. */
  readonly pool_number_id: number | null;
  readonly pool_session_id: number | null;
}

/** Everything stored with a new session besides what allocation decides. */
export interface SessionInput {
  readonly siteId: number;
  readonly visitor: string;
  readonly touch: Touch;
  readonly gaClientId: string | null;
  readonly gaSessionId: string | null;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly holdTimeS: number;
  readonly maxSessionsPerIp: number;
}

export type SessionOutcome =
  | { readonly allowed: false }
  | {
      readonly allowed: true;
      readonly publicId: string;
      readonly number: string;
      readonly kind: DniKind;
      readonly fallbackReason: FallbackReason | null;
      readonly heldUntil: Date;
      readonly trackingNumberId: number | null;
    };

export async function loadDniSite(db: Queryable, publicKey: string): Promise<DniSite | undefined> {
  const { rows } = await db.query<DniSite>(
    `SELECT s.id, s.public_key, s.domain, s.allowed_origins, s.fallback_number, s.hold_time_s, s.heartbeat_s,
            s.max_sessions_per_ip, s.attribution_model, s.swap_phone_texts, s.swap_selectors, p.id AS pool_id,
            coalesce((SELECT json_agg(json_build_object('position', r.position, 'field', r.field, 'value', r.value,
                                                        'tracking_number_id', r.tracking_number_id, 'number', t.number)
                                      ORDER BY r.position)
                        FROM site_source_rules r JOIN tracking_numbers t ON t.id = r.tracking_number_id
                       WHERE r.site_id = s.id), '[]'::json) AS rules
       FROM sites s LEFT JOIN pools p ON p.site_id = s.id
      WHERE s.public_key = $1`,
    [publicKey],
  );
  return rows[0];
}

/** Every origin some site allows: what a CORS preflight, which names no site, is checked against. */
export async function loadAllowedOrigins(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ origin: string }>('SELECT DISTINCT unnest(allowed_origins) AS origin FROM sites');
  return rows.map((r) => r.origin);
}

interface HistoryRow {
  source: string | null;
  medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  gclid: string | null;
  gbraid: string | null;
  wbraid: string | null;
  fbclid: string | null;
  msclkid: string | null;
  referrer: string | null;
  landing_page: string | null;
  pool_number_id: number | null;
  pool_session_id: number | null;
}

export async function visitorHistory(db: Queryable, siteId: number, visitor: string): Promise<VisitorHistory | undefined> {
  const { rows } = await db.query<HistoryRow>({
    name: 'dni-visitor-history',
    text: `SELECT v.source, v.medium, v.utm_campaign, v.utm_content, v.utm_term, v.gclid, v.gbraid, v.wbraid, v.fbclid,
            v.msclkid, v.referrer, v.landing_page, p.tracking_number_id AS pool_number_id, p.id AS pool_session_id
       FROM (SELECT * FROM visitor_sessions WHERE site_id = $1 AND visitor_key = $2 ORDER BY created_at DESC LIMIT 1) v
       LEFT JOIN LATERAL (SELECT id, tracking_number_id FROM visitor_sessions
                           WHERE site_id = $1 AND visitor_key = $2 AND kind = 'pool' AND tracking_number_id IS NOT NULL
                           ORDER BY created_at DESC LIMIT 1) p ON true`,
    values: [siteId, visitor],
  });
  const r = rows[0];
  if (!r || r.source === null || r.medium === null || r.landing_page === null) return undefined;
  return {
    touch: touchOfRow(r),
    pool_number_id: r.pool_number_id,
    pool_session_id: r.pool_session_id,
  };
}

/** The landing page's own utm_source and utm_medium (the columns keep them as sent). */
function utms(landingPage: string): [string | null, string | null] {
  try {
    const q = new URL(landingPage).searchParams;
    return [q.get('utm_source')?.trim().slice(0, 500) || null, q.get('utm_medium')?.trim().slice(0, 500) || null];
  } catch {
    return [null, null];
  }
}

/** The session's columns ($1–$20) in the order of SESSION_COLUMNS. */
function sessionParams(s: SessionInput): unknown[] {
  const t = s.touch;
  const [utmSource, utmMedium] = utms(t.landingPage);
  return [
    s.siteId,
    s.visitor,
    utmSource,
    utmMedium,
    t.campaign,
    t.content,
    t.term,
    t.gclid,
    t.gbraid,
    t.wbraid,
    t.fbclid,
    t.msclkid,
    t.source,
    t.medium,
    s.gaClientId,
    s.gaSessionId,
    t.referrer,
    t.landingPage,
    s.userAgent,
    s.ip,
    s.holdTimeS,
    s.maxSessionsPerIp,
  ];
}

const SESSION_COLUMNS = `site_id, visitor_key, utm_source, utm_medium, utm_campaign, utm_content, utm_term, gclid, gbraid, wbraid,
  fbclid, msclkid, source, medium, ga_client_id, ga_session_id, referrer, landing_page, user_agent, ip`;
const SESSION_VALUES = `$1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text,
  $11::text, $12::text, $13::text, $14::text, $15::text, $16::text, $17::text, $18::text, $19::text, $20::inet`;

/**
 * The per-address cap: fewer live sessions on the site from this address than the
 * site allows ($21 hold time, $22 cap). Checked in the same statement that would add
 * one, so a refusal stores nothing but its event.
 */
const GATE = `gate AS MATERIALIZED (
    SELECT count(*) < $22::int AS ok FROM visitor_sessions
     WHERE site_id = $1::bigint AND ip = $20::inet AND released_at IS NULL AND held_until > now()
  )`;

/**
 * Allocation from the site's pool, in one statement:
 *  1. the visitor's previous pool number ($24) when it is free, its hold has run out, or
 *     their own earlier session ($25) holds it (the hold moves to the new session);
 *  2. else the free number released longest ago (NULLS FIRST): concurrent allocations
 *     skip each other's locked rows, so each takes the next one without waiting;
 *  3. else a held number whose hold has run out and the sweep has not released yet;
 *  4. else the fallback number ($26), the pool's exhaustion count and a 'pool_exhausted' event.
 * The number row is locked (FOR NO KEY UPDATE) and re-checked on its newest version
 * before it is taken, so no two sessions ever hold one number, whatever the processes.
 */
const ALLOCATE = `
  WITH ${GATE},
  prev AS MATERIALIZED (
    SELECT id, number, held_by_session_id AS old_session, held_until AS old_until FROM tracking_numbers
     WHERE id = $24::bigint AND pool_id = $23::bigint AND kind = 'pool' AND (SELECT ok FROM gate)
       AND (held_by_session_id IS NULL OR held_until <= now() OR held_by_session_id = $25::bigint)
     FOR NO KEY UPDATE SKIP LOCKED
  ),
  free AS MATERIALIZED (
    SELECT id, number, NULL::bigint AS old_session, NULL::timestamptz AS old_until FROM tracking_numbers
     WHERE pool_id = $23::bigint AND kind = 'pool' AND held_by_session_id IS NULL
       AND (SELECT ok FROM gate) AND NOT EXISTS (SELECT 1 FROM prev)
     ORDER BY released_at NULLS FIRST, id
     LIMIT 1
     FOR NO KEY UPDATE SKIP LOCKED
  ),
  expired AS MATERIALIZED (
    SELECT id, number, held_by_session_id AS old_session, held_until AS old_until FROM tracking_numbers
     WHERE pool_id = $23::bigint AND kind = 'pool' AND held_by_session_id IS NOT NULL AND held_until <= now()
       AND (SELECT ok FROM gate) AND NOT EXISTS (SELECT 1 FROM prev) AND NOT EXISTS (SELECT 1 FROM free)
     ORDER BY held_until, id
     LIMIT 1
     FOR NO KEY UPDATE SKIP LOCKED
  ),
  chosen AS MATERIALIZED (
    SELECT * FROM prev UNION ALL SELECT * FROM free UNION ALL SELECT * FROM expired
  ),
  ins AS (
    INSERT INTO visitor_sessions (${SESSION_COLUMNS}, tracking_number_id, number, kind, fallback_reason, held_until, last_heartbeat_at)
    SELECT ${SESSION_VALUES}, c.id, coalesce(c.number, $26::text),
           CASE WHEN c.id IS NULL THEN 'fallback' ELSE 'pool' END::dni_number_kind,
           CASE WHEN c.id IS NULL THEN 'pool_exhausted' END,
           now() + make_interval(secs => $21::int), now()
      FROM gate LEFT JOIN chosen c ON true
     WHERE gate.ok
    RETURNING id, public_id, tracking_number_id, number, kind, fallback_reason, held_until
  ),
  claim AS (
    UPDATE tracking_numbers t
       SET held_by_session_id = (SELECT id FROM ins), held_until = (SELECT held_until FROM ins),
           -- a number taken over from an ended or moved hold was released when that hold ended
           released_at = CASE WHEN (SELECT old_session FROM chosen) IS NULL THEN t.released_at
                              ELSE least((SELECT old_until FROM chosen), now()) END
     WHERE t.id = (SELECT tracking_number_id FROM ins)
    RETURNING t.id
  ),
  released AS (
    -- by primary key only (an already released session keeps its time), whatever the statistics say
    UPDATE visitor_sessions v SET released_at = coalesce(v.released_at, least((SELECT old_until FROM chosen), now()))
     WHERE v.id = (SELECT old_session FROM chosen)
    RETURNING v.id
  ),
  exhausted AS (
    UPDATE pools SET exhausted_count = exhausted_count + 1
     WHERE id = $23::bigint AND (SELECT ok FROM gate) AND NOT EXISTS (SELECT 1 FROM chosen)
    RETURNING id
  ),
  events AS (
    INSERT INTO dni_events (site_id, kind)
    SELECT $1::bigint, CASE WHEN gate.ok THEN 'pool_exhausted' ELSE 'ip_cap' END FROM gate
     WHERE NOT gate.ok OR NOT EXISTS (SELECT 1 FROM chosen)
    RETURNING id
  )
  SELECT gate.ok AS allowed, i.public_id, i.number, i.kind, i.fallback_reason, i.held_until, i.tracking_number_id
    FROM gate LEFT JOIN ins i ON true`;

/**
 * Allocation for many visitors of one pool in one statement, with the rules of
 * ALLOCATE: the requests that pass the per-address cap first get their previous
 * number where it is free, its hold has run out, or their own earlier session holds
 * it (one request per number: two tabs of one visitor get one number between them);
 * the others are paired in order with the free numbers released longest ago, then
 * with holds that have run out; the rest get the fallback. Numbers are locked with
 * SKIP LOCKED, so a batch never waits on another batch or process for a number; the
 * sessions whose holds it takes over are locked in id order, as heartbeats and the
 * sweep lock sessions, so no two statements can wait on each other in a cycle.
 * $1 pool; per request, in arrays: $2 site, $3–$21 the session's columns (as
 * SESSION_COLUMNS, from visitor_key), $22 hold time, $23 cap, $24 fallback number,
 * $25 previous number, $26 the visitor's session that had it.
 */
const ALLOCATE_MANY = `
  WITH req AS MATERIALIZED (
    SELECT r.*, gen_random_uuid() AS public_id
      FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                  $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[],
                  $20::text[], $21::inet[], $22::int[], $23::int[], $24::text[], $25::bigint[], $26::bigint[])
           WITH ORDINALITY AS r(site_id, visitor_key, utm_source, utm_medium, utm_campaign, utm_content, utm_term, gclid, gbraid,
                                wbraid, fbclid, msclkid, source, medium, ga_client_id, ga_session_id, referrer, landing_page,
                                user_agent, ip, hold_time_s, max_per_ip, fallback, prev_number_id, prev_session_id, ord)
  ),
  gated AS MATERIALIZED (
    SELECT r.*, (SELECT count(*) FROM visitor_sessions v
                  WHERE v.site_id = r.site_id AND v.ip = r.ip AND v.released_at IS NULL AND v.held_until > now()) < r.max_per_ip AS ok
      FROM req r
  ),
  asking AS MATERIALIZED (
    SELECT * FROM gated WHERE ok
  ),
  prev_locked AS MATERIALIZED (
    SELECT t.id, t.number, t.held_by_session_id AS old_session, t.held_until AS old_until, a.ord
      FROM asking a JOIN tracking_numbers t ON t.id = a.prev_number_id
     WHERE t.pool_id = $1::bigint AND t.kind = 'pool'
       AND (t.held_by_session_id IS NULL OR t.held_until <= now() OR t.held_by_session_id = a.prev_session_id)
     FOR NO KEY UPDATE OF t SKIP LOCKED
  ),
  prev AS MATERIALIZED (
    SELECT DISTINCT ON (id) id, number, old_session, old_until, ord FROM prev_locked ORDER BY id, ord
  ),
  rest AS MATERIALIZED (
    SELECT a.ord, row_number() OVER (ORDER BY a.ord) AS rn FROM asking a WHERE NOT EXISTS (SELECT 1 FROM prev p WHERE p.ord = a.ord)
  ),
  free AS MATERIALIZED (
    SELECT id, number, released_at FROM tracking_numbers
     WHERE pool_id = $1::bigint AND kind = 'pool' AND held_by_session_id IS NULL
       AND id <> ALL (coalesce((SELECT array_agg(id) FROM prev_locked), '{}')::bigint[])
     ORDER BY released_at NULLS FIRST, id
     LIMIT (SELECT count(*) FROM rest)
     FOR NO KEY UPDATE SKIP LOCKED
  ),
  expired AS MATERIALIZED (
    SELECT id, number, held_by_session_id AS old_session, held_until AS old_until FROM tracking_numbers
     WHERE pool_id = $1::bigint AND kind = 'pool' AND held_by_session_id IS NOT NULL AND held_until <= now()
       AND id <> ALL (coalesce((SELECT array_agg(id) FROM prev_locked), '{}')::bigint[])
     ORDER BY held_until, id
     LIMIT greatest((SELECT count(*) FROM rest) - (SELECT count(*) FROM free), 0)
     FOR NO KEY UPDATE SKIP LOCKED
  ),
  numbers AS MATERIALIZED (
    SELECT x.*, row_number() OVER (ORDER BY x.part, x.since NULLS FIRST, x.id) AS rn FROM (
      SELECT id, number, NULL::bigint AS old_session, NULL::timestamptz AS old_until, 0 AS part, released_at AS since FROM free
      UNION ALL
      SELECT id, number, old_session, old_until, 1, old_until FROM expired
    ) x
  ),
  pairs AS MATERIALIZED (
    SELECT a.*, coalesce(p.id, n.id) AS number_id, coalesce(p.number, n.number) AS number,
           CASE WHEN p.id IS NOT NULL THEN p.old_session ELSE n.old_session END AS old_session,
           CASE WHEN p.id IS NOT NULL THEN p.old_until ELSE n.old_until END AS old_until
      FROM asking a
      LEFT JOIN prev p ON p.ord = a.ord
      LEFT JOIN rest r ON r.ord = a.ord
      LEFT JOIN numbers n ON n.rn = r.rn
  ),
  ins AS (
    INSERT INTO visitor_sessions (public_id, ${SESSION_COLUMNS}, tracking_number_id, number, kind, fallback_reason, held_until, last_heartbeat_at)
    SELECT public_id, site_id, visitor_key, utm_source, utm_medium, utm_campaign, utm_content, utm_term, gclid, gbraid, wbraid,
           fbclid, msclkid, source, medium, ga_client_id, ga_session_id, referrer, landing_page, user_agent, ip,
           number_id, coalesce(number, fallback),
           CASE WHEN number_id IS NULL THEN 'fallback' ELSE 'pool' END::dni_number_kind,
           CASE WHEN number_id IS NULL THEN 'pool_exhausted' END,
           now() + make_interval(secs => hold_time_s), now()
      FROM pairs
    RETURNING id, public_id, tracking_number_id, number, kind, fallback_reason, held_until
  ),
  claim AS (
    UPDATE tracking_numbers t
       SET held_by_session_id = i.id, held_until = i.held_until,
           released_at = CASE WHEN p.old_session IS NULL THEN t.released_at ELSE least(p.old_until, now()) END
      FROM ins i JOIN pairs p ON p.public_id = i.public_id
     WHERE t.id = ANY ((SELECT array_agg(number_id) FROM pairs)::bigint[]) AND t.id = i.tracking_number_id
    RETURNING t.id
  ),
  old_sessions AS MATERIALIZED (
    -- the sessions whose holds were taken over, locked in id order (as heartbeats lock them)
    SELECT v.id FROM visitor_sessions v
     WHERE v.id = ANY ((SELECT array_agg(old_session) FROM pairs)::bigint[])
     ORDER BY v.id
     FOR NO KEY UPDATE
  ),
  released AS (
    -- by primary key only (an already released session keeps its time), whatever the statistics say
    UPDATE visitor_sessions v SET released_at = coalesce(v.released_at, least(p.old_until, now()))
      FROM pairs p
     WHERE v.id = ANY ((SELECT array_agg(id) FROM old_sessions)::bigint[]) AND v.id = p.old_session
    RETURNING v.id
  ),
  exhausted AS (
    UPDATE pools SET exhausted_count = exhausted_count + (SELECT count(*) FROM pairs WHERE number_id IS NULL)
     WHERE id = $1::bigint AND EXISTS (SELECT 1 FROM pairs WHERE number_id IS NULL)
    RETURNING id
  ),
  events AS (
    INSERT INTO dni_events (site_id, kind)
    SELECT site_id, 'pool_exhausted' FROM pairs WHERE number_id IS NULL
    UNION ALL
    SELECT site_id, 'ip_cap' FROM gated WHERE NOT ok
    RETURNING id
  )
  SELECT g.ok AS allowed, i.public_id, i.number, i.kind, i.fallback_reason, i.held_until, i.tracking_number_id
    FROM gated g LEFT JOIN ins i ON i.public_id = g.public_id
   ORDER BY g.ord`;

/** A pool allocation for one visitor: their session, and their previous number if they had one. */
export interface PoolRequest {
  readonly session: SessionInput;
  readonly fallbackNumber: string;
  readonly previousNumberId: number | null;
  readonly previousSessionId: number | null;
}

/** Many visitors' sessions from one pool in one statement (see ALLOCATE_MANY); one outcome per input, in order. */
export async function allocateManyFromPool(db: Queryable, poolId: number, inputs: readonly PoolRequest[]): Promise<SessionOutcome[]> {
  const columns: unknown[][] = Array.from({ length: 25 }, () => []);
  for (const r of inputs) {
    const p = sessionParams(r.session);
    for (let c = 0; c < 22; c++) columns[c]!.push(p[c]);
    columns[22]!.push(r.fallbackNumber);
    columns[23]!.push(r.previousNumberId);
    columns[24]!.push(r.previousSessionId);
  }
  const { rows } = await db.query<OutcomeRow>({ name: 'dni-allocate-many', text: ALLOCATE_MANY, values: [poolId, ...columns] });
  return rows.map(outcome);
}

/** A session with a number that is not the pool's (a rule's static number, or the fallback for a bot or a site without a pool). */
const FIXED = `
  WITH ${GATE},
  ins AS (
    INSERT INTO visitor_sessions (${SESSION_COLUMNS}, tracking_number_id, number, kind, fallback_reason, held_until, last_heartbeat_at)
    SELECT ${SESSION_VALUES}, $23::bigint, $24::text, $25::dni_number_kind, $26::text,
           now() + make_interval(secs => $21::int), now()
      FROM gate WHERE gate.ok
    RETURNING public_id, tracking_number_id, number, kind, fallback_reason, held_until
  ),
  events AS (
    INSERT INTO dni_events (site_id, kind)
    SELECT $1::bigint, CASE WHEN gate.ok THEN $27::text ELSE 'ip_cap' END FROM gate
     WHERE NOT gate.ok OR $27::text IS NOT NULL
    RETURNING id
  )
  SELECT gate.ok AS allowed, i.public_id, i.number, i.kind, i.fallback_reason, i.held_until, i.tracking_number_id
    FROM gate LEFT JOIN ins i ON true`;

interface OutcomeRow {
  allowed: boolean;
  public_id: string | null;
  number: string | null;
  kind: DniKind | null;
  fallback_reason: FallbackReason | null;
  held_until: Date | null;
  tracking_number_id: number | null;
}

function outcome(row: OutcomeRow | undefined): SessionOutcome {
  if (!row || !row.allowed || row.public_id === null) return { allowed: false };
  return {
    allowed: true,
    publicId: row.public_id,
    number: row.number!,
    kind: row.kind!,
    fallbackReason: row.fallback_reason,
    heldUntil: row.held_until!,
    trackingNumberId: row.tracking_number_id,
  };
}

/** Take a number from the pool for a new session (or the fallback when none is free). */
export async function allocateFromPool(
  db: Queryable,
  s: SessionInput,
  pool: { poolId: number; previousNumberId: number | null; previousSessionId: number | null; fallbackNumber: string },
): Promise<SessionOutcome> {
  const { rows } = await db.query<OutcomeRow>({
    name: 'dni-allocate',
    text: ALLOCATE,
    values: [...sessionParams(s), pool.poolId, pool.previousNumberId, pool.previousSessionId, pool.fallbackNumber],
  });
  return outcome(rows[0]);
}

/** A session showing a number that is not taken from the pool. */
export async function openFixedSession(
  db: Queryable,
  s: SessionInput,
  fixed: { kind: 'static'; trackingNumberId: number; number: string } | { kind: 'fallback'; reason: FallbackReason; number: string },
): Promise<SessionOutcome> {
  const { rows } = await db.query<OutcomeRow>({
    name: 'dni-open-fixed',
    text: FIXED,
    values: [
      ...sessionParams(s),
      fixed.kind === 'static' ? fixed.trackingNumberId : null,
      fixed.number,
      fixed.kind,
      fixed.kind === 'fallback' ? fixed.reason : null,
      fixed.kind === 'fallback' && fixed.reason === 'bot' ? 'bot' : null,
    ],
  });
  return outcome(rows[0]);
}

export type HeartbeatOutcome = { readonly ok: true; readonly heldUntil: Date } | { readonly ok: false; readonly reason: 'not_found' | 'origin' };

/**
 * Extend a live session's hold to now + the site's hold time, in one statement. A pool
 * session extends its number's hold too, and only while it still holds the number
 * (locking the number's row first, as allocation and the sweep do). Unknown,
 * released and expired sessions, and sessions whose number was taken after their
 * hold ran out, are not found; a live one asked from an origin its site does not
 * allow is refused.
 */
export async function heartbeat(db: Queryable, publicId: string, origin: string): Promise<HeartbeatOutcome> {
  const { rows } = await db.query<{ held_until: Date | null; origin_ok: boolean | null }>({
    name: 'dni-heartbeat',
    text: `
      WITH s AS MATERIALIZED (
        SELECT v.id, v.kind, v.tracking_number_id, si.hold_time_s, $2::text = ANY (si.allowed_origins) AS origin_ok
          FROM visitor_sessions v JOIN sites si ON si.id = v.site_id
         WHERE v.public_id = $1::uuid AND v.released_at IS NULL AND v.held_until > now()
      ),
      t AS (
        UPDATE tracking_numbers n SET held_until = now() + make_interval(secs => (SELECT hold_time_s FROM s))
         WHERE n.id = (SELECT tracking_number_id FROM s WHERE origin_ok AND kind = 'pool')
           AND n.held_by_session_id = (SELECT id FROM s)
        RETURNING n.id
      ),
      u AS (
        UPDATE visitor_sessions v SET held_until = now() + make_interval(secs => (SELECT hold_time_s FROM s)), last_heartbeat_at = now()
         WHERE v.id = (SELECT id FROM s WHERE origin_ok) AND v.released_at IS NULL
           AND ((SELECT kind FROM s) <> 'pool' OR EXISTS (SELECT 1 FROM t))
        RETURNING v.held_until
      )
      SELECT (SELECT held_until FROM u) AS held_until, (SELECT origin_ok FROM s) AS origin_ok`,
    values: [publicId, origin],
  });
  const r = rows[0];
  if (r?.held_until) return { ok: true, heldUntil: r.held_until };
  return { ok: false, reason: r?.origin_ok === false ? 'origin' : 'not_found' };
}

/**
 * Heartbeats of many sessions in one statement, with the same rules as heartbeat().
 * Rows are locked in a fixed order (numbers by id, then sessions by id), so two
 * batches that share sessions (two tabs, two processes) never wait on each other in
 * a cycle; the numbers are all done before any session row is touched.
 */
const HEARTBEAT_MANY = `
  WITH x AS MATERIALIZED (
    SELECT * FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS x(public_id, origin, ord)
  ),
  s AS MATERIALIZED (
    SELECT x.ord, v.id, v.kind, v.tracking_number_id, si.hold_time_s, x.origin = ANY (si.allowed_origins) AS origin_ok
      FROM x JOIN visitor_sessions v ON v.public_id = x.public_id JOIN sites si ON si.id = v.site_id
     WHERE v.released_at IS NULL AND v.held_until > now()
  ),
  ln AS MATERIALIZED (
    SELECT n.id FROM tracking_numbers n
     WHERE n.id = ANY ((SELECT array_agg(tracking_number_id) FROM s WHERE origin_ok AND kind = 'pool')::bigint[])
     ORDER BY n.id
     FOR NO KEY UPDATE
  ),
  t AS MATERIALIZED (
    UPDATE tracking_numbers n SET held_until = now() + make_interval(secs => s.hold_time_s)
      FROM s
     WHERE n.id = ANY ((SELECT array_agg(id) FROM ln)::bigint[])
       AND n.id = s.tracking_number_id AND n.held_by_session_id = s.id AND s.origin_ok AND s.kind = 'pool'
    RETURNING s.id AS session_id
  ),
  ls AS MATERIALIZED (
    SELECT v.id FROM visitor_sessions v
     WHERE v.id = ANY ((SELECT array_agg(id) FROM s WHERE origin_ok AND (kind <> 'pool' OR id IN (SELECT session_id FROM t)))::bigint[])
     ORDER BY v.id
     FOR NO KEY UPDATE
  ),
  u AS (
    UPDATE visitor_sessions v
       SET held_until = CASE WHEN v.released_at IS NULL THEN now() + make_interval(secs => s.hold_time_s) ELSE v.held_until END,
           last_heartbeat_at = CASE WHEN v.released_at IS NULL THEN now() ELSE v.last_heartbeat_at END
      FROM (SELECT DISTINCT id, hold_time_s FROM s) s
     WHERE v.id = ANY ((SELECT array_agg(id) FROM ls)::bigint[]) AND v.id = s.id
    RETURNING v.id, CASE WHEN v.released_at IS NULL THEN v.held_until END AS held_until
  )
  SELECT CASE WHEN s.origin_ok THEN u.held_until END AS held_until, s.origin_ok
    FROM x LEFT JOIN s ON s.ord = x.ord LEFT JOIN u ON u.id = s.id ORDER BY x.ord`;

/** Heartbeats of many sessions (see HEARTBEAT_MANY); one outcome per input, in order. */
export async function heartbeatMany(db: Queryable, inputs: ReadonlyArray<{ publicId: string; origin: string }>): Promise<HeartbeatOutcome[]> {
  const { rows } = await db.query<{ held_until: Date | null; origin_ok: boolean | null }>({
    name: 'dni-heartbeat-many',
    text: HEARTBEAT_MANY,
    values: [inputs.map((i) => i.publicId), inputs.map((i) => i.origin)],
  });
  return rows.map((r) => (r.held_until ? { ok: true, heldUntil: r.held_until } : { ok: false, reason: r.origin_ok === false ? 'origin' : 'not_found' }));
}

/** Arbitrary, fixed: the advisory lock that lets one process at a time sweep. */
const SWEEP_LOCK = 0x72_70_64_6e; // "rpdn"

export interface SweepResult {
  /** false when another process was sweeping at that moment. */
  readonly ran: boolean;
  readonly numbers: number;
  readonly sessions: number;
}

/**
 * Release every hold whose time has run out: the number becomes free, released at
 * the moment its hold ended (released_at = held_until), and so does its session;
 * then the sessions without a pool number (static, fallback) whose time ran out.
 * One process at a time (an advisory lock); each statement commits on its own and
 * takes only rows nobody else has locked (SKIP LOCKED), so the sweep never waits on
 * an allocation or a heartbeat: rows they hold are left for the next sweep.
 */
export async function sweepExpiredHolds(pool: Pool): Promise<SweepResult> {
  const client = await pool.connect();
  let locked = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SWEEP_LOCK]);
    locked = rows[0]?.locked === true;
    if (!locked) return { ran: false, numbers: 0, sessions: 0 };
    const held = await client.query<{ numbers: number; sessions: number }>(`
      WITH o AS MATERIALIZED (
        SELECT id, held_by_session_id AS session_id, held_until FROM tracking_numbers
         WHERE held_by_session_id IS NOT NULL AND held_until <= now()
         FOR NO KEY UPDATE SKIP LOCKED
      ),
      t AS MATERIALIZED (
        UPDATE tracking_numbers n SET held_by_session_id = NULL, held_until = NULL, released_at = o.held_until
          FROM o WHERE n.id = o.id
        RETURNING o.session_id, o.held_until
      ),
      ls AS MATERIALIZED (
        SELECT v.id FROM visitor_sessions v
         WHERE v.id = ANY ((SELECT array_agg(session_id) FROM t)::bigint[])
         ORDER BY v.id
         FOR NO KEY UPDATE SKIP LOCKED
      ),
      s AS (
        UPDATE visitor_sessions v SET released_at = coalesce(v.released_at, t.held_until)
          FROM t WHERE v.id = ANY ((SELECT array_agg(id) FROM ls)::bigint[]) AND v.id = t.session_id
        RETURNING v.id
      )
      SELECT (SELECT count(*)::int FROM t) AS numbers, (SELECT count(*)::int FROM s) AS sessions`);
    const rest = await client.query(`
      WITH e AS MATERIALIZED (
        SELECT v.id FROM visitor_sessions v
         WHERE v.released_at IS NULL AND v.held_until <= now()
           AND NOT EXISTS (SELECT 1 FROM tracking_numbers n WHERE n.held_by_session_id = v.id)
         ORDER BY v.id
         FOR NO KEY UPDATE SKIP LOCKED
      )
      UPDATE visitor_sessions v SET released_at = v.held_until
       WHERE v.id = ANY ((SELECT array_agg(id) FROM e)::bigint[])`);
    return { ran: true, numbers: held.rows[0]!.numbers, sessions: held.rows[0]!.sessions + (rest.rowCount ?? 0) };
  } finally {
    // a connection that cannot give the lock back is closed, which gives it back
    let broken: Error | undefined;
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK]).catch((err: Error) => (broken = err));
    client.release(broken);
  }
}
