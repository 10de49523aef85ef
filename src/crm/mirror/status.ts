// What the mirror holds and how its syncs are doing (GET /api/v1/crm/sync-status, `ringpath crm status`).
import type { Queryable } from '../../db/pool.ts';
import { listPropertyProblems, type PropertyProblem } from '../hubspot/property-guard.ts';
import { isLocked } from './lock.ts';
import { readFullState, readIncrementalState, type IncrementalState } from './state.ts';
import { pendingWebhookRecords } from './webhook-queue.ts';

export interface IncrementalStatus {
  readonly high_water: string | null;
  readonly status: string;
  readonly error: string | null;
  readonly updated_at: string | null;
}

export interface MirrorStatus {
  /** True once a full sync has finished: routing can rely on the mirror. */
  readonly filled: boolean;
  readonly full_sync: {
    readonly status: 'idle' | 'running' | 'done' | 'failed';
    /** Whether some ringpath process is running it right now. */
    readonly active: boolean;
    readonly processed: number;
    readonly total: number | null;
    readonly phase: 'contacts' | 'deals' | null;
    readonly started_at: string | null;
    readonly finished_at: string | null;
    readonly updated_at: string | null;
    readonly error: string | null;
  };
  readonly incremental_sync: {
    readonly active: boolean;
    readonly contacts: IncrementalStatus;
    readonly deals: IncrementalStatus;
  };
  readonly webhooks: { readonly pending: number };
  /** Properties the CRM sync meant to write that HubSpot does not have: calls are synced without them. */
  readonly property_problems: PropertyProblem[];
  readonly counts: {
    readonly contacts: number;
    readonly deals: number;
    readonly open_deals: number;
    readonly owners: number;
    readonly pipelines: number;
    readonly stages: number;
    readonly phones: number;
    /** Phone values kept as written because they are not phone numbers. */
    readonly unreadable_phones: number;
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const incremental = (s: IncrementalState): IncrementalStatus => ({
  high_water: iso(s.highWater),
  status: s.status,
  error: s.error,
  updated_at: iso(s.updatedAt),
});

export async function mirrorStatus(db: Queryable): Promise<MirrorStatus> {
  const full = await readFullState(db);
  const { rows } = await db.query<MirrorStatus['counts']>(
    `SELECT (SELECT count(*)::int FROM crm_contacts WHERE NOT archived) AS contacts,
            (SELECT count(*)::int FROM crm_deals WHERE NOT archived) AS deals,
            (SELECT count(*)::int FROM crm_deals WHERE NOT archived AND is_open) AS open_deals,
            (SELECT count(*)::int FROM crm_owners WHERE NOT archived) AS owners,
            (SELECT count(*)::int FROM crm_pipelines) AS pipelines,
            (SELECT count(*)::int FROM crm_stages) AS stages,
            (SELECT count(*)::int FROM crm_contact_phones WHERE e164 IS NOT NULL) AS phones,
            (SELECT count(*)::int FROM crm_contact_phones WHERE e164 IS NULL) AS unreadable_phones`,
  );
  return {
    filled: full.finishedAt !== null,
    full_sync: {
      status: full.status,
      active: await isLocked(db, 'full'),
      processed: full.processed,
      total: full.total,
      phase: full.status === 'done' ? null : (full.cursor?.phase ?? null),
      started_at: iso(full.startedAt),
      finished_at: iso(full.finishedAt),
      updated_at: iso(full.updatedAt),
      error: full.error,
    },
    incremental_sync: {
      active: await isLocked(db, 'incremental'),
      contacts: incremental(await readIncrementalState(db, 'contacts')),
      deals: incremental(await readIncrementalState(db, 'deals')),
    },
    webhooks: { pending: await pendingWebhookRecords(db) },
    property_problems: await listPropertyProblems(db),
    counts: rows[0]!,
  };
}
