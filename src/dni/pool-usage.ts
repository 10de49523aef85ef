// Reading a pool's use over time (SPEC §4 "Pool report"), pure: the peak, the
// stretches where it ran hot, and the hour that sizes it. The minute buckets and
// hourly arrivals come from PostgreSQL (src/db/repositories/pool-report.ts).

/** One minute: the most holds in use at once during it. */
export interface UsageBucket {
  readonly at: Date;
  readonly holds: number;
}

/** Utilisation above this share of the pool is high. */
export const HIGH_UTILISATION = 0.75;
/** For at least this many minutes in a row, it is worth a warning. */
export const HIGH_UTILISATION_MINUTES = 15;

export interface HighUtilisationWindow {
  /** The first minute above the threshold. */
  readonly from: Date;
  /** The end of the last minute above it. */
  readonly to: Date;
  readonly minutes: number;
  readonly peakHolds: number;
}

const MINUTE_MS = 60_000;

/** Holds in use as a share of the pool; null for a pool with no numbers. */
export const utilisation = (holds: number, poolSize: number): number | null => (poolSize > 0 ? holds / poolSize : null);

/**
 * Runs of consecutive minutes whose utilisation is above `threshold` (strictly),
 * lasting at least `minMinutes`. A minute missing from the series breaks a run.
 */
export function highUtilisationWindows(
  buckets: readonly UsageBucket[],
  poolSize: number,
  threshold = HIGH_UTILISATION,
  minMinutes = HIGH_UTILISATION_MINUTES,
): HighUtilisationWindow[] {
  const windows: HighUtilisationWindow[] = [];
  let run: UsageBucket[] = [];
  const close = (): void => {
    if (run.length >= minMinutes) {
      windows.push({
        from: run[0]!.at,
        to: new Date(run[run.length - 1]!.at.getTime() + MINUTE_MS),
        minutes: run.length,
        peakHolds: Math.max(...run.map((b) => b.holds)),
      });
    }
    run = [];
  };
  for (const b of buckets) {
    const u = utilisation(b.holds, poolSize);
    const high = u !== null && u > threshold;
    const follows = run.length > 0 && b.at.getTime() === run[run.length - 1]!.at.getTime() + MINUTE_MS;
    if (!high || (run.length > 0 && !follows)) close();
    if (high) run.push(b);
  }
  close();
  return windows;
}

/** The busiest minute: the most holds at once, the earliest such minute; undefined for no buckets. */
export function peakOf(buckets: readonly UsageBucket[]): UsageBucket | undefined {
  let best: UsageBucket | undefined;
  for (const b of buckets) if (!best || b.holds > best.holds) best = b;
  return best;
}

/** One clock hour of demand. */
export interface HourDemand {
  readonly from: Date;
  /** Pool sessions that started in the hour. */
  readonly pooled: number;
  /** Visitors turned away to the fallback number because the pool was exhausted: demand too. */
  readonly turnedAway: number;
  /** Mean hold of the hour's pool sessions, in seconds; null when there were none. */
  readonly meanHoldS: number | null;
}

export interface BusiestHour extends HourDemand {
  /** λ: every visitor who wanted a pool number in the hour (pooled + turned away). */
  readonly arrivalsPerHour: number;
  /** W: the hour's mean hold (0 when nobody was pooled). */
  readonly holdS: number;
  /** λ·W in holds. */
  readonly offeredLoad: number;
}

/**
 * The hour that sizes the pool: the highest offered load λ·W (not merely the most
 * arrivals: fewer visitors holding longer can need more numbers); on a tie, the
 * one with more arrivals, then the earliest. λ counts visitors the exhausted pool turned away, or an undersized
 * pool would only ever recommend itself; they are given the hour's mean hold.
 */
export function busiestHour(hours: readonly HourDemand[]): BusiestHour | undefined {
  let best: BusiestHour | undefined;
  for (const h of hours) {
    const arrivalsPerHour = h.pooled + h.turnedAway;
    const holdS = h.meanHoldS ?? 0;
    const offeredLoad = (arrivalsPerHour * holdS) / 3600;
    const better =
      !best ||
      offeredLoad > best.offeredLoad ||
      (offeredLoad === best.offeredLoad && (arrivalsPerHour > best.arrivalsPerHour || (arrivalsPerHour === best.arrivalsPerHour && h.from < best.from)));
    if (better) best = { ...h, arrivalsPerHour, holdS, offeredLoad };
  }
  return best;
}
