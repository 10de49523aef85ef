// A small method + path-template router. Templates use HubSpot's own notation,
// e.g. `/crm/v3/objects/{objectType}/{objectId}`, so request logs read like the
// API reference.
import type { IncomingHttpHeaders } from 'node:http';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Ctx {
  readonly method: Method;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Runs once the response has been written (used to go down after answering). */
  after?: () => void;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

/** Which rate-limit bucket a route draws from. */
export type RouteKind = 'api' | 'search' | 'control';

export interface Route {
  readonly method: Method;
  readonly template: string;
  readonly kind: RouteKind;
  readonly handler: Handler;
  readonly segments: readonly string[];
}

export interface Match {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** Path parameters that name an object type stay concrete in request keys. */
const TYPE_PARAMS = new Set(['objectType', 'fromObjectType', 'toObjectType']);

export const splitPath = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

export class Router {
  private readonly routes: Route[] = [];

  add(method: Method, template: string, handler: Handler, kind: RouteKind = 'api'): void {
    this.routes.push({ method, template, kind, handler, segments: splitPath(template) });
  }

  /** The best match: the route with the most literal segments wins. */
  match(method: string, path: string): Match | undefined {
    const parts = splitPath(path);
    let best: { match: Match; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      route.segments.forEach((seg, i) => {
        const part = parts[i] ?? '';
        if (seg.startsWith('{') && seg.endsWith('}')) params[seg.slice(1, -1)] = decodeURIComponent(part);
        else if (seg === part) literals++;
        else ok = false;
      });
      if (ok && (!best || literals > best.literals)) best = { match: { route, params }, literals };
    }
    return best?.match;
  }
}

/** `POST /crm/v3/objects/contacts/search`: the template with object types filled in. */
export function requestKey(match: Match, canonicalType: (name: string) => string = (n) => n): string {
  const segs = match.route.segments.map((seg) => {
    const name = seg.startsWith('{') && seg.endsWith('}') ? seg.slice(1, -1) : undefined;
    const value = name === undefined ? undefined : match.params[name];
    return name && value !== undefined && TYPE_PARAMS.has(name) ? canonicalType(value) : seg;
  });
  return `${match.route.method} /${segs.join('/')}`;
}
