// Each process keeps what the public DNI API reads on every request (a site by its
// public key, and the origins any site allows) for a few seconds, so a request
// costs one statement. Writes through this process's admin API drop it at once;
// another process sees a change within CACHE_TTL_MS.
import type { Queryable } from '../db/pool.ts';
import { loadAllowedOrigins, loadDniSite, type DniSite } from '../db/repositories/dni-sessions.ts';

export const CACHE_TTL_MS = 5_000;
/** Unknown keys are remembered too (a flood of made-up keys must not reach the database); past this many entries the cache starts over. */
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  readonly at: number;
  readonly value: Promise<T>;
}

export interface DniSiteCache {
  site(publicKey: string): Promise<DniSite | undefined>;
  /** True when some site allows the origin (CORS preflights name no site). */
  originKnown(origin: string): Promise<boolean>;
  /** Forget everything: the next request reads the database. */
  invalidate(): void;
}

export function dniSiteCache(db: Queryable, now: () => number = Date.now): DniSiteCache {
  let sites = new Map<string, Entry<DniSite | undefined>>();
  let origins: Entry<Set<string>> | undefined;
  const fresh = (e: Entry<unknown> | undefined): boolean => e !== undefined && now() - e.at < CACHE_TTL_MS;
  return {
    site(publicKey) {
      const hit = sites.get(publicKey);
      if (fresh(hit)) return hit!.value;
      if (sites.size >= MAX_ENTRIES) sites = new Map();
      const value = loadDniSite(db, publicKey);
      const entry = { at: now(), value };
      sites.set(publicKey, entry);
      // a failed read is not remembered
      value.catch(() => sites.get(publicKey) === entry && sites.delete(publicKey));
      return value;
    },
    async originKnown(origin) {
      if (!fresh(origins)) {
        const entry = { at: now(), value: loadAllowedOrigins(db).then((list) => new Set(list)) };
        origins = entry;
        entry.value.catch(() => origins === entry && (origins = undefined));
      }
      return (await origins!.value).has(origin);
    },
    invalidate() {
      sites = new Map();
      origins = undefined;
    },
  };
}
