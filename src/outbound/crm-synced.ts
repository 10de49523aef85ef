// call.crm_synced: sent when the post-call CRM sync of a call has finished, with
// the HubSpot records it wrote.
import type { Queryable } from '../db/pool.ts';
import type { CallEvent } from './events.ts';
import { webhookStore } from './webhook-store.ts';

interface SyncedRow {
  id: string;
  direction: string;
  caller: string | null;
  tracking_number: string | null;
  started_at: Date;
  crm_contact_id: string | null;
  crm_deal_id: string | null;
  crm_call_id: string | null;
}

export function crmSyncedEvent(r: SyncedRow, now: Date): CallEvent {
  return {
    type: 'call.crm_synced',
    timestamp: now.toISOString(),
    data: {
      call_id: r.id,
      direction: r.direction,
      caller: r.caller,
      tracking_number: r.tracking_number,
      started_at: r.started_at.toISOString(),
      crm: { contact_id: r.crm_contact_id, deal_id: r.crm_deal_id, call_id: r.crm_call_id },
    },
  };
}

/** Queue call.crm_synced for the subscribed endpoints; a test call to the CRM (is_test) stays between ringpath and HubSpot. */
export async function announceCrmSynced(db: Queryable, callId: string, now = new Date()): Promise<void> {
  const { rows } = await db.query<SyncedRow>(
    `SELECT id::text, direction, caller, tracking_number, started_at, crm_contact_id::text, crm_deal_id::text, crm_call_id::text
       FROM calls WHERE id = $1 AND NOT is_test`,
    [callId],
  );
  if (rows[0]) await webhookStore.enqueue(db, crmSyncedEvent(rows[0], now));
}
