// Call detail records. A call's row and its post-call CRM job are written in
// one transaction, so a stored call is never missing its sync and vice versa.
import type { Attribution, CallDirection, CallRecord } from '../../calls/record.ts';
import type { Disposition, RoutingTrace } from '../../routing/types.ts';
import type { Queryable } from '../pool.ts';

export type { Attribution, CallDirection, CallRecord } from '../../calls/record.ts';

/** The job that carries a stored call into the CRM (see src/jobs). */
export const CRM_SYNC_TASK = 'crm_sync_call';

const INSERT_CALL = `INSERT INTO calls (id, sip_call_id, direction, caller, callee, caller_raw, tracking_number_id, tracking_number,
    visitor_session_id, attribution, routing_trace, answered_by_employee_id, answered_by_destination,
    placed_by_employee_id, unknown_employee, started_at, answered_at, ended_at, ring_duration_ms, talk_duration_ms,
    disposition, recording_path, crm_sync_state, caller_withheld, responsible_employee_id)
  VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25)
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

/**
 * Store a finished call. With `crmSync`, the post-call CRM job is enqueued by
 * the same statement, so both or neither are stored (the job is keyed by call
 * id, so it exists at most once). One round trip: call handling never holds a
 * connection for a transaction.
 */
export async function recordCall(db: Queryable, call: CallRecord, opts: { crmSync: boolean }): Promise<void> {
  // internal calls have no client; a call the dial plan blocked never rang
  const sync = opts.crmSync && call.direction !== 'internal' && call.disposition !== 'blocked';
  const values = callValues(call, sync ? 'pending' : 'not_required');
  if (!sync) {
    await db.query(INSERT_CALL, values);
    return;
  }
  await db.query(
    `WITH stored AS (${INSERT_CALL})
     SELECT graphile_worker.add_job($26, json_build_object('callId', stored.id::text), job_key := stored.id::text, max_attempts := 25)
       FROM stored`,
    [...values, CRM_SYNC_TASK],
  );
}

function callValues(c: CallRecord, syncState: 'pending' | 'not_required'): unknown[] {
  return [
    c.id,
    c.sipCallId,
    c.direction,
    c.caller,
    c.callee,
    c.callerRaw,
    c.trackingNumberId,
    c.trackingNumber,
    c.attribution.visitorSessionId ?? null,
    JSON.stringify(c.attribution),
    JSON.stringify(c.routingTrace),
    c.answeredByEmployeeId,
    c.answeredByDestination,
    c.placedByEmployeeId,
    c.unknownEmployee,
    c.startedAt,
    c.answeredAt,
    c.endedAt,
    c.ringDurationMs,
    c.talkDurationMs,
    c.disposition,
    c.recordingPath,
    syncState,
    c.callerWithheld,
    c.responsibleEmployeeId,
  ];
}

export interface StoredCall {
  id: string;
  sip_call_id: string | null;
  direction: CallDirection;
  caller: string | null;
  caller_withheld: boolean;
  callee: string | null;
  tracking_number: string | null;
  attribution: Attribution;
  routing_trace: RoutingTrace;
  responsible_employee_id: number | null;
  answered_by_employee_id: number | null;
  answered_by_destination: string | null;
  placed_by_employee_id: number | null;
  unknown_employee: boolean;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date;
  ring_duration_ms: number;
  talk_duration_ms: number;
  disposition: Disposition;
  recording_path: string | null;
  crm_sync_state: string;
}

export async function getCall(db: Queryable, id: string): Promise<StoredCall | undefined> {
  const { rows } = await db.query<StoredCall>('SELECT * FROM calls WHERE id = $1', [id]);
  return rows[0];
}

export async function getCallBySipCallId(db: Queryable, sipCallId: string): Promise<StoredCall | undefined> {
  const { rows } = await db.query<StoredCall>('SELECT * FROM calls WHERE sip_call_id = $1', [sipCallId]);
  return rows[0];
}
