// Holds on numbers: heartbeats extend them (one session, or many in one statement),
// the sweep releases the ones whose time has run out.
import type { Pool, Queryable } from '../../pool.ts';
import type { HeartbeatOutcome, SweepResult } from './types.ts';

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
