// The CRM sync state of calls (calls.crm_sync_state and crm_sync_outcomes): synced,
// still pending after a transient error, or failed for good (the dead letter, with
// its reason and a retry action that enqueues the job again).
import { CRM_SYNC_TASK } from '../../db/repositories/calls.ts';
import type { Pool, PoolClient, Queryable } from '../../db/pool.ts';
import { withTransaction } from '../../db/pool.ts';
import type { MatrixRow, MatrixWarning, WriteKey } from '../types.ts';
import type { SyncedRecords } from './run-writes.ts';

/** The queue's attempts per job; a job still failing on its last attempt is dead-lettered. */
export const MAX_ATTEMPTS = 25;

export interface AttemptTally {
  readonly rows: readonly MatrixRow[];
  readonly warnings: readonly MatrixWarning[];
  /** HubSpot requests spent in this attempt (batch shares included). */
  readonly requests: number;
}

export const syncState = {
  async synced(db: PoolClient, callId: string, records: SyncedRecords, tally: AttemptTally): Promise<void> {
    await inTransaction(db, async () => {
      await db.query(
        `UPDATE calls SET crm_sync_state = 'synced', crm_sync_error = NULL,
                crm_contact_id = $2, crm_deal_id = $3, crm_call_id = $4 WHERE id = $1`,
        [callId, records.contactId, records.dealId, records.engagementId],
      );
      await recordOutcome(db, callId, tally, 'last_error = NULL, failed_key = NULL, failed_status = NULL, failed_at = NULL, synced_at = now()');
    });
  },

  /** A transient error: the job will run again. */
  async willRetry(db: PoolClient, callId: string, error: string, tally: AttemptTally): Promise<void> {
    await recordOutcome(db, callId, tally, 'failures = failures + 1, last_error = $2', [error]);
  },

  /** The dead letter: the CRM refused a write for good, or the job ran out of attempts. */
  async failed(
    db: PoolClient,
    callId: string,
    failure: { reason: string; key: WriteKey | null; status: number | null; records: SyncedRecords },
    tally: AttemptTally,
  ): Promise<void> {
    await inTransaction(db, async () => {
      const r = failure.records;
      await db.query(
        `UPDATE calls SET crm_sync_state = 'failed', crm_sync_error = $2, crm_contact_id = coalesce($3, crm_contact_id),
                crm_deal_id = coalesce($4, crm_deal_id), crm_call_id = coalesce($5, crm_call_id) WHERE id = $1`,
        [callId, failure.reason, r.contactId, r.dealId, r.engagementId],
      );
      await recordOutcome(db, callId, tally, 'last_error = $2, failed_key = $3, failed_status = $4, failed_at = now()', [
        failure.reason,
        failure.key,
        failure.status,
      ]);
    });
  },

  /**
   * The retry action: a dead-lettered call goes back to pending with a new job (same job key).
   * Answers false when the call is not dead-lettered.
   */
  async retry(pool: Pool, callId: string): Promise<boolean> {
    return withTransaction(pool, async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE calls SET crm_sync_state = 'pending', crm_sync_error = NULL WHERE id = $1 AND crm_sync_state = 'failed'`,
        [callId],
      );
      if (rowCount !== 1) return false;
      await tx.query(
        `UPDATE crm_sync_outcomes SET manual_retries = manual_retries + 1, retried_at = now(), failed_at = NULL, updated_at = now() WHERE call_id = $1`,
        [callId],
      );
      await enqueue(tx, callId);
      return true;
    });
  },

  /**
   * Bulk retry: every dead-lettered call, or those whose reason contains `reasonContains`
   * (case-insensitive), back to pending with a new job each, in one transaction.
   * Answers the ids, oldest call first.
   */
  async retryAll(pool: Pool, filter: { reasonContains?: string } = {}): Promise<string[]> {
    return withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<{ id: string; started_at: Date }>(
        `WITH chosen AS (
           SELECT id, started_at FROM calls
            WHERE crm_sync_state = 'failed'
              AND ($1::text IS NULL OR strpos(lower(coalesce(crm_sync_error, '')), lower($1::text)) > 0)
            FOR UPDATE
         )
         UPDATE calls c SET crm_sync_state = 'pending', crm_sync_error = NULL FROM chosen
          WHERE c.id = chosen.id RETURNING c.id::text AS id, chosen.started_at`,
        [filter.reasonContains ?? null],
      );
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return [];
      await tx.query(
        `UPDATE crm_sync_outcomes SET manual_retries = manual_retries + 1, retried_at = now(), failed_at = NULL, updated_at = now() WHERE call_id = ANY($1::uuid[])`,
        [ids],
      );
      await tx.query(
        `SELECT graphile_worker.add_job($1, json_build_object('callId', id), job_key := id, max_attempts := $3) FROM unnest($2::text[]) AS id`,
        [CRM_SYNC_TASK, ids, MAX_ATTEMPTS],
      );
      return rows.sort((a, b) => +a.started_at - +b.started_at).map((r) => r.id);
    });
  },
};

/** The post-call job, keyed by call id as recordCall enqueues it. */
export async function enqueue(db: Queryable, callId: string): Promise<void> {
  await db.query(`SELECT graphile_worker.add_job($1, json_build_object('callId', $2::text), job_key := $2::text, max_attempts := $3)`, [
    CRM_SYNC_TASK,
    callId,
    MAX_ATTEMPTS,
  ]);
}

async function inTransaction(db: PoolClient, fn: () => Promise<void>): Promise<void> {
  await db.query('BEGIN');
  try {
    await fn();
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Counts the attempt and its requests, keeps the last decided rows and warnings, then applies `set` ($2… are `extra`). */
async function recordOutcome(db: Queryable, callId: string, tally: AttemptTally, set: string, extra: unknown[] = []): Promise<void> {
  await db.query(
    `INSERT INTO crm_sync_outcomes AS o (call_id, matrix_rows, warnings, attempts, requests) VALUES ($1, $2, $3, 1, $4)
     ON CONFLICT (call_id) DO UPDATE SET
       matrix_rows = CASE WHEN cardinality(EXCLUDED.matrix_rows) > 0 THEN EXCLUDED.matrix_rows ELSE o.matrix_rows END,
       warnings = CASE WHEN cardinality(EXCLUDED.matrix_rows) > 0 THEN EXCLUDED.warnings ELSE o.warnings END,
       attempts = o.attempts + 1, requests = o.requests + EXCLUDED.requests, updated_at = now()`,
    [callId, tally.rows, JSON.stringify(tally.warnings), tally.requests],
  );
  await db.query(`UPDATE crm_sync_outcomes SET ${set}, updated_at = now() WHERE call_id = $1`, [callId, ...extra]);
}
