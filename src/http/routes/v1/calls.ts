import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callScope } from '../../../auth/access.ts';
import type { CallLogFilter } from '../../../calls/log-filter.ts';
import type { Queryable } from '../../../db/pool.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { databaseSources } from '../../../calls/plan.ts';
import { attributionJson, readAttribution } from '../../../calls/record.ts';
import { simulate } from '../../../calls/simulation.ts';
import { roundRobinPort } from '../../../db/repositories/round-robin.ts';
import { AppError, notFound } from '../../../errors.ts';
import { callLog, type CallDetailRow, type CallLogRow } from '../../../crm/executor/call-log.ts';
import { syncState } from '../../../crm/executor/sync-state.ts';
import { recordingTokens } from '../../../recordings/tokens.ts';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { exportStore } from '../../../outbound/export-store.ts';
import { BulkRetryAccepted, BulkRetryBody, CallDetail, CallIdParams, CallsQuery, CallSummary, RetryAccepted, SimulateCallBody, SimulationReport } from '../../schemas/calls.ts';
import { Page, errorResponses } from '../../schemas/common.ts';

async function recordingPath(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ recording_path: string | null }>('SELECT recording_path FROM calls WHERE id = $1', [id]);
  return rows[0]?.recording_path ?? null;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

type Exports = Awaited<ReturnType<typeof exportStore.statuses>>;
const exportsOf = (all: Exports, id: string): CallSummary['exports'] => {
  const e = all.get(id);
  return { ga4: e?.ga4 ?? null, google_ads: e?.google_ads ?? null };
};

function toSummary(r: CallLogRow, exports: Exports): CallSummary {
  const attribution = readAttribution(r.attribution);
  return {
    id: r.id,
    direction: r.direction,
    disposition: r.disposition,
    caller: r.caller,
    callee: r.callee,
    tracking_number: r.tracking_number,
    source: attribution.label,
    attribution_confidence: attribution.confidence,
    attribution: attributionJson(attribution),
    answered_by_employee_id: r.answered_by_employee_id,
    placed_by_employee_id: r.placed_by_employee_id,
    started_at: r.started_at.toISOString(),
    answered_at: iso(r.answered_at),
    ended_at: r.ended_at.toISOString(),
    ring_duration_ms: r.ring_duration_ms,
    talk_duration_ms: r.talk_duration_ms,
    has_recording: r.has_recording,
    crm_sync_state: r.crm_sync_state,
    crm_sync_error: r.crm_sync_error,
    is_test: r.is_test,
    exports: exportsOf(exports, r.id),
  };
}

const toDetail = (r: CallDetailRow, exports: Exports, recordingUrl: string | null): CallDetail => ({
  ...toSummary(r, exports),
  routing_trace: Array.isArray(r.routing_trace) ? [...r.routing_trace] : [],
  recording_url: recordingUrl,
  crm_sync: {
    state: r.crm_sync_state,
    error: r.crm_sync_error ?? (r.crm_sync_state === 'pending' ? r.last_error : null),
    contact_id: r.crm_contact_id,
    deal_id: r.crm_deal_id,
    call_id: r.crm_call_id,
    matrix_rows: r.matrix_rows ?? [],
    warnings: r.warnings ?? [],
    attempts: r.attempts ?? 0,
    failures: r.failures ?? 0,
    requests: r.requests ?? 0,
    failed_write: r.crm_sync_state === 'failed' ? r.failed_key : null,
    failed_status: r.crm_sync_state === 'failed' ? r.failed_status : null,
    failed_at: r.crm_sync_state === 'failed' ? iso(r.failed_at) : null,
    synced_at: iso(r.synced_at),
    manual_retries: r.manual_retries ?? 0,
    retried_at: iso(r.retried_at),
    writes: r.writes.map((w) => ({
      key: w.key,
      object_type: w.objectType,
      object_id: w.objectId,
      reused: w.reused,
      written_at: iso(w.writtenAt),
    })),
  },
});

