import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { attributionJson, readAttribution } from '../../../calls/record.ts';
import { AppError, notFound } from '../../../errors.ts';
import { callLog, type CallDetailRow, type CallLogRow } from '../../../crm/executor/call-log.ts';
import { syncState } from '../../../crm/executor/sync-state.ts';
import type { AppDeps } from '../../app.ts';
import { CallDetail, CallIdParams, CallsQuery, CallSummary, RetryAccepted } from '../../schemas/calls.ts';
import { Page, errorResponses } from '../../schemas/common.ts';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function toSummary(r: CallLogRow): CallSummary {
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
  };
}

const toDetail = (r: CallDetailRow): CallDetail => ({
  ...toSummary(r),
  routing_trace: Array.isArray(r.routing_trace) ? [...r.routing_trace] : [],
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
  const { pool } = opts.deps;
  const tags = ['calls'];

  app.get('/', { schema: { tags, querystring: CallsQuery, response: { 200: Page(CallSummary), ...errorResponses } } }, async (req) => {
    const q = req.query;
    const filter = { ...(q.crm_sync_state ? { crmSyncState: q.crm_sync_state } : {}), ...(q.direction ? { direction: q.direction } : {}) };
    const page = await callLog.list(pool, filter, q.limit, q.offset);
    return { items: page.items.map(toSummary), total: page.total, limit: q.limit, offset: q.offset };
  });

  app.get('/:id', { schema: { tags, params: CallIdParams, response: { 200: CallDetail, ...errorResponses } } }, async (req) => {
    const row = await callLog.get(pool, req.params.id);
    if (!row) throw notFound('call', req.params.id);
    return toDetail(row);
  });

  app.post(
    '/:id/crm-sync/retry',
    {
      schema: {
        tags,
        summary: 'Sync a dead-lettered call to the CRM again',
        description: 'Only calls whose crm_sync_state is failed; writes the ledger holds are not repeated.',
        params: CallIdParams,
        response: { 202: RetryAccepted, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (await syncState.retry(pool, req.params.id)) return reply.code(202).send({ id: req.params.id, crm_sync_state: 'pending' as const });
      const row = await callLog.get(pool, req.params.id);
      if (!row) throw notFound('call', req.params.id);
      throw new AppError('CONFLICT', `call ${req.params.id} is not waiting for a retry: its CRM sync state is ${row.crm_sync_state}`);
    },
  );
}
