// GET /api/v1/audit-log: who changed which setting, when, old and new values.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { ListQuery, Page, errorResponses } from '../../schemas/common.ts';

const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const AuditEntry = Type.Object({
  id: Type.Integer({ description: "the entry's id" }),
  at: Type.String({ format: 'date-time', description: 'when the change was made' }),
  actor: Type.Object(
    {
      kind: Type.Union([Type.Literal('employee'), Type.Literal('api_key')], { description: 'a signed-in employee, or a request with an API key' }),
      employee_id: Nullable(Type.Integer({ description: 'the employee who made the change; null for an API key' })),
      api_key_id: Nullable(Type.Integer({ description: 'the API key that made the change; null for an employee' })),
      label: Type.String({ description: "the employee's email, or the API key's name" }),
    },
    { description: 'who made the change' },
  ),
  method: Type.String({ description: 'the HTTP method: POST, PUT, PATCH or DELETE' }),
  path: Type.String({ description: 'the path requested, e.g. /api/v1/employees/12' }),
  resource: Type.String({ description: 'the route, e.g. /api/v1/employees/:id' }),
  old_value: Type.Unknown({ description: 'the fields that changed, before (null for a creation)' }),
  new_value: Type.Unknown({ description: 'the fields that changed, after (null for a deletion)' }),
  status: Type.Integer({ description: 'the HTTP status of the response, e.g. 200 or 201' }),
});

interface Row {
  id: string;
  at: Date;
  actor_kind: 'employee' | 'api_key';
  employee_id: string | null;
  api_key_id: string | null;
  actor_label: string;
  method: string;
  path: string;
  resource: string;
  old_value: unknown;
  new_value: unknown;
  status: number;
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));

export async function auditLogRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool } = opts.deps;
  app.get(
    '/',
    {
      schema: {
        tags: ['console'],
        summary: 'Settings changes, newest first',
        description:
          'Every request that changed a setting and succeeded: who made it (an employee or an API key), when, the request, and the fields it changed, before and after, with passwords, secrets, tokens and keys blanked ("[redacted]"). Requests that failed are not recorded.',
        querystring: ListQuery, response: { 200: Page(AuditEntry), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      const [items, total] = await Promise.all([
        pool.query<Row>('SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2', [limit, offset]),
        pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'),
      ]);
      return {
        items: items.rows.map((r) => ({
          id: Number(r.id),
          at: r.at.toISOString(),
          actor: { kind: r.actor_kind, employee_id: num(r.employee_id), api_key_id: num(r.api_key_id), label: r.actor_label },
          method: r.method,
          path: r.path,
          resource: r.resource,
          old_value: r.old_value,
          new_value: r.new_value,
          status: r.status,
        })),
        total: total.rows[0]?.n ?? 0,
        limit,
        offset,
      };
    },
  );
}
