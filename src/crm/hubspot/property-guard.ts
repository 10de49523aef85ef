// Properties HubSpot does not have, kept out of writes. A property deleted in HubSpot
// after ringpath started writing it (a mapped field, or a ringpath_* property) must not
// dead-letter every call: the write is made again without it, the problem is logged
// once, and it is listed in the CRM status (crm_property_problems). The same holds for
// ringpath's own properties when HubSpot refused to create them (ensureSchema).
import type { Pool } from '../../db/pool.ts';
import type { Logger } from '../../logger.ts';

export type GuardedType = 'contacts' | 'deals' | 'calls' | 'tasks';

/** Names HubSpot's 400 says do not exist (PROPERTY_DOESNT_EXIST), when that is all it says. Pure. */
export function missingPropertiesOf(status: number | undefined, body: unknown): string[] {
  if (status !== 400 || typeof body !== 'object' || body === null) return [];
  const message = (body as { message?: unknown }).message;
  if (typeof message !== 'string') return [];
  const at = message.indexOf('[');
  if (at < 0) return [];
  let problems: unknown;
  try {
    problems = JSON.parse(message.slice(at));
  } catch {
    return [];
  }
  if (!Array.isArray(problems) || problems.length === 0) return [];
  const names: string[] = [];
  for (const p of problems) {
    if (typeof p !== 'object' || p === null) return [];
    const { error, name } = p as { error?: unknown; name?: unknown };
    if (error !== 'PROPERTY_DOESNT_EXIST' || typeof name !== 'string') return [];
    names.push(name);
  }
  return names;
}

/** The properties without the ones known to be missing. Pure. */
export function withoutMissing(properties: Readonly<Record<string, string>>, missing: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).filter(([name]) => !missing.has(name)));
}

export interface PropertyGuard {
  missing(type: GuardedType): ReadonlySet<string>;
  /** Records properties as missing: logged once per process, stored for the CRM status. */
  report(type: GuardedType, names: readonly string[], reason: string): Promise<void>;
  /** Properties found to exist (again): written from now on, no longer listed. */
  present(type: GuardedType, names: readonly string[]): Promise<void>;
}

export function propertyGuard(deps: { pool?: Pool; logger?: Logger } = {}): PropertyGuard {
  const sets = new Map<GuardedType, Set<string>>();
  const of = (type: GuardedType) => sets.get(type) ?? sets.set(type, new Set()).get(type)!;
  return {
    missing: of,
    async report(type, names, reason) {
      const set = of(type);
      const fresh = names.filter((n) => !set.has(n));
      for (const n of names) set.add(n);
      if (fresh.length > 0) {
        deps.logger?.warn({ objectType: type, properties: fresh, reason }, `HubSpot ${type} have no ${fresh.join(', ')}: calls are synced without them until they exist again`);
      }
      await deps.pool
        ?.query(
          `INSERT INTO crm_property_problems (object_type, property, reason) SELECT $1, unnest($2::text[]), $3
           ON CONFLICT (object_type, property) DO UPDATE SET reason = EXCLUDED.reason, last_seen_at = now()`,
          [type, names, reason],
        )
        .catch((err: unknown) => deps.logger?.warn({ err }, 'could not record a missing CRM property'));
    },
    async present(type, names) {
      for (const n of names) of(type).delete(n);
      await deps.pool
        ?.query('DELETE FROM crm_property_problems WHERE object_type = $1 AND property = ANY($2::text[])', [type, names])
        .catch((err: unknown) => deps.logger?.warn({ err }, 'could not clear a CRM property problem'));
    },
  };
}

export interface PropertyProblem {
  readonly object_type: string;
  readonly property: string;
  readonly reason: string;
  readonly first_seen_at: string;
  readonly last_seen_at: string;
}

export async function listPropertyProblems(pool: Pick<Pool, 'query'>): Promise<PropertyProblem[]> {
  const { rows } = await pool.query<{ object_type: string; property: string; reason: string; first_seen_at: Date; last_seen_at: Date }>(
    'SELECT object_type, property, reason, first_seen_at, last_seen_at FROM crm_property_problems ORDER BY object_type, property',
  );
  return rows.map((r) => ({ ...r, first_seen_at: r.first_seen_at.toISOString(), last_seen_at: r.last_seen_at.toISOString() }));
}
