// The console's reports (SPEC §8), as pure shapes over rows the database
// returns: calls by source over time, answered and missed per employee, and how
// long missed callers waited for a call back.

export interface SourceDayRow {
  readonly day: string;
  readonly source: string;
  readonly calls: number;
}

/** One row per day, one column per source (the `top` busiest; the rest summed as "other"), for a stacked chart. */
export function callsBySourceSeries(rows: readonly SourceDayRow[], top = 6): { sources: string[]; days: Array<Record<string, number | string>> } {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.source, (totals.get(r.source) ?? 0) + r.calls);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s);
  const kept = ranked.slice(0, top);
  const sources = ranked.length > top ? [...kept, 'other'] : kept;
  const byDay = new Map<string, Record<string, number | string>>();
  for (const r of rows) {
    const day = byDay.get(r.day) ?? Object.fromEntries([['day', r.day], ...sources.map((s) => [s, 0])]);
    const column = kept.includes(r.source) ? r.source : 'other';
    day[column] = (day[column] as number) + r.calls;
    byDay.set(r.day, day);
  }
  return { sources, days: [...byDay.values()].sort((a, b) => String(a.day).localeCompare(String(b.day))) };
}

export interface CallbackStats {
  /** Missed calls that were called back. */
  readonly called_back: number;
  /** Missed calls nobody called back (yet). */
  readonly not_called_back: number;
  readonly median_minutes: number | null;
  readonly p90_minutes: number | null;
  /** How many were called back within 15 min, 1 h, 4 h, 24 h, and later. */
  readonly buckets: Array<{ label: '15m' | '1h' | '4h' | '24h' | 'later'; calls: number }>;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `delays`: minutes from each missed call to its first call back, null when there was none. */
export function callbackStats(delays: ReadonlyArray<number | null>): CallbackStats {
  const done = delays.filter((d): d is number => d !== null).sort((a, b) => a - b);
  const limits: Array<[CallbackStats['buckets'][number]['label'], number]> = [
    ['15m', 15],
    ['1h', 60],
    ['4h', 240],
    ['24h', 1440],
    ['later', Infinity],
  ];
  const buckets = limits.map(([label, max], i) => ({
    label,
    calls: done.filter((d) => d <= max && (i === 0 || d > limits[i - 1]![1])).length,
  }));
  return {
    called_back: done.length,
    not_called_back: delays.length - done.length,
    median_minutes: percentile(done, 50),
    p90_minutes: percentile(done, 90),
    buckets,
  };
}
