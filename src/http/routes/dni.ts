// The public DNI API (/dni/v1): no API key; a site is named by its public key and
// only its allowed origins may ask for its numbers. Every refusal is a problem
// with a stable code, and none of them takes a number from the pool.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import type { DniSite } from '../../db/repositories/dni-sessions.ts';
import { PoolAllocator, openSession, type SessionRequest } from '../../dni/allocation.ts';
import { Heartbeats } from '../../dni/heartbeats.ts';
import { dniMetrics, type DniRefusal } from '../../dni/metrics.ts';
import type { DniSiteCache } from '../../dni/site-cache.ts';
import { formatNational } from '../../phone/index.ts';
import { swapConfigCache } from '../../dni/swap.ts';
import type { AppDeps } from '../app.ts';
import { jsonBodyParser } from '../json-body.ts';
import { problem, sendProblem } from '../problem.ts';
import { AmpNumber, AmpQuery, Heartbeat, Session, SessionCreate, SessionParams, dniErrors } from '../schemas/dni.ts';

/** Small bodies only: a session request is a few hundred bytes. */
export const DNI_BODY_LIMIT = 8 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** AMP caches serve a publisher's AMP pages from their own origins (https://example-com.cdn.ampproject.org). */
const AMP_CACHE_ORIGIN = /^https:\/\/[a-z0-9-]+\.(cdn\.ampproject\.org|bing-amp\.com)$/;
const PREFLIGHT_MAX_AGE_S = 600;

/** The national format of each number shown, worked out once (pools are small; bounded all the same). */
const displays = new Map<string, string>();
function display(number: string): string {
  let d = displays.get(number);
  if (d === undefined) {
    d = formatNational(number);
    if (displays.size >= 100_000) displays.clear();
    displays.set(number, d);
  }
  return d;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Why a DNI request was refused, for the refusals metric. */
    dniRefusal: DniRefusal | null;
    /** The client's address (request.ip, worked out once: behind proxies it walks X-Forwarded-For). */
    dniIp: string;
  }
}

export interface DniRouteOptions {
  readonly deps: AppDeps;
  readonly sites: DniSiteCache;
}

function refuse(request: FastifyRequest, reply: FastifyReply, reason: DniRefusal, status: number, code: string, detail: string, field?: string) {
  request.dniRefusal = reason;
  return sendProblem(reply, { ...problem(status, code, detail, field ? [{ field, message: detail }] : undefined), instance: request.url.split('?')[0]! });
}

/**
 * The page an AMP request is for: its Referer, unwrapped when an AMP cache served it
 * (https://example-com.cdn.ampproject.org/c/s/example.com/p?x → https://example.com/p?x),
 * else the publisher's origin.
 */
export function ampPage(referer: string | undefined, sourceOrigin: string | undefined): string | undefined {
  if (referer) {
    try {
      const url = new URL(referer);
      if (AMP_CACHE_ORIGIN.test(url.origin)) {
        const m = /^\/(?:[a-z]+\/)?c\/(s\/)?(.+)$/.exec(url.pathname);
        if (m) return `${m[1] ? 'https' : 'http'}://${m[2]}${url.search}`;
      } else if (url.protocol === 'http:' || url.protocol === 'https:') {
        return referer;
      }
    } catch {
      // an unreadable Referer: fall back to the origin
    }
  }
  return sourceOrigin ? `${sourceOrigin}/` : undefined;
}

