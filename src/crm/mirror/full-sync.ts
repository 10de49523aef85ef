// The full sync: every contact, then every deal (with its contacts), page by
// page. Each page is written together with the cursor of the next one, so a
// sync that stops (crash, shutdown, HubSpot down) resumes where it stopped and
// never writes a page twice. At the end, records the sync did not see were
// deleted in the CRM meanwhile and are archived.
import { withTransaction } from '../../db/pool.ts';
import { componentLogger, type Logger } from '../../logger.ts';
import { phonePropertyNames } from './catalog.ts';
import { contactFromHubSpot, dealFromHubSpot, phoneProblems, propertiesToRead } from './records.ts';
import { refreshCatalog } from './refresh.ts';
import { beginFullSync, failFullSync, finishFullSync, readFullState, resumeFullSync, saveFullCursor, type FullCursor } from './state.ts';
import { archiveUnseen, writeContacts, writeDeals } from './store.ts';
import type { MirrorContact, MirrorContext, MirrorObjectType } from './types.ts';

/** The incremental sync starts this long before the full sync did (HubSpot's search index trails its records). */
export const INCREMENTAL_OVERLAP_MS = 5 * 60_000;

export interface FullSyncProgress {
  readonly phase: MirrorObjectType;
  readonly processed: number;
  readonly total: number | null;
}

export interface FullSyncOptions {
  /** Start over even when an unfinished sync could be resumed. */
  readonly restart?: boolean;
  /** Called after every page is stored. */
  readonly onProgress?: (p: FullSyncProgress) => void | Promise<void>;
}

export interface FullSyncResult {
  readonly resumed: boolean;
  readonly contacts: number;
  readonly deals: number;
  /** Records deleted in the CRM since they were mirrored. */
  readonly archived: number;
  /** Phone values kept as written because they are not phone numbers. */
  readonly unreadablePhones: number;
  readonly total: number | null;
}

/** Logs every phone value that could not be read; returns how many. */
export function logPhoneProblems(log: Logger, contacts: readonly MirrorContact[]): number {
  const problems = phoneProblems(contacts);
  for (const p of problems) log.warn({ contactId: p.contactId, property: p.property, raw: p.raw, problem: p.problem }, p.message);
  return problems.length;
}

const progressLine = (p: FullSyncProgress) => `full sync: ${p.processed}/${p.total ?? '?'} records (${p.phase})`;

/** Runs (or resumes) the full sync. The caller holds the 'full' sync lock. */
export async function runFullSync(ctx: MirrorContext, opts: FullSyncOptions = {}): Promise<FullSyncResult> {
  const log = componentLogger(ctx.logger, 'crm-mirror', { sync: 'full' });
  const state = await readFullState(ctx.pool);
  const resumable = state.cursor !== null && state.startedAt !== null && (state.status === 'running' || state.status === 'failed');
  const resumed = resumable && opts.restart !== true;
  let cursor: FullCursor = resumed && state.cursor ? state.cursor : { phase: 'contacts', after: null };
  let processed = resumed ? state.processed : 0;
  let total = resumed ? state.total : null;
  const counts = { contacts: 0, deals: 0, unreadablePhones: 0 };
  try {
    await refreshCatalog(ctx);
    const phoneProperties = await phonePropertyNames(ctx.pool);
    let startedAt: Date;
    if (resumed && state.startedAt) {
      startedAt = state.startedAt;
      await resumeFullSync(ctx.pool);
      log.info({ cursor, processed, total }, `resuming the full sync at ${cursor.phase} after ${cursor.after ?? 'the start'} (${processed} done)`);
    } else {
      total = (await ctx.source.count('contacts')) + (await ctx.source.count('deals'));
      startedAt = await beginFullSync(ctx.pool, total);
      log.info({ total }, `full sync started: about ${total} contacts and deals`);
    }
    for (;;) {
      ctx.signal?.throwIfAborted();
      const phase = cursor.phase;
      const page = await ctx.source.listPage(phase, cursor.after ?? undefined, propertiesToRead(phase, phoneProperties));
      const next: FullCursor | null =
        page.after !== undefined ? { phase, after: page.after } : phase === 'contacts' ? { phase: 'deals', after: null } : null;
      processed += page.records.length;
      await withTransaction(ctx.pool, async (db) => {
        if (phase === 'contacts') {
          const contacts = page.records.map((r) =>
            contactFromHubSpot(r, { complete: true, defaultCountry: ctx.defaultCountry, phoneProperties }),
          );
          counts.unreadablePhones += logPhoneProblems(log, contacts);
          counts.contacts += (await writeContacts(db, contacts)).applied;
        } else {
          counts.deals += (await writeDeals(db, page.records.map((r) => dealFromHubSpot(r, { complete: true })))).applied;
        }
        // On the last page the cursor stays: a crash before the end re-reads one page, harmlessly.
        await saveFullCursor(db, next ?? cursor, processed);
      });
      const progress = { phase, processed, total };
      log.info(progress, progressLine(progress));
      await opts.onProgress?.(progress);
      if (!next) break;
      cursor = next;
    }
    const archivedContacts = await archiveUnseen(ctx.pool, 'contacts', startedAt);
    const archivedDeals = await archiveUnseen(ctx.pool, 'deals', startedAt);
    if (archivedContacts.length + archivedDeals.length > 0) {
      log.info({ contacts: archivedContacts.slice(0, 50), deals: archivedDeals.slice(0, 50) }, `${archivedContacts.length} contacts and ${archivedDeals.length} deals were deleted in the CRM; removed from lookups`);
    }
    await finishFullSync(ctx.pool, new Date(startedAt.getTime() - INCREMENTAL_OVERLAP_MS));
    log.info({ ...counts, processed }, `full sync finished: ${counts.contacts} contacts and ${counts.deals} deals stored`);
    return { resumed, ...counts, archived: archivedContacts.length + archivedDeals.length, total };
  } catch (err) {
    const interrupted = ctx.signal?.aborted === true;
    const message = interrupted ? 'interrupted: ringpath is shutting down' : err instanceof Error ? err.message : String(err);
    await failFullSync(ctx.pool, message).catch(() => undefined);
    const line = `full sync stopped at ${cursor.phase} after ${cursor.after ?? 'the start'}: ${message}; the next run resumes there`;
    if (interrupted) log.info({ cursor, processed }, line);
    else log.error({ err, cursor, processed }, line);
    throw err;
  }
}
