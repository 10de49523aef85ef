// The call path's attribution from PostgreSQL (SPEC §4). It runs on every INVITE
// before routing, so it asks at most one question, and only for pool numbers:
// the dialled number's latest holds (visitor_sessions_number_created answers it
// newest first, no sort) with the site's hold time, in one statement. Static and
// fallback numbers need no query: the directory already resolved them.
//
// A hold ends when the session let the number go (released_at), or when its
// held_until passed if the sweep has not released it yet: a call at 10:05 to a
// number whose hold ran out at 10:00 and is still waiting for the sweep is a
// `recent` call, not an `exact` one.
import { touchOfRow } from './session-row.ts';
import type { Attribution } from '../calls/record.ts';
import type { Queryable } from '../db/pool.ts';
import type { ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import type { Logger } from '../logger.ts';
import { dialledNumberOf, type AttributionPort } from '../tracking/attribution.ts';
import { attribute, toCallAttribution, UNATTRIBUTED_LABEL } from './attribution.ts';
import type { NumberHold } from './types.ts';

/** Holds read per call: one number is held by one session at a time, so the latest few are plenty. */
export const HOLDS_READ = 5;

export interface HoldRow {
  readonly hold_time_s: number;
  readonly id: number | null;
  readonly created_at: Date | null;
  readonly released_at: Date | null;
  readonly held_until: Date | null;
  readonly source: string | null;
  readonly medium: string | null;
  readonly utm_source: string | null;
  readonly utm_medium: string | null;
  readonly utm_campaign: string | null;
  readonly utm_content: string | null;
  readonly utm_term: string | null;
  readonly gclid: string | null;
  readonly gbraid: string | null;
  readonly wbraid: string | null;
  readonly fbclid: string | null;
  readonly msclkid: string | null;
  readonly ga_client_id: string | null;
  readonly referrer: string | null;
  readonly landing_page: string | null;
}

// One round trip, a named statement (planned once per connection): the number's
// site's hold time, and the sessions that took the number by the call's start and
// did not let it go before (start − hold time). A site row always comes back (the
// LEFT JOIN), so the hold time is known even when nobody held the number.
export const RECENT_HOLDS = {
  name: 'ringpath.dni.recent_holds',
  text: `SELECT s.hold_time_s, v.id, v.created_at, v.released_at, v.held_until, v.source, v.medium,
            v.utm_source, v.utm_medium, v.utm_campaign, v.utm_content, v.utm_term,
            v.gclid, v.gbraid, v.wbraid, v.fbclid, v.msclkid, v.ga_client_id, v.referrer, v.landing_page
       FROM tracking_numbers t
       JOIN pools p ON p.id = t.pool_id
       JOIN sites s ON s.id = p.site_id
       LEFT JOIN LATERAL (
         SELECT * FROM visitor_sessions v
          WHERE v.tracking_number_id = t.id
            AND v.created_at <= $2::timestamptz
            AND (coalesce(v.released_at, v.held_until) IS NULL
                 OR coalesce(v.released_at, v.held_until) >= $2::timestamptz - make_interval(secs => s.hold_time_s))
          ORDER BY v.created_at DESC
          LIMIT ${HOLDS_READ}
       ) v ON true
      WHERE t.id = $1`,
};

/** The statement with a number nobody has, to prepare it on a connection (see src/calls/warm.ts). */
export const RECENT_HOLDS_STATEMENT = { ...RECENT_HOLDS, values: [0, new Date(0)] };

/**
 * A session row as a hold at `at`: released_at when it let the number go; else
 * held_until once that has passed by `at` (the sweep has not come yet); else still holding.
 */
export function holdOf(r: HoldRow, at: Date): NumberHold | undefined {
  if (r.id === null || r.created_at === null) return undefined;
  const expired = r.held_until !== null && r.held_until.getTime() <= at.getTime() ? r.held_until : null;
  return {
    sessionId: r.id,
    touch: touchOfRow(r),
    gaClientId: r.ga_client_id,
    from: r.created_at,
    releasedAt: r.released_at ?? expired,
  };
}

/** The holds of a pool number around `at`, and its site's hold time; undefined when the number has no pool or site. */
export async function recentHolds(db: Queryable, trackingNumberId: number, at: Date): Promise<{ holds: NumberHold[]; holdTimeS: number } | undefined> {
  const { rows } = await db.query<HoldRow>({ ...RECENT_HOLDS, values: [trackingNumberId, at] });
  if (rows.length === 0) return undefined;
  return { holds: rows.flatMap((r) => holdOf(r, at) ?? []), holdTimeS: rows[0]!.hold_time_s };
}

/** Attribute a call to a resolved tracking number, reading pool numbers' holds from PostgreSQL. */
export async function attributeCall(db: Queryable, tn: ResolvedTrackingNumber, at: Date): Promise<Attribution> {
  const dialled = dialledNumberOf(tn);
  if (dialled.kind !== 'pool') return toCallAttribution(attribute(dialled, at, [], 0));
  const read = await recentHolds(db, tn.id, at);
  return toCallAttribution(attribute(dialled, at, read?.holds ?? [], read?.holdTimeS ?? 0));
}

/**
 * The AttributionPort of the call path. A failed read never stops a call: it is
 * routed unattributed, and the failure is logged.
 */
export function postgresAttribution(db: Queryable, logger: Logger): AttributionPort {
  const log = logger.child({ component: 'attribution' });
  return {
    async attribute(tn, at) {
      try {
        return await attributeCall(db, tn, at);
      } catch (err) {
        log.warn({ err, trackingNumber: tn.number }, 'could not read the number\'s visitor sessions; the call is routed unattributed');
        return { confidence: 'none', label: `${UNATTRIBUTED_LABEL} (attribution lookup failed)` };
      }
    },
  };
}
