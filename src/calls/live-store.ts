// Calls in progress in PostgreSQL (table live_calls), written by the call path's
// CallEvents adapter so every ringpath process sees them, and read by the
// console's live view, each principal within its scope of calls.
import type { Queryable } from '../db/pool.ts';
import { LIVE_CALL_MAX_AGE_H, type LiveCall, type LiveCallChange } from './live.ts';

/** Applies one change; a new call also sweeps away calls past the bound (an end that was lost). */
async function apply(db: Queryable, change: LiveCallChange): Promise<void> {
  if (change.kind === 'start') {
    const c = change.call;
    await db.query('DELETE FROM live_calls WHERE started_at < now() - make_interval(hours => $1)', [LIVE_CALL_MAX_AGE_H]);
    await db.query(
      `INSERT INTO live_calls (call_id, direction, caller, tracking_number, source, started_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (call_id) DO NOTHING`,
      [c.call_id, c.direction, c.caller, c.tracking_number, c.source, c.started_at],
    );
  } else if (change.kind === 'answer') {
    await db.query('UPDATE live_calls SET answered_at = $2, answered_by_employee_id = $3 WHERE call_id = $1', [change.callId, change.answeredAt, change.employeeId]);
  } else {
    await db.query('DELETE FROM live_calls WHERE call_id = $1', [change.callId]);
  }
}

/**
 * The calls in progress, newest first; with `visibleToEmployeeId`, only those with
 * the employee's clients: answered by them, or from a caller whose CRM contact
 * they own.
 */
async function list(db: Queryable, scope: { visibleToEmployeeId?: number } = {}): Promise<LiveCall[]> {
  const params: unknown[] = [LIVE_CALL_MAX_AGE_H];
  let own = '';
  if (scope.visibleToEmployeeId !== undefined) {
    params.push(scope.visibleToEmployeeId);
    own = `AND (l.answered_by_employee_id = $2
             OR EXISTS (SELECT 1 FROM crm_contact_phones p
                          JOIN crm_contacts cc ON cc.id = p.contact_id AND NOT cc.archived
                          JOIN employees e ON e.hubspot_owner_id = cc.owner_id
                         WHERE p.e164 = l.caller AND e.id = $2))`;
  }
  const { rows } = await db.query<{
    call_id: string;
    direction: string;
    caller: string | null;
    tracking_number: string | null;
    source: string | null;
    started_at: Date;
    answered_at: Date | null;
    answered_by_employee_id: string | null;
  }>(
    `SELECT l.* FROM live_calls l
      WHERE l.started_at >= now() - make_interval(hours => $1) ${own}
      ORDER BY l.started_at DESC, l.call_id LIMIT 200`,
    params,
  );
  return rows.map((r) => ({
    call_id: r.call_id,
    direction: r.direction,
    caller: r.caller,
    tracking_number: r.tracking_number,
    source: r.source,
    started_at: r.started_at.toISOString(),
    answered_at: r.answered_at?.toISOString() ?? null,
    answered_by_employee_id: r.answered_by_employee_id === null ? null : Number(r.answered_by_employee_id),
  }));
}

export const liveCallStore = { apply, list };
