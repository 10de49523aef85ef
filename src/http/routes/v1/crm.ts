// /api/v1/crm: "Refresh CRM data", the full sync of the mirror, its status, the
// owners employees are mapped to, the deal pipelines, HubSpot's properties (for
// the field mapping), and the contact properties read as phone numbers. Answers
// 409 while CRM sync is off.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createHubSpotGateway, HubSpotError, type HubSpotGateway } from '../../../crm/hubspot/client.ts';
import { replaceCustomPhoneProperties, listPhoneProperties } from '../../../crm/mirror/catalog.ts';
import { mirrorContext, startFullSyncInBackground, type MirrorContext } from '../../../crm/mirror/index.ts';
import { isCalculatedPhoneProperty } from '../../../crm/mirror/records.ts';
import { refreshCatalog } from '../../../crm/mirror/refresh.ts';
import { AppError } from '../../../errors.ts';
import { mirrorStatus } from '../../../crm/mirror/status.ts';
import type { AppDeps } from '../../app.ts';
import { problem, sendProblem, type Problem } from '../../problem.ts';
import { errorResponses, ProblemSchema } from '../../schemas/common.ts';
import { listProperties } from '../../../crm/properties.ts';
import { CrmOwners, CrmPipelines, CrmProperties, PropertiesQuery, CrmRefreshResult, FullSyncQuery, FullSyncStarted, PhoneProperties, PhonePropertiesUpdate, SyncStatus } from '../../schemas/crm.ts';

export const CRM_SYNC_OFF = 'CRM sync is off: set HUBSPOT_TOKEN';

/** A CRM failure as a problem: HubSpot down or rate limited (503), or refusing the request (502). */
export function crmProblem(err: HubSpotError): Problem {
  return err.retryable
    ? problem(503, 'CRM_UNAVAILABLE', `HubSpot is not answering (${err.message}); try again later`)
    : problem(502, 'CRM_REFUSED', `HubSpot refused the request: ${err.message}`);
}

