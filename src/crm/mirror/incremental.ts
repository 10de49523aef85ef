// The incremental sync: records modified since the high-water mark, found with
// HubSpot's search (lastmodifieddate >= mark, oldest first). Search pages stop
// at 10,000 results; past that the window restarts from the newest record seen.
// Search also trails the records by an indexing lag, so the mark never passes
// "now minus a margin": the next pass reads that margin again, harmlessly.
import { withTransaction } from '../../db/pool.ts';
import { componentLogger, type Logger } from '../../logger.ts';
import { phonePropertyNames } from './catalog.ts';
import { logPhoneProblems } from './full-sync.ts';
import { contactFromHubSpot, dealFromHubSpot, modifiedAt, propertiesToRead } from './records.ts';
import { failIncremental, mirrorFilled, readIncrementalState, saveIncremental } from './state.ts';
import { writeContacts, writeDeals } from './store.ts';
import type { HubSpotRecord, MirrorContext, MirrorObjectType, MirrorSource } from './types.ts';

export interface PullOptions {
  /** Records per search request (HubSpot: at most 200). */
  readonly pageSize: number;
  /** How far search pages go (HubSpot: 10,000 results). */
  readonly maxResults: number;
  /** How long search may trail the records (ms). */
  readonly marginMs: number;
  readonly now: () => number;
}

export const DEFAULT_PULL: PullOptions = { pageSize: 200, maxResults: 10_000, marginMs: 60_000, now: Date.now };

export interface PullResult {
  /** Where the next pass starts. */
  readonly highWaterMs: number;
  readonly records: number;
  /** How many times the 10,000-result cap made the window restart. */
  readonly windows: number;
}

/** Reads every record modified since `sinceMs` into `apply`, page by page. */
export async function pullModified(
  source: MirrorSource,
  type: MirrorObjectType,
  sinceMs: number,
  properties: readonly string[],
  opts: PullOptions,
  apply: (records: readonly HubSpotRecord[]) => Promise<void>,
  log?: Logger,
): Promise<PullResult> {
  const startedMs = opts.now();
  let since = sinceMs;
  let after: string | undefined;
  let newest = since;
  let records = 0;
  let windows = 0;
  for (;;) {
    const offset = after === undefined ? 0 : Number(after);
    const page = await source.searchModified(type, since, after, properties, opts.pageSize);
    if (page.records.length > 0) await apply(page.records);
    records += page.records.length;
    for (const r of page.records) newest = Math.max(newest, modifiedAt(r, type)?.getTime() ?? newest);
    if (offset + page.records.length >= page.total || page.records.length === 0) break;
    if (page.after !== undefined && Number(page.after) + opts.pageSize <= opts.maxResults) {
      after = page.after;
      continue;
    }
    // The search will not page further: continue from the newest modification seen.
    windows++;
    if (newest > since) {
      since = newest;
    } else {
      log?.warn({ type, since: new Date(since).toISOString() }, `more than ${opts.maxResults} ${type} share one modification time; skipping past it (run a full sync to be sure nothing was missed)`);
      since += 1;
    }
    newest = since;
    after = undefined;
  }
  return { highWaterMs: Math.max(sinceMs, startedMs - opts.marginMs), records, windows };
}

export interface IncrementalResult {
  /** False when the mirror was never filled (a full sync comes first). */
  readonly ran: boolean;
  readonly contacts: number;
  readonly deals: number;
}

/** One incremental pass over contacts and deals. The caller holds the 'incremental' sync lock. */
export async function runIncrementalSync(ctx: MirrorContext, opts: Partial<PullOptions> = {}): Promise<IncrementalResult> {
  const pull = { ...DEFAULT_PULL, ...opts };
  const log = componentLogger(ctx.logger, 'crm-mirror', { sync: 'incremental' });
  if (!(await mirrorFilled(ctx.pool))) return { ran: false, contacts: 0, deals: 0 };
  const phoneProperties = await phonePropertyNames(ctx.pool);
  const applied: Record<MirrorObjectType, number> = { contacts: 0, deals: 0 };
  for (const type of ['contacts', 'deals'] as const) {
    ctx.signal?.throwIfAborted();
    const state = await readIncrementalState(ctx.pool, type);
    const since = state.highWater?.getTime() ?? pull.now() - pull.marginMs;
    try {
      const apply = async (records: readonly HubSpotRecord[]) => {
        if (type === 'contacts') {
          const contacts = records.map((r) => contactFromHubSpot(r, { complete: true, defaultCountry: ctx.defaultCountry, phoneProperties }));
          logPhoneProblems(log, contacts);
          applied.contacts += (await withTransaction(ctx.pool, (db) => writeContacts(db, contacts))).applied;
        } else {
          // search results carry no associations: read the deals' contacts alongside
          const contactIds = await ctx.source.dealContacts(records.map((r) => r.id));
          const deals = records.map((r) => dealFromHubSpot({ ...r, contactIds: contactIds.get(r.id) ?? [] }, { complete: true }));
          applied.deals += (await withTransaction(ctx.pool, (db) => writeDeals(db, deals))).applied;
        }
      };
      const res = await pullModified(ctx.source, type, since, propertiesToRead(type, phoneProperties), pull, apply, log);
      await saveIncremental(ctx.pool, type, new Date(res.highWaterMs), applied[type]);
    } catch (err) {
      await failIncremental(ctx.pool, type, err instanceof Error ? err.message : String(err)).catch(() => undefined);
      throw err;
    }
  }
  const line = `incremental sync: ${applied.contacts} contacts and ${applied.deals} deals changed`;
  if (applied.contacts + applied.deals > 0) log.info(applied, line);
  else log.debug(applied, line);
  return { ran: true, ...applied };
}
