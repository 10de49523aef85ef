// A site ready for the public DNI API: allowed origins, a pool of numbers, and
// helpers to ask for sessions as a browser page would.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Queryable } from '../../src/db/pool.ts';
import type { TestApi } from './app.ts';

export const ORIGIN = 'https://shop.example.com';
export const PAGE = 'https://shop.example.com/catalog';
export const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
export const FALLBACK = '+380441999999';

/** n Kyiv numbers: +380442000000, +380442000001, … */
export const poolNumbers = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `+38044${2000000 + from + i}`);

export interface DniSiteFixture {
  readonly siteId: number;
  readonly key: string;
  readonly poolId: number | null;
  readonly numbers: readonly string[];
}

/** A site through the admin API, with a pool of `pool` numbers (none: no pool). */
export async function dniSite(api: TestApi, opts: { pool?: number; numbersFrom?: number; site?: Record<string, unknown> } = {}): Promise<DniSiteFixture> {
  const site = await api.post('/api/v1/sites', {
    name: 'Shop',
    domain: 'shop.example.com',
    fallback_number: FALLBACK,
    allowed_origins: [ORIGIN],
    ...opts.site,
  });
  if (site.statusCode !== 201) throw new Error(`site: ${site.body}`);
  const { id: siteId, public_key: key } = site.json() as { id: number; public_key: string };
  if (!opts.pool) return { siteId, key, poolId: null, numbers: [] };
  const pool = await api.post('/api/v1/pools', { site_id: siteId, name: 'Shop pool' });
  if (pool.statusCode !== 201) throw new Error(`pool: ${pool.body}`);
  const poolId = (pool.json() as { id: number }).id;
  const numbers = poolNumbers(opts.pool, opts.numbersFrom);
  for (let i = 0; i < numbers.length; i += 500) {
    const add = await api.post(`/api/v1/pools/${poolId}/numbers`, { numbers: numbers.slice(i, i + 500) });
    if (add.statusCode >= 300) throw new Error(`pool numbers: ${add.body}`);
  }
  return { siteId, key, poolId, numbers };
}

export interface AskOptions {
  readonly origin?: string | null;
  readonly userAgent?: string | null;
  /** The client address a trusted proxy reports (X-Forwarded-For). */
  readonly ip?: string;
  readonly headers?: Record<string, string>;
}

function headers(o: AskOptions): Record<string, string> {
  const h: Record<string, string> = { ...o.headers };
  if (o.origin !== null) h.origin = o.origin ?? ORIGIN;
  if (o.userAgent !== null) h['user-agent'] = o.userAgent ?? CHROME;
  if (o.ip) h['x-forwarded-for'] = o.ip;
  return h;
}

/** POST /dni/v1/sessions as the snippet does. */
export function askSession(app: FastifyInstance, body: Record<string, unknown>, o: AskOptions = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/dni/v1/sessions', headers: { 'content-type': 'application/json', ...headers(o) }, payload: JSON.stringify(body) });
}

export function sendHeartbeat(app: FastifyInstance, session: string, o: AskOptions = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/dni/v1/sessions/${session}/heartbeat`, headers: headers(o) });
}

export interface DniCounts {
  sessions: number;
  held: number;
  events: number;
  exhausted: number;
}

/** What a refused request must leave as it was. */
export async function dniCounts(db: Queryable): Promise<DniCounts> {
  const { rows } = await db.query<DniCounts>(
    `SELECT (SELECT count(*)::int FROM visitor_sessions) AS sessions,
            (SELECT count(*)::int FROM tracking_numbers WHERE held_by_session_id IS NOT NULL) AS held,
            (SELECT count(*)::int FROM dni_events) AS events,
            (SELECT coalesce(sum(exhausted_count), 0)::int FROM pools) AS exhausted`,
  );
  return rows[0]!;
}
