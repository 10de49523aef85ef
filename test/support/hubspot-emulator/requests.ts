// The log of API requests the emulator received, for assertions such as
// "syncing one call makes at most 3 requests".
import type { RouteKind } from './router.ts';

export interface RequestRecord {
  readonly at: number;
  readonly method: string;
  /** The concrete path, e.g. /crm/v3/objects/contacts/10001 */
  readonly path: string;
  /** The route template, e.g. `GET /crm/v3/objects/{objectType}/{objectId}`; `unknown` when nothing matched. */
  readonly route: string;
  /** The template with object types filled in, e.g. `GET /crm/v3/objects/contacts/{objectId}`. */
  readonly key: string;
  readonly kind: RouteKind;
  /** The status answered; 0 while in flight or when the connection was dropped. */
  status: number;
}

/**
 * A route filter: a key or template string (`POST /crm/v3/objects/calls/batch/create`,
 * `POST /crm/v3/objects/{objectType}/search`), a RegExp tested against
 * `METHOD /path`, or a predicate.
 */
export type RouteFilter = string | RegExp | ((r: RequestRecord) => boolean);

export function matchesRoute(filter: RouteFilter | undefined, r: RequestRecord): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'string') return filter === r.key || filter === r.route || filter === `${r.method} ${r.path}`;
  if (filter instanceof RegExp) return filter.test(`${r.method} ${r.path}`);
  return filter(r);
}

export class RequestLog {
  private entries: RequestRecord[] = [];

  add(r: RequestRecord): RequestRecord {
    this.entries.push(r);
    return r;
  }

  list(filter?: RouteFilter): RequestRecord[] {
    return this.entries.filter((r) => matchesRoute(filter, r));
  }

  count(filter?: RouteFilter): number {
    return this.list(filter).length;
  }

  /** Request counts by key, e.g. { 'POST /crm/v3/objects/contacts/search': 2 }. */
  byRoute(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.entries) out[r.key] = (out[r.key] ?? 0) + 1;
    return out;
  }

  clear(): void {
    this.entries = [];
  }
}
