// The audit log of settings changes: every request that needs the `write`
// permission and succeeds is recorded with who made it, when, and the fields it
// changed, before and after. "Before" is what GET on the same URL answered just
// before the change (with the caller's own credentials); "after" is the response.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { permissionFor } from '../../auth/access.ts';
import { changes, parseJson, type Json } from '../../audit/changes.ts';
import type { Queryable } from '../../db/pool.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auditBefore?: Json | undefined;
    auditAfter?: Json | undefined;
  }
}

const audited = (req: FastifyRequest): boolean =>
  req.principal !== undefined && req.routeOptions.url !== undefined && permissionFor(req.method, req.routeOptions.url) === 'write';

export const auditLog = fp(async (app: FastifyInstance, opts: { db: Queryable }) => {
  app.decorateRequest('auditBefore', undefined);
  app.decorateRequest('auditAfter', undefined);

  app.addHook('preHandler', async (req) => {
    if (!audited(req) || req.method === 'POST') return;
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (req.headers.cookie) headers.cookie = req.headers.cookie;
    const before = await app.inject({ method: 'GET', url: req.url.split('?')[0]!, headers });
    if (before.statusCode === 200) req.auditBefore = parseJson(before.body);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (audited(req) && reply.statusCode < 300) req.auditAfter = parseJson(payload);
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!audited(req) || reply.statusCode >= 300) return;
    const change = changes(req.auditBefore, req.method === 'DELETE' ? undefined : req.auditAfter);
    if (!change) return;
    const p = req.principal!;
    try {
      await opts.db.query(
        `INSERT INTO audit_log (actor_kind, employee_id, api_key_id, actor_label, method, path, resource, old_value, new_value, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          p.kind,
          p.kind === 'employee' ? p.id : null,
          p.kind === 'api_key' ? p.id : null,
          p.kind === 'employee' ? p.email : `API key ${p.name}`,
          req.method,
          req.url.split('?')[0],
          req.routeOptions.url,
          JSON.stringify(change.old),
          JSON.stringify(change.new),
          reply.statusCode,
        ],
      );
    } catch (err) {
      req.log.error({ err, method: req.method, path: req.url, change }, 'could not write the audit log entry');
    }
  });
});
