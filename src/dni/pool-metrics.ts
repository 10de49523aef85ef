// Pool utilisation in /metrics, per site with a pool:
//   ringpath_dni_pool_utilisation_ratio{site_id}  holds in use / pool size, the current minute's peak;
//   ringpath_dni_pool_high_utilisation{site_id}   1 while utilisation has stayed above 75% for the last 15 minutes;
//   ringpath_dni_pool_size{site_id}               the pool's numbers.
// Worked out from PostgreSQL when Prometheus scrapes (the gauges' collect), with the
// pool report's own queries, at most once per REFRESH_MS; so every ringpath process
// reports the same values and no job has to run. A failed read keeps the last values.
import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/pool.ts';
import { sitesWithPools, usageByMinute } from '../db/repositories/pool-report.ts';
import type { Logger } from '../logger.ts';
import { HIGH_UTILISATION_MINUTES, highUtilisationWindows, utilisation } from './pool-usage.ts';

export const REFRESH_MS = 30_000;
const MINUTE_MS = 60_000;

export interface PoolGaugeValue {
  readonly siteId: number;
  readonly size: number;
  readonly utilisation: number;
  readonly high: boolean;
}

/** Each pooled site's state at `now`: the last HIGH_UTILISATION_MINUTES minutes, the current one included. */
export async function poolGaugeValues(db: Queryable, now: Date): Promise<PoolGaugeValue[]> {
  const from = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - (HIGH_UTILISATION_MINUTES - 1) * MINUTE_MS);
  const to = new Date(now.getTime() + 1);
  const out: PoolGaugeValue[] = [];
  for (const site of await sitesWithPools(db)) {
    const buckets = await usageByMinute(db, site.siteId, from, to);
    const last = buckets[buckets.length - 1];
    const windows = highUtilisationWindows(buckets, site.size);
    out.push({
      siteId: site.siteId,
      size: site.size,
      utilisation: utilisation(last?.holds ?? 0, site.size) ?? 0,
      high: windows.some((w) => w.minutes >= HIGH_UTILISATION_MINUTES && w.to.getTime() > now.getTime()),
    });
  }
  return out;
}

export function registerPoolMetrics(registry: Registry, db: Queryable, logger: Logger, clock: () => Date = () => new Date()): void {
  const log = logger.child({ component: 'pool-metrics' });
  let values: PoolGaugeValue[] = [];
  let refreshed = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    const now = clock();
    if (now.getTime() - refreshed < REFRESH_MS) return Promise.resolve();
    running ??= poolGaugeValues(db, now)
      .then((v) => {
        values = v;
        refreshed = now.getTime();
      })
      .catch((err: unknown) => log.warn({ err }, 'pool utilisation not read; /metrics keeps the last values'))
      .finally(() => (running = undefined));
    return running;
  };
  const gauge = (name: string, help: string, value: (v: PoolGaugeValue) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['site_id'] as const,
      registers: [registry],
      async collect() {
        await refresh();
        this.reset();
        for (const v of values) this.set({ site_id: String(v.siteId) }, value(v));
      },
    });
  };
  gauge('ringpath_dni_pool_utilisation_ratio', 'Holds in use over pool size in the current minute (its peak), per site', (v) => v.utilisation);
  gauge(
    'ringpath_dni_pool_high_utilisation',
    `1 while a site's pool utilisation has stayed above 75% for the last ${HIGH_UTILISATION_MINUTES} minutes, else 0`,
    (v) => (v.high ? 1 : 0),
  );
  gauge('ringpath_dni_pool_size', 'Numbers in the site pool', (v) => v.size);
}
