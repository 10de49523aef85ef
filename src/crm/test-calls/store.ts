// Test calls to the CRM, the database side: the facts planTestCall decides on,
// storing the test call exactly as call handling stores a call (recordCall, which
// queues the same CRM sync job), what the sync wrote, and removing it all again.
import { randomInt, randomUUID } from 'node:crypto';
import { buildCallRecord, type Attribution } from '../../calls/record.ts';
import { Recogniser } from '../../calls/recognise.ts';
import type { Pool, Queryable } from '../../db/pool.ts';
import { recordCall } from '../../db/repositories/calls.ts';
import type { CrmObjectType } from '../port.ts';
import type { TestCallFacts, TestCallRow, TestCallSpec } from './plan.ts';

export const TEST_ATTRIBUTION: Attribution = { confidence: 'static', label: 'ringpath test call', source: 'ringpath', medium: 'test', campaign: 'crm-test-call' };

/** The mirror's live contact for a number, with the employee mapped to its owner. */
async function mirrorContact(db: Queryable, e164: string): Promise<{ ownerEmployeeId: number | null } | null> {
  const { rows } = await db.query<{ employee_id: number | null }>(
    `SELECT (SELECT e.id FROM employees e WHERE e.hubspot_owner_id = c.owner_id ORDER BY e.id LIMIT 1) AS employee_id
       FROM crm_contact_phones p JOIN crm_contacts c ON c.id = p.contact_id
      WHERE p.e164 = $1::text AND NOT c.archived ORDER BY c.id LIMIT 1`,
    [e164],
  );
  return rows[0] ? { ownerEmployeeId: rows[0].employee_id === null ? null : Number(rows[0].employee_id) } : null;
}

