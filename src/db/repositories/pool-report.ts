// What the pool report reads (SPEC §4): a site's pool, its holds minute by minute,
// its exhaustion events and its demand hour by hour. A hold is a pool session's
// interval [created_at, coalesce(released_at, held_until)): released_at once the
// hold ended, else the held_until it was given (a live session's is in the future).
// Every query walks visitor_sessions_site_created or dni_events_site_at, bounded
// by the range, which the caller keeps to at most 31 days. A hold is looked for
// from a day before the range (HOLD_LOOKBACK): a session that began earlier and
// was still held when the range began (a page kept visible for over a day) is not
// counted; the bound keeps the walk from covering the site's whole history.
import type { HourDemand, UsageBucket } from '../../dni/pool-usage.ts';
import type { Queryable } from '../pool.ts';

export interface SitePool {
  readonly siteId: number;
  readonly holdTimeS: number;
  readonly poolId: number | null;
  /** The pool's numbers today. */
  readonly size: number;
}

export async function sitePool(db: Queryable, siteId: number): Promise<SitePool | undefined> {
  const { rows } = await db.query<{ id: number; hold_time_s: number; pool_id: number | null; size: number }>(
    `SELECT s.id, s.hold_time_s, p.id AS pool_id,
            (SELECT count(*)::int FROM tracking_numbers t WHERE t.pool_id = p.id) AS size
       FROM sites s LEFT JOIN pools p ON p.site_id = s.id
      WHERE s.id = $1`,
    [siteId],
  );
  const r = rows[0];
  return r ? { siteId: r.id, holdTimeS: r.hold_time_s, poolId: r.pool_id, size: r.size } : undefined;
}

/** Every site that has a pool, with its size (for the /metrics gauges). */
export async function sitesWithPools(db: Queryable): Promise<SitePool[]> {
  const { rows } = await db.query<{ id: number; hold_time_s: number; pool_id: number; size: number }>(
    `SELECT s.id, s.hold_time_s, p.id AS pool_id, (SELECT count(*)::int FROM tracking_numbers t WHERE t.pool_id = p.id) AS size
       FROM sites s JOIN pools p ON p.site_id = s.id ORDER BY s.id`,
  );
  return rows.map((r) => ({ siteId: r.id, holdTimeS: r.hold_time_s, poolId: r.pool_id, size: r.size }));
}

// The holds as +1/-1 events, summed per instant (a number handed over at one
// instant is held once, the intervals being half-open), the level from each instant
// on, then per minute: the highest level of an instant inside it, and the level
// carried in from before it (every earlier minute's net) unless an instant falls
// exactly on the minute's start and replaces it. Minutes are bins from the epoch,
// whatever the session's time zone.
export const HOLD_LOOKBACK = '1 day';

const USAGE = `
  WITH iv AS (
    SELECT greatest(v.created_at, $2::timestamptz) AS s,
           least(coalesce(v.released_at, v.held_until, $3::timestamptz), $3::timestamptz) AS e
      FROM visitor_sessions v
     WHERE v.site_id = $1 AND v.kind = 'pool'
       AND v.created_at < $3::timestamptz
       AND v.created_at >= $2::timestamptz - interval '${HOLD_LOOKBACK}'
       AND coalesce(v.released_at, v.held_until, 'infinity') > $2::timestamptz
  ), ev AS (
    SELECT s AS t, 1 AS d FROM iv WHERE e > s
    UNION ALL
    SELECT e AS t, -1 AS d FROM iv WHERE e > s
  ), inst AS (
    SELECT t, sum(d) AS net FROM ev GROUP BY t
  ), lv AS (
    SELECT t, net, sum(net) OVER (ORDER BY t) AS level FROM inst
  ), per_minute AS (
    SELECT date_bin('1 minute', t, 'epoch') AS m, max(level) AS peak, sum(net) AS net,
           bool_or(t = date_bin('1 minute', t, 'epoch')) AS on_start
      FROM lv GROUP BY 1
  ), minutes AS (
    SELECT generate_series(date_bin('1 minute', $2::timestamptz, 'epoch'), $3::timestamptz - interval '1 microsecond', interval '1 minute') AS m
  )
  SELECT mi.m AS at,
         greatest(CASE WHEN pm.on_start THEN 0 ELSE coalesce(sum(pm.net) OVER before, 0) END, coalesce(pm.peak, 0))::int AS holds
    FROM minutes mi LEFT JOIN per_minute pm ON pm.m = mi.m
  WINDOW before AS (ORDER BY mi.m ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
   ORDER BY mi.m`;

