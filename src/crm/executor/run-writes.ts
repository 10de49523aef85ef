// Carrying out one plan of CRM writes, idempotently. For each write, in plan order:
//   - done in the ledger: skipped (its id is reused by later references);
//   - in flight in the ledger (an earlier attempt died between request and answer):
//     looked up in the CRM (a call engagement by its hs_call_external_id, other
//     records by ringpath call id and write key); while the CRM's search index may
//     still be behind (maxSearchLagMs) the job is deferred, and the write is only
//     made again once it is older than that and still not there;
//   - a contact: the mirror is checked once more, and a contact that has appeared
//     meanwhile is used instead of creating another;
//   - otherwise: entered in flight, written, completed in the ledger with its id in
//     the same transaction that adds a created contact or deal to the mirror.
import type { PoolClient } from '../../db/pool.ts';
import type { Logger } from '../../logger.ts';
import { isPermanentFailure, type CrmFailure, type CrmPort, type LinkedRecords } from '../port.ts';
import type { CrmWrite, EntityRef, WriteKey } from '../types.ts';
import type { BatchingWriter, Spend } from './batcher.ts';
import { ledgerRepository, OBJECT_TYPE, type Ledger } from './ledger.ts';
import { existingContact } from './mirror-facts.ts';
import type { MirrorRecorder } from './mirror-record.ts';

export interface WriteRun {
  /** The connection holding the sync lock; every local write of the run goes through it. */
  readonly db: PoolClient;
  readonly callId: string;
  /** Kept current as writes complete. */
  readonly ledger: Ledger;
  readonly writer: BatchingWriter;
  readonly port: Pick<CrmPort, 'findCreated'>;
  readonly mirror: MirrorRecorder;
  /** How long the CRM's search usually takes to see a new record: waited once, in the attempt. */
  readonly settleMs: number;
  /**
   * The longest the CRM's search may take to see a new record. A write in doubt that
   * search does not show yet is only written again once it is older than this; until
   * then the job is deferred, so a long indexing lag never duplicates a record.
   */
  readonly maxSearchLagMs: number;
  readonly spend: Spend;
  readonly log: Logger;
  /** Writes found in flight, looked up in the CRM before planning (settleInFlight): the id, or undefined when absent. */
  readonly recovered: Map<WriteKey, string | undefined>;
}