/** A Ukrainian mobile number (+38099…) neither the mirror nor any stored call knows. */
async function freshNumber(db: Queryable): Promise<string> {
  for (;;) {
    const n = `+38099${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
    const { rows } = await db.query(
      `SELECT 1 FROM crm_contact_phones WHERE e164 = $1::text UNION ALL SELECT 1 FROM calls WHERE caller = $1 OR callee = $1 LIMIT 1`,
      [n],
    );
    if (rows.length === 0) return n;
  }
}

export async function gatherFacts(db: Queryable, row: TestCallRow, caller: string | null): Promise<TestCallFacts> {
  const { rows: last } = await db.query<{ phone: string }>(
    `SELECT CASE WHEN c.direction = 'outbound' THEN c.callee ELSE c.caller END AS phone
       FROM calls c JOIN crm_sync_ledger l ON l.call_id = c.id AND l.object_type = 'contact' AND l.object_id IS NOT NULL AND NOT l.reused
      WHERE c.is_test ORDER BY c.started_at DESC LIMIT 1`,
  );
  const lastPhone = last[0]?.phone;
  const lastContact = lastPhone ? await mirrorContact(db, lastPhone) : null;
  const { rows: mapped } = await db.query<{ id: number }>(
    `SELECT id FROM employees WHERE hubspot_owner_id IS NOT NULL ORDER BY is_senior_manager DESC, id LIMIT 1`,
  );
  return {
    row,
    caller,
    callerContact: caller ? await mirrorContact(db, caller) : null,
    lastTestContact: lastPhone && lastContact ? { phone: lastPhone, ownerEmployeeId: lastContact.ownerEmployeeId } : null,
    mappedEmployeeId: mapped[0] ? Number(mapped[0].id) : null,
    freshNumber: await freshNumber(db),
  };
}

/** Stores the test call, marked as a test, with its CRM sync job (in one transaction); answers its id. */
export async function storeTestCall(pool: Pool, spec: TestCallSpec): Promise<string> {
  const id = randomUUID();
  const { rows: numbers } = await pool.query<{ id: number; number: string }>(`SELECT id, number FROM tracking_numbers ORDER BY id LIMIT 1`);
  const tracking = numbers[0] ? { id: Number(numbers[0].id), number: numbers[0].number } : null;
  const endedAt = new Date();
  const startedAt = new Date(endedAt.getTime() - (spec.answered ? 95_000 : 25_000));
  const inbound = spec.direction === 'inbound';
  const client = { kind: 'number', e164: spec.client } as const;
  const ours = tracking ? ({ kind: 'number', e164: tracking.number } as const) : ({ kind: 'none' } as const);
  const record = buildCallRecord(
    {
      id,
      sipCallId: null,
      direction: spec.direction,
      caller: inbound ? client : ours,
      callerRaw: inbound ? spec.client : null,
      callee: inbound ? ours : client,
      trackingNumber: inbound ? tracking : null,
      attribution: inbound ? TEST_ATTRIBUTION : { confidence: 'none', label: 'outbound' },
      placedByEmployeeId: inbound ? null : spec.employeeId,
      trace: [],
      ...(spec.answered ? { answered: { destination: { type: 'phone', number: spec.client }, at: new Date(startedAt.getTime() + 10_000), employeeId: inbound ? spec.employeeId : null } } : {}),
      callerHungUp: !spec.answered,
      startedAt,
      endedAt,
      recordingPath: null,
    },
    new Recogniser([]),
  );
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    await recordCall(tx, { ...record, disposition: spec.answered ? 'answered' : 'missed' }, { crmSync: true });
    await tx.query('UPDATE calls SET is_test = true WHERE id = $1', [id]);
    await tx.query('COMMIT');
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    tx.release();
  }
  return id;
}

export interface WrittenRecord {
  readonly key: string;
  readonly type: CrmObjectType;
  readonly id: string;
  /** An existing record the call was written onto: deleting the test call leaves it. */
  readonly reused: boolean;
}

export interface TestCallState {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly client: string | null;
  readonly disposition: string;
  readonly crmSyncState: string;
  readonly crmSyncError: string | null;
  readonly matrixRows: string[];
  readonly warnings: Array<{ code: string; message: string }>;
  readonly records: WrittenRecord[];
}

/** A test call and what its sync wrote; undefined when there is no such test call. */
export async function loadTestCall(db: Queryable, id: string): Promise<TestCallState | undefined> {
  const { rows } = await db.query<{
    id: string;
    direction: 'inbound' | 'outbound';
    client: string | null;
    disposition: string;
    crm_sync_state: string;
    crm_sync_error: string | null;
    matrix_rows: string[] | null;
    warnings: Array<{ code: string; message: string }> | null;
  }>(
    `SELECT c.id, c.direction, CASE WHEN c.direction = 'outbound' THEN c.callee ELSE c.caller END AS client, c.disposition,
            c.crm_sync_state, c.crm_sync_error, o.matrix_rows, o.warnings
       FROM calls c LEFT JOIN crm_sync_outcomes o ON o.call_id = c.id WHERE c.id = $1 AND c.is_test`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  const { rows: ledger } = await db.query<{ key: string; object_type: CrmObjectType; object_id: string; reused: boolean }>(
    `SELECT key, object_type, object_id, reused FROM crm_sync_ledger WHERE call_id = $1 AND object_id IS NOT NULL ORDER BY started_at, key`,
    [id],
  );
  return {
    id: r.id,
    direction: r.direction,
    client: r.client,
    disposition: r.disposition,
    crmSyncState: r.crm_sync_state,
    crmSyncError: r.crm_sync_error,
    matrixRows: r.matrix_rows ?? [],
    warnings: r.warnings ?? [],
    records: ledger.map((l) => ({ key: l.key, type: l.object_type, id: l.object_id, reused: l.reused })),
  };
}

/** The records a test call created, in the order to archive them: engagements first, the contact last. */
export function createdRecords(records: readonly WrittenRecord[]): WrittenRecord[] {
  const order: Record<CrmObjectType, number> = { task: 0, call: 1, deal: 2, contact: 3 };
  const seen = new Set<string>();
  return records
    .filter((r) => !r.reused && !seen.has(`${r.type}:${r.id}`) && seen.add(`${r.type}:${r.id}`))
    .sort((a, b) => order[a.type] - order[b.type]);
}

/** Forgets the test call, and marks the records it created archived in the mirror (HubSpot's webhook would say the same later). */
export async function forgetTestCall(pool: Pool, id: string, archived: readonly WrittenRecord[]): Promise<void> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const ids = (type: CrmObjectType) => archived.filter((r) => r.type === type).map((r) => r.id);
    await tx.query('UPDATE crm_contacts SET archived = true WHERE id = ANY($1::text[])', [ids('contact')]);
    await tx.query('UPDATE crm_deals SET archived = true WHERE id = ANY($1::text[])', [ids('deal')]);
    await tx.query('DELETE FROM calls WHERE id = $1 AND is_test', [id]);
    await tx.query('COMMIT');
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    tx.release();
  }
}
