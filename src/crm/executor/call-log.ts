// The call log as the API reads it: calls with their CRM sync state, and one call
// with its routing trace, its sync outcome (the dead letter while it has failed)
// and the ledger of what was written for it.
import type { Queryable } from '../../db/pool.ts';
import type { CallDirection } from '../../db/repositories/calls.ts';
import type { Disposition, RoutingTrace } from '../../routing/types.ts';
import type { MatrixWarning } from '../types.ts';
import type { CrmSyncState } from './call-facts.ts';
import type { LedgerEntry } from './ledger.ts';
import { callLogWhere, type CallLogFilter } from '../../calls/log-filter.ts';

export interface CallLogRow {
  id: string;
  direction: CallDirection;
  disposition: Disposition;
  caller: string | null;
  callee: string | null;
  tracking_number: string | null;
  /** As stored, by whichever version of ringpath wrote the call (read it with readAttribution). */
  attribution: unknown;
  answered_by_employee_id: number | null;
  placed_by_employee_id: number | null;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date;
  ring_duration_ms: number;
  talk_duration_ms: number;
  has_recording: boolean;
  crm_sync_state: CrmSyncState;
  crm_sync_error: string | null;
  crm_contact_id: string | null;
  crm_deal_id: string | null;
  crm_call_id: string | null;
  is_test: boolean;
}

export interface CallDetailRow extends CallLogRow {
  routing_trace: RoutingTrace;
  matrix_rows: string[] | null;
  warnings: MatrixWarning[] | null;
  attempts: number | null;
  failures: number | null;
  requests: number | null;
  last_error: string | null;
  failed_key: string | null;
  failed_status: number | null;
  failed_at: Date | null;
  manual_retries: number | null;
  retried_at: Date | null;
  synced_at: Date | null;
  writes: LedgerEntry[];
}

export type { CallLogFilter as CallFilter } from '../../calls/log-filter.ts';

const COLUMNS = `c.id, c.direction, c.disposition, c.caller, c.callee, c.tracking_number, c.attribution,
  c.answered_by_employee_id, c.placed_by_employee_id, c.started_at, c.answered_at, c.ended_at, c.ring_duration_ms,
  c.talk_duration_ms, c.recording_path IS NOT NULL AS has_recording, c.crm_sync_state, c.crm_sync_error,
  c.crm_contact_id, c.crm_deal_id, c.crm_call_id, c.is_test`;

export const callLog = {
  /** Newest first. */
  async list(db: Queryable, filter: CallLogFilter, limit: number, offset: number): Promise<{ items: CallLogRow[]; total: number }> {
    const { where, params } = callLogWhere(filter);
    const n = params.length;
    const [items, total] = await Promise.all([
      db.query<CallLogRow>(`SELECT ${COLUMNS} FROM calls c ${where} ORDER BY c.started_at DESC, c.id LIMIT $${n + 1} OFFSET $${n + 2}`, [
        ...params,
        limit,
        offset,
      ]),
      db.query<{ n: number }>(`SELECT count(*)::int AS n FROM calls c ${where}`, params),
    ]);
    return { items: items.rows, total: total.rows[0]?.n ?? 0 };
  },

  /** One call, when it is within `scope` (the principal's visible calls). */
  async get(db: Queryable, id: string, scope: CallLogFilter = {}): Promise<CallDetailRow | undefined> {
    if (scope.visibleToEmployeeId !== undefined) {
      const { where, params } = callLogWhere({ visibleToEmployeeId: scope.visibleToEmployeeId }, 2);
      const { rows } = await db.query(`SELECT 1 FROM calls c ${where} AND c.id = $1`, [id, ...params]);
      if (rows.length === 0) return undefined;
    }
    const { rows } = await db.query<Omit<CallDetailRow, 'writes'>>(
      `SELECT ${COLUMNS}, c.routing_trace, o.matrix_rows, o.warnings, o.attempts, o.failures, o.requests, o.last_error,
              o.failed_key, o.failed_status, o.failed_at, o.manual_retries, o.retried_at, o.synced_at
         FROM calls c LEFT JOIN crm_sync_outcomes o ON o.call_id = c.id WHERE c.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { rows: writes } = await db.query<LedgerEntry>(
      `SELECT key, kind, object_type AS "objectType", object_id AS "objectId", reused, started_at AS "startedAt", written_at AS "writtenAt"
         FROM crm_sync_ledger WHERE call_id = $1 ORDER BY started_at, key`,
      [id],
    );
    return { ...row, writes };
  },
};