/** The most holds in use at once in each minute of [from, to). */
export async function usageByMinute(db: Queryable, siteId: number, from: Date, to: Date): Promise<UsageBucket[]> {
  const { rows } = await db.query<{ at: Date; holds: number }>(USAGE, [siteId, from, to]);
  return rows.map((r) => ({ at: r.at, holds: r.holds }));
}

/**
 * Demand per clock hour of [from, to): pool sessions started, visitors turned away
 * because the pool was exhausted, and the pool sessions' mean hold (a live session's
 * up to its held_until, or `to` when it has none).
 */
export async function demandByHour(db: Queryable, siteId: number, from: Date, to: Date): Promise<HourDemand[]> {
  const { rows } = await db.query<{ hour: Date; pooled: number; turned_away: number; mean_hold_s: number | null }>(
    `SELECT date_bin('1 hour', v.created_at, 'epoch') AS hour,
            count(*) FILTER (WHERE v.kind = 'pool')::int AS pooled,
            count(*) FILTER (WHERE v.kind = 'fallback' AND v.fallback_reason = 'pool_exhausted')::int AS turned_away,
            avg(extract(epoch FROM coalesce(v.released_at, v.held_until, $3::timestamptz) - v.created_at))
              FILTER (WHERE v.kind = 'pool')::float8 AS mean_hold_s
       FROM visitor_sessions v
      WHERE v.site_id = $1 AND v.created_at >= $2::timestamptz AND v.created_at < $3::timestamptz
        AND (v.kind = 'pool' OR (v.kind = 'fallback' AND v.fallback_reason = 'pool_exhausted'))
      GROUP BY 1 ORDER BY 1`,
    [siteId, from, to],
  );
  return rows.map((r) => ({ from: r.hour, pooled: r.pooled, turnedAway: r.turned_away, meanHoldS: r.mean_hold_s }));
}

export interface Exhaustion {
  /** dni_events of kind pool_exhausted, per clock hour that had any. */
  readonly eventsByHour: ReadonlyArray<{ readonly hour: Date; readonly events: number }>;
  /** Sessions given the fallback number in the range, by fallback_reason. */
  readonly fallbackSessions: Readonly<Record<string, number>>;
}

export async function exhaustion(db: Queryable, siteId: number, from: Date, to: Date): Promise<Exhaustion> {
  const [events, fallbacks] = await Promise.all([
    db.query<{ hour: Date; events: number }>(
      `SELECT date_bin('1 hour', at, 'epoch') AS hour, count(*)::int AS events
         FROM dni_events WHERE site_id = $1 AND kind = 'pool_exhausted' AND at >= $2 AND at < $3
        GROUP BY 1 ORDER BY 1`,
      [siteId, from, to],
    ),
    db.query<{ reason: string; n: number }>(
      `SELECT coalesce(fallback_reason, 'unknown') AS reason, count(*)::int AS n
         FROM visitor_sessions
        WHERE site_id = $1 AND created_at >= $2 AND created_at < $3 AND (fallback_reason IS NOT NULL OR kind = 'fallback')
        GROUP BY 1 ORDER BY 1`,
      [siteId, from, to],
    ),
  ]);
  return {
    eventsByHour: events.rows.map((r) => ({ hour: r.hour, events: r.events })),
    fallbackSessions: Object.fromEntries(fallbacks.rows.map((r) => [r.reason, r.n])),
  };
}
