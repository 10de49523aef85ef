// What only the console's pages need besides the resources: the first-run
// checklist, and the HubSpot owners of the CRM mirror to pick from (with the
// employee each is mapped to).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checklist } from '../../../console/checklist.ts';
import type { AppDeps } from '../../app.ts';
import { errorResponses } from '../../schemas/common.ts';

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const Checklist = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ description: 'the setup step: trunk, tracking_numbers, employees, hubspot, routing_scheme or snippet' }),
      done: Type.Boolean({ description: 'the step is done' }),
      missing: Nullable(Type.String({ description: 'why the step is not done yet, as a key the console translates (e.g. no_tracking_numbers); null when done' })),
      page: Nullable(Type.String({ description: 'the console page that completes the step, e.g. /sites; null for what is set in the environment (the trunk)' })),
    }),
    { description: 'the setup steps' },
  ),
  done: Type.Boolean({ description: 'every item is done' }),
});

const Owners = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ description: "the HubSpot owner's id" }),
      email: Nullable(Type.String({ description: "the owner's email in HubSpot; null when HubSpot has none" })),
      name: Type.String({ description: "the owner's first and last name, or their email or id when HubSpot has no name" }),
      mapped_employee_id: Nullable(Type.Integer({ description: 'the employee mapped to this owner; null when none is' })),
      mapped_employee_name: Nullable(Type.String({ description: "that employee's full name; null when no employee is mapped" })),
    }),
    { description: 'the owners that are not archived, by last and first name' },
  ),
});

export async function consoleRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const tags = ['console'];

  app.get('/checklist', {
    schema: {
      tags,
      summary: 'The first-run checklist',
      description: 'Each step of setting ringpath up (the SIP trunk, tracking numbers, employees to ring, HubSpot, a routing scheme, the snippet on a site), whether it is done, why not, and the console page that does it.',
      response: { 200: Checklist, ...errorResponses },
    },
  }, async () => {
    const { rows } = await pool.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM tracking_numbers)::int AS tracking_numbers,
              (SELECT count(DISTINCT employee_id) FROM employee_destinations)::int AS ringable_employees,
              (SELECT count(*) FROM crm_owners WHERE NOT archived)::int AS crm_owners,
              (SELECT count(*) FROM employees WHERE hubspot_owner_id IS NOT NULL)::int AS mapped_employees,
              (SELECT count(*) FROM routing_schemes)::int AS routing_schemes,
              (SELECT count(*) FROM (SELECT 1 FROM visitor_sessions LIMIT 1) s)::int AS snippet_sessions`,
    );
    const r = rows[0]!;
    const items = checklist({
      sipSideOn: config.sip.drachtioHost !== undefined,
      trunkConfigured: config.sip.trunkUri !== undefined,
      trackingNumbers: r.tracking_numbers!,
      ringableEmployees: r.ringable_employees!,
      hubspotConnected: config.crm.hubspotToken !== undefined,
      crmOwners: r.crm_owners!,
      mappedEmployees: r.mapped_employees!,
      routingSchemes: r.routing_schemes!,
      snippetSessions: r.snippet_sessions!,
    });
    return { items, done: items.every((i) => i.done) };
  });

  app.get(
    '/crm-owners',
    {
      schema: {
        tags,
        summary: "HubSpot owners in the CRM mirror, and the employee each is mapped to",
        description: "The owners of the CRM mirror that are not archived, to pick from; an employee is mapped to an owner by their hubspot_owner_id. An owner no employee is mapped to has null in mapped_employee_id and mapped_employee_name.",
        response: { 200: Owners, ...errorResponses },
      },
    },
    async () => {
      const { rows } = await pool.query<{ id: string; email: string | null; name: string; employee_id: string | null; employee_name: string | null }>(
        `SELECT o.id, o.email, trim(coalesce(o.first_name, '') || ' ' || coalesce(o.last_name, '')) AS name,
                e.id AS employee_id, e.full_name AS employee_name
           FROM crm_owners o LEFT JOIN employees e ON e.hubspot_owner_id = o.id
          WHERE NOT o.archived ORDER BY lower(o.last_name), lower(o.first_name), o.id`,
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          email: r.email,
          name: r.name || r.email || r.id,
          mapped_employee_id: r.employee_id === null ? null : Number(r.employee_id),
          mapped_employee_name: r.employee_name,
        })),
      };
    },
  );
}