export async function crmRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, pool, logger } = opts.deps;
  const tags = ['crm'];
  const responses = { ...errorResponses, 502: ProblemSchema, 503: ProblemSchema };

  app.addHook('onRequest', async (_request, reply) => {
    if (!config.crm.hubspotToken) return sendProblem(reply, problem(409, 'CRM_SYNC_OFF', CRM_SYNC_OFF));
  });

  // Built on first use: the gateway needs the token, and its client resets process-wide settings.
  const shutdown = new AbortController();
  let ctx: MirrorContext | undefined;
  let hubspot: HubSpotGateway | undefined;
  const gateway = () => (hubspot ??= createHubSpotGateway(config.crm, pool, logger));
  const context = () => (ctx ??= mirrorContext({ config, pool, logger, gateway: gateway() }, shutdown.signal));
  const background = new Set<Promise<unknown>>();
  app.addHook('onClose', async () => {
    shutdown.abort(); // a full sync pauses between pages and resumes on the next start
    await Promise.allSettled([...background]);
  });

  const orCrmProblem = async <T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T | FastifyReply> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HubSpotError) return sendProblem(reply, crmProblem(err));
      throw err;
    }
  };

  app.post(
    '/refresh',
    {
      schema: {
        tags,
        summary: 'Refresh CRM data: owners, deal pipelines and stages',
        description:
          "Reads HubSpot's owners, deal pipelines and stages and the phone properties into the mirror at once; " +
          'deals change their open flag with their stage.',
        response: { 200: CrmRefreshResult, ...responses },
      },
    },
    async (_request, reply) =>
      orCrmProblem(reply, async () => {
        const c = await refreshCatalog(context());
        return { owners: c.owners, pipelines: c.pipelines, stages: c.stages, phone_properties: c.phoneProperties, deals_reopened_or_closed: c.dealsReopenedOrClosed };
      }),
  );

  app.post(
    '/full-sync',
    {
      schema: {
        tags,
        summary: 'Start (or resume) the full sync of the CRM mirror',
        description:
          'Answers 202 at once and reads every contact and deal in the background; GET /crm/sync-status shows it running from then on. ' +
          'An unfinished sync resumes where it stopped unless ?restart=true. One runs at a time across processes (409 FULL_SYNC_RUNNING).',
        querystring: FullSyncQuery,
        response: { 202: FullSyncStarted, ...responses },
      },
    },
    async (request, reply) => {
      const run = await startFullSyncInBackground(context(), { restart: request.query.restart });
      if (!run.started) return sendProblem(reply, problem(409, 'FULL_SYNC_RUNNING', 'a full sync is already running (in this or another ringpath process)'));
      background.add(run.done);
      void run.done.finally(() => background.delete(run.done));
      return reply.code(202).send({ status: 'started', detail: request.query.restart ? 'started over' : 'started, or resumed where the last one stopped' });
    },
  );

  app.get('/sync-status', { schema: { tags, summary: 'What the CRM mirror holds and how its syncs are doing', description: 'The full sync, the incremental sync, pending webhook records and the counts of the mirror.', response: { 200: SyncStatus, ...responses } } }, async () =>
    mirrorStatus(pool),
  );

  app.get(
    '/owners',
    { schema: { tags, summary: "HubSpot's owners, with the employee mapped to each", description: 'The owners as the mirror holds them (refresh with POST /crm/refresh), deactivated ones last. An employee is mapped to an owner with hubspot_owner_id; each owner belongs to at most one employee.', response: { 200: CrmOwners, ...responses } } },
    async () => {
      const { rows } = await pool.query<{ id: string; email: string | null; first_name: string | null; last_name: string | null; archived: boolean; employee_id: number | null; full_name: string | null }>(
        `SELECT o.id, o.email, o.first_name, o.last_name, o.archived, e.id AS employee_id, e.full_name
           FROM crm_owners o LEFT JOIN LATERAL (SELECT id, full_name FROM employees WHERE hubspot_owner_id = o.id ORDER BY id LIMIT 1) e ON true
          ORDER BY o.archived, lower(coalesce(o.last_name, '')), lower(coalesce(o.first_name, '')), o.id`,
      );
      return {
        items: rows.map(({ employee_id, full_name, ...o }) => ({ ...o, employee: employee_id === null ? null : { id: employee_id, full_name: full_name ?? '' } })),
      };
    },
  );

  app.get(
    '/properties',
    {
      schema: {
        tags,
        summary: "HubSpot's properties of calls, contacts or deals",
        description:
          'Read from HubSpot now (not the mirror), for picking the properties of the field mapping: each with its label, type and whether it is read-only (a mapping to a read-only property is refused).',
        querystring: PropertiesQuery,
        response: { 200: CrmProperties, ...responses },
      },
    },
    async (request, reply) => orCrmProblem(reply, async () => ({ items: await listProperties(gateway(), request.query.object) })),
  );

  app.get(
    '/pipelines',
    { schema: { tags, summary: 'Deal pipelines and their stages', description: 'As the mirror holds them (refresh with POST /crm/refresh), for picking the pipeline and stage of new deals.', response: { 200: CrmPipelines, ...responses } } },
    async () => {
      const { rows } = await pool.query<{ id: string; label: string; stages: Array<{ id: string; label: string; is_closed: boolean }> }>(
        `SELECT p.id, p.label,
                coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'label', s.label, 'is_closed', s.is_closed) ORDER BY s.position, s.id)
                         FILTER (WHERE s.id IS NOT NULL), '[]') AS stages
           FROM crm_pipelines p LEFT JOIN crm_stages s ON s.pipeline_id = p.id
          GROUP BY p.id ORDER BY p.position, p.id`,
      );
      return { items: rows };
    },
  );

  app.get('/phone-properties', { schema: { tags, summary: 'Contact properties read as phone numbers', description: "HubSpot's own phone properties, those of type phone number found in the portal, and the custom ones set here.", response: { 200: PhoneProperties, ...responses } } }, async () => ({
    items: await listPhoneProperties(pool),
  }));

  app.put(
    '/phone-properties',
    {
      schema: {
        tags,
        summary: 'Set the extra contact properties read as phone numbers',
        description: 'Replaces the custom list; records already in the mirror pick the new properties up with the next full sync.',
        body: PhonePropertiesUpdate,
        response: { 200: PhoneProperties, ...responses },
      },
    },
    async (request) => {
      const calculated = request.body.custom.filter(isCalculatedPhoneProperty);
      if (calculated.length > 0) {
        const message = `${calculated.join(', ')}: HubSpot's calculated phone properties hold the national number without its country code and would match the wrong client; use phone, mobilephone or your own phone-number properties`;
        throw AppError.field('VALIDATION_FAILED', '/custom', message);
      }
      return { items: await replaceCustomPhoneProperties(pool, request.body.custom) };
    },
  );
}
