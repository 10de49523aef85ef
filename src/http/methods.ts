// Which methods a path answers to, for 405 Method Not Allowed with an Allow header.
// The routes are collected as fastify registers them; matching is a pure function.

export interface KnownRoute {
  readonly method: string;
  /** fastify's URL pattern: /api/v1/employees/:id, /docs/* */
  readonly url: string;
}

const trim = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

/** A fastify URL pattern as a regular expression over request paths. */
export function routePattern(url: string): RegExp {
  const source = trim(url)
    .split('/')
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The methods some route answers for this path (HEAD wherever GET is), sorted; empty for an unknown path. */
export function allowedMethods(routes: readonly KnownRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const r of routes) {
    if (!routePattern(r.url).test(trim(path))) continue;
    methods.add(r.method);
    if (r.method === 'GET') methods.add('HEAD');
  }
  return [...methods].sort();
}
