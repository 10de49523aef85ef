// Who is calling /api/v1, and may they: an API key (`Authorization: Bearer
// <key>`, for integrations) or a console session (a cookie from
// POST /api/v1/auth/login, held in PostgreSQL). Every route's permission comes
// from src/auth/access.ts; a session's unsafe requests also need the CSRF token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import csrfProtection from '@fastify/csrf-protection';
import connectPgSimple from 'connect-pg-simple';
import { decide, permissionFor, type Principal } from '../../auth/access.ts';
import { verifyApiKey, type ApiKeyRecord } from '../../auth/api-keys.ts';
import { consoleUsers, type ConsoleUser } from '../../auth/console-users.ts';
import type { Pool } from '../../db/pool.ts';
import type { Logger } from '../../logger.ts';
import { problem, sendProblem } from '../problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKeyRecord;
    /** Who is calling: an API key or a signed-in employee (undefined only on public routes). */
    principal?: Principal;
    consoleUser?: ConsoleUser;
  }
  interface Session {
    employeeId?: number;
  }
}

export const SESSION_COOKIE = 'ringpath_session';

export interface ApiAuthOptions {
  readonly db: Pool;
  readonly logger: Logger;
  /** Signs the session cookie (32+ characters). */
  readonly sessionSecret: string;
  readonly sessionTtlS: number;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export const apiAuth = fp(async (app: FastifyInstance, opts: ApiAuthOptions) => {
  const PGStore = connectPgSimple(fastifySession as unknown as { Store: unknown });
  const store = new PGStore({
    pool: opts.db,
    tableName: 'console_sessions',
    createTableIfMissing: false,
    ttl: opts.sessionTtlS,
    pruneSessionInterval: 15 * 60,
    errorLog: (...args: unknown[]) => opts.logger.warn({ args }, 'console session store'),
  });
  app.addHook('onClose', async () => store.close());
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: opts.sessionSecret,
    cookieName: SESSION_COOKIE,
    store: store as never,
    saveUninitialized: false,
    // Secure whenever the request came over TLS (directly, or X-Forwarded-Proto from a trusted proxy)
    cookie: { path: '/api/v1', httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: opts.sessionTtlS * 1000 },
  });
  await app.register(csrfProtection, { sessionPlugin: '@fastify/session' });

  app.decorateRequest('apiKey', undefined);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('consoleUser', undefined);

  app.addHook('onRequest', async (request, reply) => {
    const permission = permissionFor(request.method, request.routeOptions.url ?? request.url.split('?')[0]!);
    if (permission === 'public') return;
    const principal = await identify(request, opts.db);
    if (principal === 'bad_key') {
      reply.header('WWW-Authenticate', 'Bearer realm="ringpath", error="invalid_token"');
      return sendProblem(reply, problem(401, 'UNAUTHORIZED', 'the API key is unknown or revoked'));
    }
    if (!principal) {
      reply.header('WWW-Authenticate', 'Bearer realm="ringpath"');
      return sendProblem(reply, problem(401, 'UNAUTHORIZED', 'log in to the console, or send an API key as "Authorization: Bearer <key>"'));
    }
    request.principal = principal;
    const decision = decide(principal, permission);
    if (!decision.allow) return sendProblem(reply, problem(403, decision.code, decision.reason));
  });

  // a console session's unsafe requests carry the token from GET /api/v1/auth/me (X-CSRF-Token)
  app.addHook('onRequest', (request, reply, done) => {
    if (request.principal?.kind === 'employee' && !SAFE.has(request.method)) return app.csrfProtection(request, reply, done);
    done();
  });
});

async function identify(request: FastifyRequest, db: Pool): Promise<Principal | 'bad_key' | undefined> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const key = m ? await verifyApiKey(db, m[1]!) : undefined;
    if (!key) return 'bad_key';
    request.apiKey = key;
    return { kind: 'api_key', id: key.id, name: key.name };
  }
  const employeeId = request.session.employeeId;
  if (employeeId === undefined) return undefined;
  const user = await consoleUsers.byId(db, employeeId);
  if (!user) {
    // deleted, or their login was taken away
    await request.session.destroy();
    return undefined;
  }
  request.consoleUser = user;
  return user.principal;
}
