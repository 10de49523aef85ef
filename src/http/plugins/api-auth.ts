// `Authorization: Bearer <API key>` for everything under /api/v1.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { verifyApiKey, type ApiKeyRecord } from '../../auth/api-keys.ts';
import type { Queryable } from '../../db/pool.ts';
import { problem, sendProblem } from '../problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKeyRecord;
  }
}

export const apiAuth = fp(async (app: FastifyInstance, opts: { db: Queryable }) => {
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) {
      reply.header('WWW-Authenticate', 'Bearer realm="ringpath"');
      return sendProblem(reply, problem(401, 'UNAUTHORIZED', 'send an API key as "Authorization: Bearer <key>"'));
    }
    const key = await verifyApiKey(opts.db, m[1]!);
    if (!key) {
      reply.header('WWW-Authenticate', 'Bearer realm="ringpath", error="invalid_token"');
      return sendProblem(reply, problem(401, 'UNAUTHORIZED', 'the API key is unknown or revoked'));
    }
    request.apiKey = key;
  });
});
