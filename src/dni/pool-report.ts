// The pool report of a site (SPEC §4): holds in use minute by minute against the
// pool's size, the stretches it ran hot, how often it ran out, the busiest hour's
// arrival rate λ and mean hold W, and the pool size they call for (src/dni/sizing.ts).
import type { Queryable } from '../db/pool.ts';
import { demandByHour, exhaustion, sitePool, usageByMinute } from '../db/repositories/pool-report.ts';
import { AppError, notFound } from '../errors.ts';
import { busiestHour, HIGH_UTILISATION, HIGH_UTILISATION_MINUTES, highUtilisationWindows, peakOf, utilisation } from './pool-usage.ts';
import { EXHAUSTION_TARGET, sizePool } from './sizing.ts';

/** The longest range one report covers (44 640 one-minute buckets). */
export const MAX_REPORT_DAYS = 31;
const DAY_MS = 86_400_000;

export type PoolWarningCode = 'HIGH_UTILISATION' | 'POOL_EXHAUSTED' | 'POOL_TOO_SMALL' | 'NO_POOL';

export interface PoolReport {
  site_id: number;
  from: string;
  to: string;
  pool: { id: number | null; size: number; hold_time_s: number };
  utilisation: {
    bucket_s: 60;
    peak_holds: number;
    peak_at: string | null;
    /** peak_holds / size; null for a pool with no numbers. */
    peak_utilisation: number | null;
    buckets: Array<{ at: string; holds: number; utilisation: number | null }>;
  };
  high_utilisation: {
    threshold: number;
    min_minutes: number;
    windows: Array<{ from: string; to: string; minutes: number; peak_holds: number }>;
  };
  exhaustion: {
    events: number;
    events_by_hour: Array<{ hour: string; events: number }>;
    fallback_sessions: { total: number; by_reason: Record<string, number> };
  };
  busiest_hour: {
    from: string;
    to: string;
    pool_sessions: number;
    turned_away: number;
    arrivals_per_hour: number;
    mean_hold_s: number;
    offered_load: number;
  } | null;
  sizing: {
    offered_load: number;
    current_size: number;
    recommended_size: number;
    exhaustion_probability: number;
    target: number;
  };
  warnings: Array<{ code: PoolWarningCode; message: string }>;
}

/** The report's range: both ends required in order, at most MAX_REPORT_DAYS apart. */
export function checkRange(from: Date, to: Date): void {
  if (to.getTime() <= from.getTime()) throw AppError.field('VALIDATION_FAILED', '/to', `must be after from (${from.toISOString()})`);
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS) {
    throw AppError.field(
      'VALIDATION_FAILED',
      '/to',
      `the report covers at most ${MAX_REPORT_DAYS} days of one-minute buckets; ${from.toISOString()} to ${to.toISOString()} is ${((to.getTime() - from.getTime()) / DAY_MS).toFixed(1)} days`,
    );
  }
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const iso = (d: Date): string => d.toISOString();

export async function poolReport(db: Queryable, siteId: number, from: Date, to: Date): Promise<PoolReport> {
  checkRange(from, to);
  const site = await sitePool(db, siteId);
  if (!site) throw notFound('site', siteId);
  const [buckets, hours, out] = await Promise.all([
    usageByMinute(db, siteId, from, to),
    demandByHour(db, siteId, from, to),
    exhaustion(db, siteId, from, to),
  ]);
  const size = site.size;
  const peak = peakOf(buckets);
  const windows = highUtilisationWindows(buckets, size);
  const busiest = busiestHour(hours);
  const sizing = sizePool({ arrivalsPerHour: busiest?.arrivalsPerHour ?? 0, meanHoldS: busiest?.holdS ?? 0, currentSize: size });
  const events = out.eventsByHour.reduce((n, h) => n + h.events, 0);
  const fallbackTotal = Object.values(out.fallbackSessions).reduce((n, x) => n + x, 0);

  const warnings: PoolReport['warnings'] = [];
  if (site.poolId === null) warnings.push({ code: 'NO_POOL', message: `site ${siteId} has no pool: every visitor gets the fallback number` });
  if (windows.length > 0) {
    const longest = windows.reduce((a, b) => (b.minutes > a.minutes ? b : a));
    warnings.push({
      code: 'HIGH_UTILISATION',
      message:
        `utilisation stayed above ${HIGH_UTILISATION * 100}% for ${HIGH_UTILISATION_MINUTES} minutes or more ${windows.length} time(s); ` +
        `the longest: ${longest.minutes} minutes from ${iso(longest.from)}`,
    });
  }
  if (events > 0) warnings.push({ code: 'POOL_EXHAUSTED', message: `the pool ran out ${events} time(s): those visitors got the fallback number and their calls cannot be attributed` });
  if (site.poolId !== null && sizing.recommendedSize > size) {
    warnings.push({
      code: 'POOL_TOO_SMALL',
      message:
        `at the busiest hour a visitor finds the pool exhausted with probability ${(sizing.exhaustionProbability * 100).toFixed(1)}%; ` +
        `${sizing.recommendedSize} numbers would keep it at or below ${EXHAUSTION_TARGET * 100}% (the pool has ${size})`,
    });
  }

  return {
    site_id: siteId,
    from: iso(from),
    to: iso(to),
    pool: { id: site.poolId, size, hold_time_s: site.holdTimeS },
    utilisation: {
      bucket_s: 60,
      peak_holds: peak?.holds ?? 0,
      peak_at: peak && peak.holds > 0 ? iso(peak.at) : null,
      peak_utilisation: utilisation(peak?.holds ?? 0, size),
      buckets: buckets.map((b) => ({ at: iso(b.at), holds: b.holds, utilisation: utilisation(b.holds, size) })),
    },
    high_utilisation: {
      threshold: HIGH_UTILISATION,
      min_minutes: HIGH_UTILISATION_MINUTES,
      windows: windows.map((w) => ({ from: iso(w.from), to: iso(w.to), minutes: w.minutes, peak_holds: w.peakHolds })),
    },
    exhaustion: {
      events,
      events_by_hour: out.eventsByHour.map((h) => ({ hour: iso(h.hour), events: h.events })),
      fallback_sessions: { total: fallbackTotal, by_reason: { ...out.fallbackSessions } },
    },
    busiest_hour: busiest
      ? {
          from: iso(busiest.from),
          to: iso(new Date(busiest.from.getTime() + 3_600_000)),
          pool_sessions: busiest.pooled,
          turned_away: busiest.turnedAway,
          arrivals_per_hour: busiest.arrivalsPerHour,
          mean_hold_s: round(busiest.holdS, 1),
          offered_load: round(busiest.offeredLoad, 4),
        }
      : null,
    sizing: {
      offered_load: round(sizing.offeredLoad, 4),
      current_size: size,
      recommended_size: sizing.recommendedSize,
      exhaustion_probability: round(sizing.exhaustionProbability, 6),
      target: sizing.target,
    },
    warnings,
  };
}