/** The CRM records the call ended up written to. */
export interface SyncedRecords {
  contactId: string | null;
  dealId: string | null;
  engagementId: string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the writes; `onWrite` names the write under way (for the dead letter). */
export async function runWrites(run: WriteRun, writes: readonly CrmWrite[], into: SyncedRecords, onWrite: (key: WriteKey) => void): Promise<void> {
  const resolve = (ref: EntityRef | null): string | null => (ref === null ? null : 'id' in ref ? ref.id : (run.ledger.get(ref.ref)?.objectId ?? null));
  const linked = (a: { contact: EntityRef | null; deal: EntityRef | null }): LinkedRecords => {
    const l = { contactId: resolve(a.contact), dealId: resolve(a.deal) };
    into.contactId ??= l.contactId;
    into.dealId ??= l.dealId;
    return l;
  };

  for (const w of writes) {
    onWrite(w.key);
    const written = run.ledger.get(w.key)?.objectId;
    switch (w.kind) {
      case 'upsertContact': {
        const { kind: _, ...input } = w;
        into.contactId = written ?? (await createOnce(run, w, {
          adopt: () => existingContact(run.db, w.phoneE164, run.ledger, run.recovered),
          create: () => run.writer.createContact(input, run.spend),
          record: (id) => run.mirror.contactCreated(run.db, { id, ownerId: w.ownerId, phoneE164: w.phoneE164, properties: w.properties }),
        }));
        break;
      }
      case 'createDeal': {
        const { kind: _, associateWith, ...rest } = w;
        const contactId = resolve(associateWith);
        into.dealId = written ?? (await createOnce(run, w, {
          create: () => run.writer.createDeal({ ...rest, contactId }, run.spend),
          record: (id) => run.mirror.dealCreated(run.db, { id, ownerId: w.ownerId, pipelineId: w.pipelineId, stageId: w.stageId, properties: w.properties, contactId }),
        }));
        break;
      }
      case 'createCall': {
        const { kind: _, associations, ...rest } = w;
        const links = linked(associations);
        into.engagementId = written ?? (await createOnce(run, w, { create: () => run.writer.createCall({ ...rest, associations: links }, run.spend) }));
        break;
      }
      case 'createTask': {
        const { kind: _, associations, ...rest } = w;
        const links = linked(associations);
        if (!written) await createOnce(run, w, { create: () => run.writer.createTask({ ...rest, associations: links }, run.spend) });
        break;
      }
      case 'updateContact':
      case 'updateDeal': {
        const id = resolve(w.kind === 'updateContact' ? w.contact : w.deal);
        const type = OBJECT_TYPE[w.kind] === 'contact' ? 'contact' : 'deal';
        if (type === 'deal') into.dealId ??= id;
        if (written || id === null) {
          if (id === null) run.log.warn({ key: w.key }, 'the record to update was never written; update skipped');
          break;
        }
        const update = { id, properties: w.properties, ...(w.ownerId === undefined ? {} : { ownerId: w.ownerId }) };
        await (type === 'contact' ? run.writer.updateContact(update, run.spend) : run.writer.updateDeal(update, run.spend));
        const ownerId = w.ownerId;
        await complete(run, w, id, false, ownerId === undefined ? undefined : () => run.mirror.ownerChanged(run.db, type, id, ownerId));
        break;
      }
    }
  }
}

interface CreateSteps {
  /** An existing record to use instead of creating one. */
  adopt?: () => Promise<string | undefined>;
  create: () => Promise<string>;
  /** Local bookkeeping for the new record, in the ledger's transaction. */
  record?: (id: string) => Promise<void>;
}

/**
 * Looks up every write an earlier attempt left in flight, so that the plan is made
 * knowing which records this call already has.
 */
export async function settleInFlight(run: WriteRun): Promise<void> {
  for (const entry of run.ledger.values()) {
    if (entry.objectId === null && !run.recovered.has(entry.key)) run.recovered.set(entry.key, await recover(run, entry, entry.startedAt));
  }
}

/** In-flight entries no plan of this attempt touched: completed when found, dropped when the CRM does not have them. */
export async function closeInFlight(run: WriteRun): Promise<void> {
  for (const entry of [...run.ledger.values()]) {
    if (entry.objectId !== null || !run.recovered.has(entry.key)) continue;
    const found = run.recovered.get(entry.key);
    if (found !== undefined) await complete(run, entry, found, false);
    else await drop(run, entry.key);
  }
}

async function createOnce(run: WriteRun, w: CrmWrite, steps: CreateSteps): Promise<string> {
  const inFlight = run.ledger.get(w.key);
  if (inFlight && inFlight.objectId === null) {
    const found = run.recovered.has(w.key) ? run.recovered.get(w.key) : await recover(run, w, inFlight.startedAt);
    if (found !== undefined) {
      run.log.info({ key: w.key, id: found }, 'a write whose answer was lost is in the CRM; recorded, not repeated');
      await complete(run, w, found, false, steps.record);
      return found;
    }
  }
  const existing = await steps.adopt?.();
  if (existing !== undefined) {
    run.log.info({ key: w.key, id: existing }, 'the mirror now has a record for this client; using it');
    await complete(run, w, existing, true);
    return existing;
  }
  run.ledger.set(w.key, await ledgerRepository.start(run.db, run.callId, w));
  let id: string;
  try {
    id = await steps.create();
  } catch (err) {
    // Refused for good: nothing was created, so the write is not in doubt.
    if (isPermanentFailure(err)) await drop(run, w.key);
    throw err;
  }
  await complete(run, w, id, false, steps.record);
  return id;
}

async function drop(run: WriteRun, key: WriteKey): Promise<void> {
  await run.db.query('DELETE FROM crm_sync_ledger WHERE call_id = $1 AND key = $2 AND object_id IS NULL', [run.callId, key]);
  run.ledger.delete(key);
}

/** Search has not shown a write in doubt yet, and it may still: the job comes back later. */
export class SearchLagError extends Error implements CrmFailure {
  readonly retryable = true;
  constructor(
    message: string,
    readonly deferMs: number,
  ) {
    super(message);
    this.name = 'SearchLagError';
  }
}

/** What to do when search does not show a write in doubt. Pure. */
export function whenNotFound(ageMs: number, settleMs: number, maxSearchLagMs: number): { readonly next: 'wait'; readonly ms: number } | { readonly next: 'defer'; readonly ms: number } | { readonly next: 'write-again' } {
  if (ageMs < settleMs) return { next: 'wait', ms: settleMs - ageMs };
  if (ageMs < maxSearchLagMs) return { next: 'defer', ms: Math.max(1_000, Math.min(60_000, maxSearchLagMs - ageMs)) };
  return { next: 'write-again' };
}

/**
 * The record an unanswered earlier request made, if the CRM has it. Waits out the
 * usual indexing lag once; while the write is younger than the longest lag, a record
 * search does not show defers the job instead of being written again.
 */
async function recover(run: WriteRun, w: Pick<CrmWrite, 'kind' | 'key'>, startedAt: Date): Promise<string | undefined> {
  const find = async () => {
    run.spend(1);
    return run.port.findCreated(OBJECT_TYPE[w.kind], run.callId, w.key);
  };
  let found = await find();
  if (found !== undefined) return found;
  let step = whenNotFound(Date.now() - startedAt.getTime(), run.settleMs, run.maxSearchLagMs);
  if (step.next === 'wait') {
    await sleep(step.ms);
    found = await find();
    if (found !== undefined) return found;
    step = whenNotFound(Date.now() - startedAt.getTime(), run.settleMs, run.maxSearchLagMs);
  }
  if (step.next === 'defer') {
    throw new SearchLagError(`${w.key}: an earlier attempt's write is not in the CRM's search yet; looked for again in ${Math.round(step.ms / 1000)} s before writing it again`, step.ms);
  }
  return undefined;
}

async function complete(run: WriteRun, w: Pick<CrmWrite, 'kind' | 'key'>, id: string, reused: boolean, record?: (id: string) => Promise<void>): Promise<void> {
  await run.db.query('BEGIN');
  try {
    const entry = await ledgerRepository.done(run.db, run.callId, w, id, reused);
    await record?.(id);
    await run.db.query('COMMIT');
    run.ledger.set(w.key, entry);
  } catch (err) {
    await run.db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
