// Opening sessions in PostgreSQL: a number from the pool (one visitor, or many in
// one statement) or a fixed number (a rule's static number, the fallback), each as
// one statement, atomic across ringpath processes without a transaction around it.
import type { Queryable } from '../../pool.ts';
import type { DniKind, FallbackReason, PoolRequest, SessionInput, SessionOutcome } from './types.ts';

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