export async function dniRoutes(fastify: FastifyInstance, opts: DniRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps, sites } = opts;
  const { pool, config } = deps;
  const metrics = dniMetrics(app.metrics);
  const allocator = new PoolAllocator(pool);
  const heartbeats = new Heartbeats(pool);
  const tags = ['dni (public)'];
  const swapOf = swapConfigCache(config.defaultCountry);

  // JSON, also when sent as text/plain (a "simple" request, so browsers skip the
  // preflight); an empty body is no body.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  const json = jsonBodyParser(app);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit: DNI_BODY_LIMIT }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') return done(null, undefined);
    json(request, text, done);
  });

  app.decorateRequest('dniRefusal', null);
  app.decorateRequest('dniIp', '');
  app.addHook('onRequest', async (request, reply) => {
    request.dniIp = request.ip;
    reply.header('Cache-Control', 'no-store');
    // CORS for the snippet's requests: an origin some site allows may read the answer
    // (problems included, so the snippet sees a 404 and asks for a new session); which
    // site's origins a request may use is checked in the handler.
    const origin = request.headers.origin;
    if (origin && !request.url.startsWith(`${app.prefix}/amp`) && (await sites.originKnown(origin))) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Vary', 'Origin');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 400) return;
    metrics.refused(request.dniRefusal ?? (reply.statusCode === 429 ? 'rate_limited' : 'bad_request'));
  });

  // Per client address, in this process's memory: see README "Rate limits and bots".
  await app.register(rateLimit, {
    max: config.dni.rateLimitPerMinute,
    timeWindow: 60_000,
    cache: 20_000,
    keyGenerator: (request) => request.dniIp,
    errorResponseBuilder: (_request, ctx) =>
      Object.assign(new Error(`too many requests from this address: at most ${ctx.max} a minute to /dni/v1; retry in ${ctx.after}`), {
        statusCode: 429,
        code: 'RATE_LIMITED',
      }),
  });

  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (!origin) return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_REQUIRED', 'a CORS preflight needs an Origin header');
    if (!(await sites.originKnown(origin))) {
      return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_NOT_ALLOWED', `origin ${origin} is not an allowed origin of any site`);
    }
    return reply
      .code(204)
      .header('Access-Control-Allow-Methods', 'POST, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Content-Type')
      .header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S))
      .send();
  };
  app.options('/sessions', { schema: { hide: true }, config: { rateLimit: false } }, preflight);
  app.options('/sessions/:session/heartbeat', { schema: { hide: true }, config: { rateLimit: false } }, preflight);

  /** The origin check for a named site: 403 unless the request's Origin is one the site allows. */
  const originRefused = (request: FastifyRequest, reply: FastifyReply, site: DniSite): FastifyReply | undefined => {
    const origin = request.headers.origin;
    if (!origin) {
      return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_REQUIRED', 'an Origin header is required: numbers are given to the pages of a site');
    }
    if (!site.allowed_origins.includes(origin)) {
      return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_NOT_ALLOWED', `origin ${origin} is not an allowed origin of site ${site.public_key}`);
    }
    return undefined;
  };

  async function open(request: FastifyRequest, reply: FastifyReply, site: DniSite, req: SessionRequest) {
    const r = await openSession({ db: pool, allocator }, site, req);
    if (!r.ok) {
      if (r.reason === 'bad_page') return { refused: refuse(request, reply, 'bad_page', 400, 'PAGE_INVALID', `page ${r.message}`, '/page') };
      return {
        refused: refuse(
          request,
          reply,
          'ip_cap',
          429,
          'TOO_MANY_SESSIONS',
          `this address already has ${site.max_sessions_per_ip} live sessions on site ${site.public_key} (the site's max_sessions_per_ip); close some pages or wait for them to expire`,
        ),
      };
    }
    metrics.session(r.session.kind);
    if (r.session.fallbackReason === 'pool_exhausted') metrics.poolExhausted();
    if (r.session.fallbackReason === 'bot') metrics.bot();
    return { opened: r };
  }

  app.post(
    '/sessions',
    {
      bodyLimit: DNI_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Open a session: the number to show on a page',
        description:
          "Called by the snippet on each page view. Reads the visit's source from the page URL and referrer, and answers the number to show: " +
          "a number of the site's pool held for this visitor, a source rule's static number, or the fallback number. Public: named by the site's key, " +
          "allowed only from the site's origins.",
        body: SessionCreate,
        response: { 200: Session, ...dniErrors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const site = await sites.site(b.site);
      if (!site) return refuse(request, reply, 'unknown_site', 404, 'SITE_NOT_FOUND', `no site has the public key ${JSON.stringify(b.site)}`, '/site');
      const refused = originRefused(request, reply, site);
      if (refused) return refused;
      const r = await open(request, reply, site, {
        visitor: b.visitor ?? null,
        page: b.page,
        referrer: b.referrer ?? null,
        gaClientId: b.ga?.client_id ?? null,
        gaSessionId: b.ga?.session_id ?? null,
        webdriver: b.webdriver === true,
        userAgent: request.headers['user-agent'] ?? null,
        ip: request.dniIp,
      });
      if ('refused' in r) return r.refused;
      const { visitor, session } = r.opened;
      return {
        session: session.publicId,
        visitor,
        number: session.number,
        display: display(session.number),
        kind: session.kind,
        held_until: session.heldUntil.toISOString(),
        heartbeat_s: site.heartbeat_s,
        swap: swapOf(site),
      };
    },
  );

  app.post(
    '/sessions/:session/heartbeat',
    {
      bodyLimit: DNI_BODY_LIMIT,
      schema: {
        tags,
        summary: "Keep a session's number held",
        description: 'Sent by the snippet every heartbeat_s seconds while the page is visible; the number stays held for the hold time after the last one.',
        params: SessionParams,
        response: { 200: Heartbeat, ...dniErrors },
      },
    },
    async (request, reply) => {
      const id = request.params.session;
      const notFound = () =>
        refuse(request, reply, 'session_not_found', 404, 'SESSION_NOT_FOUND', `session ${id} is unknown, released or expired; open a new session`);
      const origin = request.headers.origin;
      if (!origin) return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_REQUIRED', 'an Origin header is required: heartbeats come from the pages of a site');
      if (!UUID.test(id)) return notFound();
      const r = await heartbeats.beat(id, origin);
      if (r.ok) return { held_until: r.heldUntil.toISOString() };
      if (r.reason === 'origin') return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_NOT_ALLOWED', `origin ${origin} is not an allowed origin of this session's site`);
      return notFound();
    },
  );

  // amp-call-tracking (https://amp.dev/documentation/components/amp-call-tracking):
  // a credentialed CORS GET from the page, or from an AMP cache serving it.
  app.get(
    '/amp',
    {
      schema: {
        tags,
        summary: 'The number for an AMP page',
        description: 'The config endpoint of amp-call-tracking: the number to show on an AMP page, as a session would give it.',
        querystring: AmpQuery,
        response: { 200: AmpNumber, ...dniErrors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const site = await sites.site(q.site);
      if (!site) return refuse(request, reply, 'unknown_site', 404, 'SITE_NOT_FOUND', `no site has the public key ${JSON.stringify(q.site)}`, 'querystring/site');
      const origin = request.headers.origin;
      const source = q.__amp_source_origin;
      if (source !== undefined && !site.allowed_origins.includes(source)) {
        return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_NOT_ALLOWED', `__amp_source_origin ${source} is not an allowed origin of site ${site.public_key}`);
      }
      if (origin) {
        const fromCache = AMP_CACHE_ORIGIN.test(origin) && source !== undefined;
        if (!site.allowed_origins.includes(origin) && !fromCache) {
          return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_NOT_ALLOWED', `origin ${origin} is neither an allowed origin of site ${site.public_key} nor an AMP cache serving one`);
        }
        reply.header('Access-Control-Allow-Origin', origin).header('Access-Control-Allow-Credentials', 'true').header('Vary', 'Origin');
      } else if (request.headers['amp-same-origin'] !== 'true' || source === undefined) {
        return refuse(request, reply, 'origin_refused', 403, 'ORIGIN_REQUIRED', 'an Origin header (or AMP-Same-Origin: true with __amp_source_origin) is required');
      }
      const sourceOrigin = source ?? origin!;
      reply.header('AMP-Access-Control-Allow-Source-Origin', sourceOrigin).header('Access-Control-Expose-Headers', 'AMP-Access-Control-Allow-Source-Origin');
      const page = ampPage(request.headers.referer, site.allowed_origins.includes(sourceOrigin) ? sourceOrigin : undefined);
      if (!page) return refuse(request, reply, 'bad_page', 400, 'PAGE_INVALID', 'the page is unknown: send a Referer or __amp_source_origin', 'querystring/__amp_source_origin');
      const r = await open(request, reply, site, {
        visitor: q.visitor ?? null,
        page,
        referrer: null,
        gaClientId: null,
        gaSessionId: null,
        webdriver: false,
        userAgent: request.headers['user-agent'] ?? null,
        ip: request.dniIp,
      });
      if ('refused' in r) return r.refused;
      return { phoneNumber: r.opened.session.number, formattedPhoneNumber: display(r.opened.session.number) };
    },
  );
}
