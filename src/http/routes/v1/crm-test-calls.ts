// /api/v1/crm/test-calls: "Test call to the CRM". A test call is stored like any
// call, marked as a test, and synced by the CRM sync worker exactly as real calls
// are; reading it shows what was written in HubSpot, with links; deleting it
// archives what it created there. Answers 409 while CRM sync is off.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createHubSpotGateway, HubSpotError, type HubSpotGateway } from '../../../crm/hubspot/client.ts';
import { archiveRecords } from '../../../crm/test-calls/archive.ts';
import { hubspotRecordUrl, planTestCall } from '../../../crm/test-calls/plan.ts';
import { createdRecords, forgetTestCall, gatherFacts, loadTestCall, storeTestCall, type TestCallState } from '../../../crm/test-calls/store.ts';
import { AppError, notFound } from '../../../errors.ts';
import type { AppDeps } from '../../app.ts';
import { requirePhone } from '../../inputs.ts';
import { problem, sendProblem } from '../../problem.ts';
import { CallIdParams } from '../../schemas/calls.ts';
import { errorResponses, ListQuery, Page, ProblemSchema } from '../../schemas/common.ts';
import { TestCall, TestCallCreate } from '../../schemas/test-calls.ts';
import { CRM_SYNC_OFF, crmProblem } from './crm.ts';

/** The portal id from HubSpot's account details (GET /account-info/v3/details), or null when it does not say. */
async function readPortalId(gateway: HubSpotGateway): Promise<number | null> {
  const details = await gateway.call('standard', 'read the account details', async (c) => {
    const res = await c.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    return res.ok ? ((await res.json()) as { portalId?: unknown }) : {};
  });
  return typeof details.portalId === 'number' && Number.isInteger(details.portalId) ? details.portalId : null;
}

export async function crmTestCallRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, pool, logger } = opts.deps;
  const tags = ['crm'];
  const responses = { ...errorResponses, 502: ProblemSchema, 503: ProblemSchema };

  app.addHook('onRequest', async (_request, reply) => {
    if (!config.crm.hubspotToken) return sendProblem(reply, problem(409, 'CRM_SYNC_OFF', CRM_SYNC_OFF));
  });
  let gateway: HubSpotGateway | undefined;
  const hubspot = () => (gateway ??= createHubSpotGateway(config.crm, pool, logger));
  let portal: Promise<number | null> | undefined;
  const portalId = async (): Promise<number | null> => {
    portal ??= readPortalId(hubspot()).catch((err: unknown) => {
      logger.warn({ err }, 'could not read the HubSpot portal id; test calls show record ids without links');
      portal = undefined;
      return null;
    });
    return portal;
  };
  const json = async (s: TestCallState): Promise<TestCall> => {
    const pid = s.records.length ? await portalId() : null;
    return {
      id: s.id,
      direction: s.direction,
      client: s.client,
      disposition: s.disposition,
      crm_sync_state: s.crmSyncState,
      crm_sync_error: s.crmSyncError,
      matrix_rows: s.matrixRows,
      warnings: s.warnings,
      portal_id: pid,
      records: s.records.map((r) => ({ key: r.key, type: r.type, id: r.id, reused: r.reused, url: hubspotRecordUrl(pid, r.type, r.id) })),
    };
  };

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Make a test call to the CRM',
        description:
          'Stores a call marked as a test for the chosen row of the post-call table and queues its CRM sync, the same job real calls get (202; crm_sync_state is pending). Read it again (GET /api/v1/crm/test-calls/{id}) to see what was written in HubSpot. Test calls are left out of reports and of the call log (unless include_test=true).',
        body: TestCallCreate,
        response: { 202: TestCall, ...responses, 422: ProblemSchema },
      },
    },
    async (req, reply) => {
      const caller = req.body.caller === undefined ? null : requirePhone(req.body.caller, '/caller', config.defaultCountry, 'caller_id');
      const plan = planTestCall(await gatherFacts(pool, req.body.row, caller));
      if (!plan.ok) throw AppError.field('TEST_CALL_NEEDS_DATA', plan.field, plan.message);
      const id = await storeTestCall(pool, plan.spec);
      return reply.code(202).send(await json((await loadTestCall(pool, id))!));
    },
  );

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'List the test calls',
        description: 'The test calls still stored, newest first, each with what its sync wrote in HubSpot.',
        querystring: ListQuery,
        response: { 200: Page(TestCall), ...responses },
      },
    },
    async (req) => {
      const { rows } = await pool.query<{ id: string; total: string }>(
        'SELECT id, count(*) OVER () AS total FROM calls WHERE is_test ORDER BY started_at DESC, id LIMIT $1 OFFSET $2',
        [req.query.limit, req.query.offset],
      );
      const items: TestCall[] = [];
      for (const r of rows) {
        const s = await loadTestCall(pool, r.id);
        if (s) items.push(await json(s));
      }
      return { items, total: rows[0] ? Number(rows[0].total) : 0, limit: req.query.limit, offset: req.query.offset };
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Read a test call and what it wrote in HubSpot',
        description: 'Its sync state, the rows of the post-call table applied, and the contact, deal, call engagement and task written, with links to them in HubSpot.',
        params: CallIdParams,
        response: { 200: TestCall, ...responses },
      },
    },
    async (req) => {
      const s = await loadTestCall(pool, req.params.id);
      if (!s) throw notFound('test call', req.params.id);
      return json(s);
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete a test call and what it created in HubSpot',
        description:
          'Archives in HubSpot the records the test call created (an existing contact or deal it was written onto stays), then forgets the call. 409 TEST_CALL_SYNCING while its sync has not run yet; a HubSpot failure (502/503) deletes nothing.',
        params: CallIdParams,
        response: { 204: Type.Null({ description: 'deleted' }), ...responses },
      },
    },
    async (req, reply) => {
      const s = await loadTestCall(pool, req.params.id);
      if (!s) throw notFound('test call', req.params.id);
      if (s.crmSyncState === 'pending') throw new AppError('TEST_CALL_SYNCING', `test call ${s.id} is still waiting for its CRM sync; delete it once it has run`);
      const created = createdRecords(s.records);
      try {
        await archiveRecords(hubspot(), created);
      } catch (err) {
        if (err instanceof HubSpotError) return sendProblem(reply, crmProblem(err));
        throw err;
      }
      await forgetTestCall(pool, s.id, created);
      return reply.code(204).send(null);
    },
  );
}
