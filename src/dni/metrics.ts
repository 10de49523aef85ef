// DNI counters on the shared Prometheus registry (/metrics).
import { Counter, type Registry } from 'prom-client';
import type { DniKind } from '../db/repositories/dni-sessions.ts';

/** Why a DNI request got no number: the stable codes of its problem, used as the metric label. */
export type DniRefusal =
  | 'rate_limited'
  | 'ip_cap'
  | 'origin_refused'
  | 'unknown_site'
  | 'bad_request'
  | 'bad_page'
  | 'session_not_found';

export interface DniMetrics {
  session(kind: DniKind): void;
  poolExhausted(): void;
  bot(): void;
  refused(reason: DniRefusal): void;
}

export function dniMetrics(registry: Registry): DniMetrics {
  // one set per registry: an app built twice on one registry shares them
  const existing = registry.getSingleMetric('ringpath_dni_sessions_total');
  const sessions =
    (existing as Counter<'kind'> | undefined) ??
    new Counter({ name: 'ringpath_dni_sessions_total', help: 'DNI sessions opened, by the kind of number shown (pool, static, fallback)', labelNames: ['kind'] as const, registers: [registry] });
  const exhausted =
    (registry.getSingleMetric('ringpath_dni_pool_exhausted_total') as Counter | undefined) ??
    new Counter({ name: 'ringpath_dni_pool_exhausted_total', help: 'DNI sessions given the fallback number because no pool number was free', registers: [registry] });
  const bots =
    (registry.getSingleMetric('ringpath_dni_bots_total') as Counter | undefined) ??
    new Counter({ name: 'ringpath_dni_bots_total', help: 'DNI sessions of bots, crawlers and headless browsers, given the fallback number', registers: [registry] });
  const refused =
    (registry.getSingleMetric('ringpath_dni_refused_total') as Counter<'reason'> | undefined) ??
    new Counter({ name: 'ringpath_dni_refused_total', help: 'DNI requests refused without a number, by reason', labelNames: ['reason'] as const, registers: [registry] });
  return {
    session: (kind) => sessions.inc({ kind }),
    poolExhausted: () => exhausted.inc(),
    bot: () => bots.inc(),
    refused: (reason) => refused.inc({ reason }),
  };
}
