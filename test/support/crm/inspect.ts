// Reading what the CRM sync left behind: the emulator's records and associations,
// the call's row, its ledger and the mirror.
import type { Pool } from '../../../src/db/pool.ts';
import { findByPhone } from '../../../src/crm/mirror-lookup.ts';
import type { HubSpotEmulator } from '../hubspot-emulator/index.ts';

export type Props = Record<string, string | null | undefined>;

export interface SyncedCall {
  crm_sync_state: string;
  crm_sync_error: string | null;
  crm_contact_id: string | null;
  crm_deal_id: string | null;
  crm_call_id: string | null;
  matrix_rows: string[] | null;
  warnings: Array<{ code: string; message: string }> | null;
  requests: number | null;
  failures: number | null;
  ledger: Record<string, string | null>;
}

export async function syncedCall(pool: Pool, id: string): Promise<SyncedCall> {
  const { rows } = await pool.query<Omit<SyncedCall, 'ledger'>>(
    `SELECT c.crm_sync_state, c.crm_sync_error, c.crm_contact_id, c.crm_deal_id, c.crm_call_id, o.matrix_rows, o.warnings, o.requests, o.failures
       FROM calls c LEFT JOIN crm_sync_outcomes o ON o.call_id = c.id WHERE c.id = $1`,
    [id],
  );
  const { rows: ledger } = await pool.query<{ key: string; object_id: string | null }>('SELECT key, object_id FROM crm_sync_ledger WHERE call_id = $1', [id]);
  return { ...rows[0]!, ledger: Object.fromEntries(ledger.map((l) => [l.key, l.object_id])) };
}

export function crm(emulator: HubSpotEmulator) {
  const c = emulator.control;
  return {
    props: (type: string, id: string | null): Props => (id === null ? {} : (c.record(type, id)?.properties ?? {})),
    /** Records of a type written for a ringpath call. */
    ofCall: (type: string, callId: string) => c.records(type).filter((r) => r.properties.ringpath_call_id === callId),
    count: (type: string) => c.records(type).length,
    /** Ids the record is associated with, of one type, sorted. */
    links: (type: string, id: string, toType: string) =>
      c
        .associations(type, id, toType)
        .map((a) => a.toId)
        .sort(),
  };
}

/** The owner of the client's open deal and contact in the mirror. */
export async function mirrorOf(pool: Pool, phone: string) {
  const matches = await findByPhone(pool, phone);
  return matches.map((m) => ({ contactId: m.contactId, ownerId: m.contactOwnerId, deals: m.openDeals.map((d) => ({ id: d.id, ownerId: d.ownerId })) }));
}