/** The call log (SPEC §8) with each call's CRM sync state, and the dead letter's retry action (SPEC §6). */
export async function callRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config, recordingLinks } = opts.deps;
  /** The calls the caller may see: all, or their own clients' (src/auth/access.ts). */
  const scopeOf = (req: FastifyRequest): CallLogFilter => {
    const scope = req.principal ? callScope(req.principal) : { all: true as const };
    return scope.all ? {} : { visibleToEmployeeId: scope.employeeId };
  };
  const tags = ['calls'];
  const simulation = {
    pool,
    sources: databaseSources(pool),
    roundRobin: roundRobinPort(pool),
    lookupBudgetMs: config.sip.lookupBudgetMs,
    defaultCountry: config.defaultCountry,
  };

  app.post(
    '/simulate',
    {
      schema: {
        tags,
        summary: 'Simulate a call: its attribution and routing plan, without placing it',
        description:
          'Nothing is rung and nothing is stored; the round robin is read, not moved. ' +
          '`ringpath simulate-call --json` prints the same object. PHONE_INVALID names the field (/from or /to); ' +
          'a number that is not a tracking number is 404 TRACKING_NUMBER_UNKNOWN; an `at` that is not ISO 8601 with a zone is 400.',
        body: SimulateCallBody,
        response: { 200: SimulationReport, ...errorResponses },
      },
    },
    async (req) => {
      try {
        return (await simulate(simulation, req.body)).report;
      } catch (err) {
        // the body's fields as JSON pointers, like every other API error
        if (err instanceof AppError && err.errors.length > 0) {
          const errors = err.errors.map((e) => ({ field: `/${e.field}`, message: e.message }));
          throw new AppError(err.code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
        }
        throw err;
      }
    },
  );

  app.get('/', { schema: { tags, summary: 'List calls', description: 'The call log, a page at a time, with each call\'s attribution and CRM sync state; filter by date, source, campaign, disposition, who answered, record owner, calls not called back, direction or crm_sync_state (failed is the dead letter). A sales rep sees only the calls of their own clients.', querystring: CallsQuery, response: { 200: Page(CallSummary), ...errorResponses } } }, async (req) => {
    const q = req.query;
    const filter: CallLogFilter = {
      ...(q.crm_sync_state ? { crmSyncState: q.crm_sync_state } : {}),
      ...(q.direction ? { direction: q.direction } : {}),
      ...(q.disposition ? { disposition: q.disposition } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
      ...(q.source ? { source: q.source } : {}),
      ...(q.campaign ? { campaign: q.campaign } : {}),
      ...(q.answered_by ? { answeredByEmployeeId: q.answered_by } : {}),
      ...(q.record_owner ? { recordOwnerEmployeeId: q.record_owner } : {}),
      ...(q.not_called_back_days ? { notCalledBackDays: q.not_called_back_days } : {}),
      ...(q.include_test ? { includeTest: true } : {}),
      ...scopeOf(req),
    };
    const page = await callLog.list(pool, filter, q.limit, q.offset);
    const exports = await exportStore.statuses(pool, page.items.map((c) => c.id));
    return { items: page.items.map((c) => toSummary(c, exports)), total: page.total, limit: q.limit, offset: q.offset };
  });

  app.get('/:id', { schema: { tags, summary: 'Get a call', description: 'One call with its routing trace (each step, each destination tried and its result), a link to its recording and how it was written to the CRM. A sales rep sees only the calls of their own clients.', params: CallIdParams, response: { 200: CallDetail, ...errorResponses } } }, async (req) => {
    const row = await callLog.get(pool, req.params.id, scopeOf(req));
    if (!row) throw notFound('call', req.params.id);
    const path = await recordingPath(pool, row.id);
    return toDetail(row, await exportStore.statuses(pool, [row.id]), path && recordingLinks ? (recordingLinks.link({ recordingPath: path }) ?? null) : null);
  });

  app.post(
    '/:id/crm-sync/retry',
    {
      schema: {
        tags,
        summary: 'Sync a dead-lettered call to the CRM again',
        description:
          'Only calls whose crm_sync_state is failed (409 CALL_NOT_AWAITING_RETRY otherwise); writes the ledger holds are not repeated.',
        params: CallIdParams,
        response: { 202: RetryAccepted, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (await syncState.retry(pool, req.params.id)) return reply.code(202).send({ id: req.params.id, crm_sync_state: 'pending' as const });
      const row = await callLog.get(pool, req.params.id);
      if (!row) throw notFound('call', req.params.id);
      throw new AppError('CALL_NOT_AWAITING_RETRY', `call ${req.params.id} is not waiting for a retry: its CRM sync state is ${row.crm_sync_state}`);
    },
  );

  app.post(
    '/crm-sync/retry',
    {
      schema: {
        tags,
        summary: 'Sync every dead-lettered call again, or those failed for one reason',
        description:
          'One bad token or one deleted property dead-letters every call; once it is fixed, this queues them all again (optionally only those whose reason contains reason_contains). Writes the ledger holds are not repeated.',
        body: BulkRetryBody,
        response: { 202: BulkRetryAccepted, ...errorResponses },
      },
      // No body at all means "every dead-lettered call".
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    async (req, reply) => {
      const reason = req.body.reason_contains?.trim();
      const ids = await syncState.retryAll(pool, reason ? { reasonContains: reason } : {});
      return reply.code(202).send({ retried: ids.length, ids });
    },
  );

  app.delete(
    '/:id/recording-link',
    {
      schema: {
        tags,
        summary: "Revoke the stable URL of the call's recording (the one on its CRM call engagement)",
        description: 'From then on the URL answers 404. A later CRM sync of the call gets a new URL.',
        params: CallIdParams,
        response: { 204: Type.Null({ description: 'revoked' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      if (await recordingTokens.revoke(pool, req.params.id)) return reply.code(204).send(null);
      if (!(await callLog.get(pool, req.params.id))) throw notFound('call', req.params.id);
      throw notFound('recording link of call', req.params.id);
    },
  );
}
