// GET /api/v1/audit-log: who changed which setting, when, old and new values.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { ListQuery, Page, errorResponses } from '../../schemas/common.ts';

const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    kind: Type.Union([Type.Literal('employee'), Type.Literal('api_key')]),
    employee_id: Nullable(Type.Integer()),
    api_key_id: Nullable(Type.Integer()),
    label: Type.String({ description: "the employee's email, or the API key's name" }),
  }),
  method: Type.String(),
  path: Type.String(),
  resource: Type.String({ description: 'the route, e.g. /api/v1/employees/:id' }),
  old_value: Type.Unknown({ description: 'the fields that changed, before (null for a creation)' }),
  new_value: Type.Unknown({ description: 'the fields that changed, after (null for a deletion)' }),
  status: Type.Integer(),
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
    { schema: { tags: ['console'], summary: 'Settings changes, newest first', querystring: ListQuery, response: { 200: Page(AuditEntry), ...errorResponses } } },
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
