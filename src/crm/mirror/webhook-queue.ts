// Webhook events, durably: the HTTP handler archives deleted records and queues
// the others in crm_webhook_queue (no CRM call, so HubSpot gets its answer at
// once, whatever the rate limits); the process holding the incremental sync
// lock re-reads the queued records with batch reads, which see changes at once
// where search would trail them.
import { withTransaction, type Pool, type Queryable } from '../../db/pool.ts';
import { phonePropertyNames } from './catalog.ts';
import { logPhoneProblems } from './full-sync.ts';
import { contactFromHubSpot, dealFromHubSpot, propertiesToRead } from './records.ts';
import { archiveRecords, writeContacts, writeDeals } from './store.ts';
import type { MirrorContext, MirrorObjectType } from './types.ts';
import type { WebhookActions } from './webhook-events.ts';
import { componentLogger } from '../../logger.ts';

/** A record whose re-read failed this many times for a reason other than the CRM being down is dropped (with an error in the log). */
export const MAX_QUEUE_ATTEMPTS = 20;
const BATCH = 100;

/** Applies deletions and queues the rest, in one transaction. */
export async function queueWebhookActions(pool: Pool, actions: WebhookActions): Promise<{ queued: number; deleted: number }> {
  return withTransaction(pool, async (db) => {
    let deleted = 0;
    for (const d of actions.deleted) deleted += await archiveRecords(db, d.type, [d.id], d.at);
    if (actions.reread.length > 0) {
      await db.query(
        `INSERT INTO crm_webhook_queue AS q (object_type, object_id)
         SELECT object_type, object_id FROM jsonb_to_recordset($1::jsonb) AS t(object_type text, object_id text)
         ON CONFLICT (object_type, object_id) DO UPDATE SET queued_at = now(), attempts = 0, last_error = NULL`,
        [JSON.stringify(actions.reread.map((r) => ({ object_type: r.type, object_id: r.id })))],
      );
    }
    return { queued: actions.reread.length, deleted };
  });
}

export async function pendingWebhookRecords(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM crm_webhook_queue');
  return rows[0]?.n ?? 0;
}

interface Queued {
  object_id: string;
  /** As text: microseconds survive the round trip (a JS Date would lose them). */
  queued_at: string;
}

/**
 * Re-reads queued records until the queue is empty (or `maxBatches` reads were
 * made). Records the CRM no longer has are archived. The caller holds the
 * 'incremental' sync lock.
 */
export async function applyWebhookQueue(ctx: MirrorContext, maxBatches = 50): Promise<{ applied: number; archived: number }> {
  const log = componentLogger(ctx.logger, 'crm-mirror', { sync: 'webhooks' });
  const phoneProperties = await phonePropertyNames(ctx.pool);
  let applied = 0;
  let archived = 0;
  for (let batches = 0; batches < maxBatches; ) {
    let progressed = false;
    for (const type of ['contacts', 'deals'] as const) {
      const { rows } = await ctx.pool.query<Queued>(
        `SELECT object_id, queued_at::text AS queued_at FROM crm_webhook_queue WHERE object_type = $1 ORDER BY queued_at LIMIT ${BATCH}`,
        [type],
      );
      if (rows.length === 0) continue;
      progressed = true;
      batches++;
      const ids = rows.map((r) => r.object_id);
      const readAt = new Date();
      try {
        const records = await ctx.source.batchRead(type, ids, propertiesToRead(type, phoneProperties));
        const found = new Set(records.map((r) => r.id));
        const missing = ids.filter((id) => !found.has(id));
        await withTransaction(ctx.pool, async (db) => {
          if (type === 'contacts') {
            const contacts = records.map((r) => contactFromHubSpot(r, { complete: true, defaultCountry: ctx.defaultCountry, phoneProperties }));
            logPhoneProblems(log, contacts);
            applied += (await writeContacts(db, contacts)).applied;
          } else {
            applied += (await writeDeals(db, records.map((r) => dealFromHubSpot(r, { complete: true })))).applied;
          }
          archived += await archiveRecords(db, type, missing, readAt);
          await dequeue(db, type, rows);
        });
        if (missing.length > 0) log.info({ type, ids: missing }, `${missing.length} ${type} named by webhooks no longer exist in the CRM; removed from lookups`);
      } catch (err) {
        // A CRM that is down or rate limiting is waited out; only errors that will not go away count.
        const retryable = typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;
        const dropped = await recordFailure(ctx.pool, type, ids, err instanceof Error ? err.message : String(err), retryable ? 0 : 1);
        if (dropped.length > 0) {
          log.error({ type, ids: dropped, err }, `${dropped.length} ${type} named by webhooks could not be read from the CRM in ${MAX_QUEUE_ATTEMPTS} attempts and were dropped; the next full sync picks them up`);
        }
        throw err;
      }
    }
    if (!progressed) break;
  }
  if (applied + archived > 0) log.info({ applied, archived }, `webhooks applied: ${applied} records re-read, ${archived} removed`);
  return { applied, archived };
}

/** Only the entries not queued again while they were being read. */
async function dequeue(db: Queryable, type: MirrorObjectType, rows: readonly Queued[]): Promise<void> {
  await db.query(
    `DELETE FROM crm_webhook_queue q USING jsonb_to_recordset($2::jsonb) AS t(object_id text, queued_at timestamptz)
      WHERE q.object_type = $1 AND q.object_id = t.object_id AND q.queued_at = t.queued_at`,
    [type, JSON.stringify(rows)],
  );
}

/** Counts a failed attempt; returns the records dropped for failing too often. */
async function recordFailure(pool: Pool, type: MirrorObjectType, ids: readonly string[], error: string, count: number): Promise<string[]> {
  await pool.query(
    `UPDATE crm_webhook_queue SET attempts = attempts + $4, last_error = $3 WHERE object_type = $1 AND object_id = ANY($2::text[])`,
    [type, ids, error, count],
  );
  const { rows } = await pool.query<{ object_id: string }>(
    `DELETE FROM crm_webhook_queue WHERE object_type = $1 AND object_id = ANY($2::text[]) AND attempts >= $3 RETURNING object_id`,
    [type, ids, MAX_QUEUE_ATTEMPTS],
  );
  return rows.map((r) => r.object_id);
}
