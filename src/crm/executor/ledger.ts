// The ledger of CRM writes per ringpath call (table crm_sync_ledger): what was
// written under which write key, with the CRM object id. A write is entered as "in
// flight" before its request and completed right after the answer, so that after a
// crash the executor knows which writes may have reached the CRM unrecorded.
import type { Queryable } from '../../db/pool.ts';
import type { CrmObjectType } from '../port.ts';
import type { CrmWrite, WriteKey } from '../types.ts';

export interface LedgerEntry {
  readonly key: WriteKey;
  readonly kind: CrmWrite['kind'];
  readonly objectType: CrmObjectType;
  /** null while in flight: the request may or may not have reached the CRM. */
  readonly objectId: string | null;
  readonly reused: boolean;
  readonly startedAt: Date;
  readonly writtenAt: Date | null;
}

export type Ledger = Map<WriteKey, LedgerEntry>;

interface Row {
  key: WriteKey;
  kind: CrmWrite['kind'];
  object_type: CrmObjectType;
  object_id: string | null;
  reused: boolean;
  started_at: Date;
  written_at: Date | null;
}

const toEntry = (r: Row): LedgerEntry => ({
  key: r.key,
  kind: r.kind,
  objectType: r.object_type,
  objectId: r.object_id,
  reused: r.reused,
  startedAt: r.started_at,
  writtenAt: r.written_at,
});

export const OBJECT_TYPE: Readonly<Record<CrmWrite['kind'], CrmObjectType>> = {
  upsertContact: 'contact',
  updateContact: 'contact',
  createDeal: 'deal',
  updateDeal: 'deal',
  createCall: 'call',
  createTask: 'task',
};

export const ledgerRepository = {
  async load(db: Queryable, callId: string): Promise<Ledger> {
    const { rows } = await db.query<Row>(
      `SELECT key, kind, object_type, object_id, reused, started_at, written_at FROM crm_sync_ledger WHERE call_id = $1 ORDER BY started_at`,
      [callId],
    );
    return new Map(rows.map((r) => [r.key, toEntry(r)]));
  },

  /** Enters a write as in flight (again, when an earlier attempt's request was never answered). */
  async start(db: Queryable, callId: string, write: Pick<CrmWrite, 'key' | 'kind'>): Promise<LedgerEntry> {
    const { rows } = await db.query<Row>(
      `INSERT INTO crm_sync_ledger (call_id, key, kind, object_type) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, key) DO UPDATE SET started_at = now() WHERE crm_sync_ledger.object_id IS NULL
       RETURNING key, kind, object_type, object_id, reused, started_at, written_at`,
      [callId, write.key, write.kind, OBJECT_TYPE[write.kind]],
    );
    const row = rows[0];
    if (!row) throw new Error(`call ${callId}: write ${write.key} is already in the ledger as done`);
    return toEntry(row);
  },

  /** Completes a write with the CRM object id (entering it when it was not in flight, e.g. a reused record). */
  async done(db: Queryable, callId: string, write: Pick<CrmWrite, 'key' | 'kind'>, objectId: string, reused = false): Promise<LedgerEntry> {
    const { rows } = await db.query<Row>(
      `INSERT INTO crm_sync_ledger (call_id, key, kind, object_type, object_id, reused, written_at) VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (call_id, key) DO UPDATE SET object_id = EXCLUDED.object_id, reused = EXCLUDED.reused, written_at = now()
       RETURNING key, kind, object_type, object_id, reused, started_at, written_at`,
      [callId, write.key, write.kind, OBJECT_TYPE[write.kind], objectId, reused],
    );
    return toEntry(rows[0]!);
  },
};
