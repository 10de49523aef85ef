// The CRM mirror (SPEC §6): a PostgreSQL copy of CRM contacts and deals that
// routing reads instead of the CRM. Kept current four ways: a resumable full
// sync, an incremental sync every N seconds, HubSpot webhooks, and upserts of
// the records ringpath itself creates.
import pg from 'pg';
import type { Config } from '../../config.ts';
import { withTransaction, type Pool, type PoolClient } from '../../db/pool.ts';
import { componentLogger, type Logger } from '../../logger.ts';
import type { HubSpotGateway } from '../hubspot/client.ts';
import { hubspotMirrorSource } from '../hubspot/mirror-source.ts';
import { phonePropertyNames, type CatalogCounts } from './catalog.ts';
import { logPhoneProblems, runFullSync, type FullSyncOptions, type FullSyncResult } from './full-sync.ts';
import { runIncrementalSync, type IncrementalResult, type PullOptions } from './incremental.ts';
import { tryLock, withLock } from './lock.ts';
import { contactFromHubSpot, dealFromHubSpot } from './records.ts';
import { refreshCatalog } from './refresh.ts';
import { markFullSyncRunning, mirrorFilled, readIncrementalState } from './state.ts';
import { writeContacts, writeDeals, type WriteResult } from './store.ts';
import type { HubSpotRecord, MirrorContext } from './types.ts';
import { applyWebhookQueue, pendingWebhookRecords } from './webhook-queue.ts';

export type { FullSyncOptions, FullSyncProgress, FullSyncResult } from './full-sync.ts';
export type { IncrementalResult } from './incremental.ts';
export type { CatalogCounts } from './catalog.ts';
export type { HubSpotRecord, MirrorContext, MirrorSource } from './types.ts';
export type { WriteResult } from './store.ts';

/** `{ ran: false }`: another ringpath process holds this sync's lock and is doing the work. */
export type LockedRun<T> = { readonly ran: true; readonly value: T } | { readonly ran: false };

export interface CrmMirror {
  /** Stops the loop; a full sync in progress pauses and resumes on the next start. */
  stop(): Promise<void>;
  /** Runs (or resumes) the full sync in this process, unless another process is running one. */
  fullSync(opts?: FullSyncOptions): Promise<LockedRun<FullSyncResult>>;
  /** "Refresh CRM data": owners, pipelines and stages. */
  refresh(): Promise<CatalogCounts>;
  /** One incremental pass now, then the webhook queue (after any pass in progress in another process). */
  incrementalSync(): Promise<LockedRun<IncrementalResult & { readonly webhooks: number }>>;
}

export interface CrmMirrorOptions {
  /** How often the loop looks at the webhook queue and whether a pass is due (default 2 s). */
  readonly pollMs?: number;
  readonly pull?: Partial<PullOptions>;
  /** Fill a never-filled mirror from the loop (default true). */
  readonly autoFullSync?: boolean;
}

export interface CrmMirrorDeps {
  readonly config: Config;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly gateway: HubSpotGateway;
  readonly options?: CrmMirrorOptions;
}

export function mirrorContext(deps: Omit<CrmMirrorDeps, 'options'>, signal?: AbortSignal): MirrorContext {
  return { pool: deps.pool, source: hubspotMirrorSource(deps.gateway), logger: deps.logger, defaultCountry: deps.config.defaultCountry, signal };
}

/** Starts the loop: a full sync when the mirror was never filled, then incremental passes and webhook re-reads. Safe with 2+ processes. */
export function startCrmMirror(deps: CrmMirrorDeps): CrmMirror {
  const abort = new AbortController();
  const ctx = mirrorContext(deps, abort.signal);
  const log = componentLogger(deps.logger, 'crm-mirror');
  const opts = deps.options ?? {};
  const pollMs = opts.pollMs ?? 2_000;
  const everyMs = deps.config.crm.incrementalSyncS * 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let nextFullAttempt = 0;

  const fullSync = (o?: FullSyncOptions) => withLock(deps.pool, 'full', () => runFullSync(ctx, o));
  // Due when the interval has passed since the last pass of any process (success or failure).
  const incrementalDue = async () => {
    const times = await Promise.all((['contacts', 'deals'] as const).map(async (t) => (await readIncrementalState(deps.pool, t)).updatedAt?.getTime() ?? 0));
    return Date.now() - Math.max(...times) >= everyMs;
  };
  // While the CRM fails, this process looks at the webhook queue less and less often (up to the sync interval).
  let webhookFailures = 0;
  let webhookRetryAt = 0;
  const drainWebhooks = async (force: boolean): Promise<number> => {
    if ((!force && Date.now() < webhookRetryAt) || (await pendingWebhookRecords(deps.pool)) === 0) return 0;
    try {
      const { applied } = await applyWebhookQueue(ctx);
      webhookFailures = 0;
      return applied;
    } catch (err) {
      webhookFailures++;
      webhookRetryAt = Date.now() + Math.min(everyMs, pollMs * 2 ** webhookFailures);
      throw err;
    }
  };
  // on demand (force) it waits for a pass in progress to finish, then runs its own
  const incrementalSync = (force: boolean) =>
    withLock(deps.pool, 'incremental', async () => {
      // the two are independent: one failing does not hold the other back
      let result: IncrementalResult = { ran: false, contacts: 0, deals: 0 };
      let webhooks = 0;
      const errors: unknown[] = [];
      if (force || (await incrementalDue())) result = await runIncrementalSync(ctx, opts.pull).catch((e: unknown) => (errors.push(e), result));
      webhooks = await drainWebhooks(force).catch((e: unknown) => (errors.push(e), 0));
      if (errors.length > 0) throw errors[0];
      return { ...result, webhooks };
    }, { wait: force });

  async function tick(): Promise<void> {
    if (!(await mirrorFilled(deps.pool))) {
      if (opts.autoFullSync === false || Date.now() < nextFullAttempt) return;
      nextFullAttempt = Date.now() + everyMs;
      const r = await fullSync();
      if (!r.ran) log.debug('another process is filling the CRM mirror');
      return;
    }
    await incrementalSync(false);
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick()
        .catch((err: unknown) => {
          if (!abort.signal.aborted) log.warn({ err }, `CRM mirror sync failed; retrying later: ${err instanceof Error ? err.message : String(err)}`);
        })
        .finally(() => {
          inFlight = undefined;
          schedule(pollMs);
        });
    }, ms);
  }
  schedule(0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      abort.abort();
      if (inFlight) await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    },
    fullSync,
    refresh: () => refreshCatalog(ctx),
    incrementalSync: () => incrementalSync(true),
  };
}

/**
 * Starts a full sync in the background once its lock is held (for the API):
 * `started: false` when another process is running one.
 */
export async function startFullSyncInBackground(
  ctx: MirrorContext,
  opts: FullSyncOptions = {},
): Promise<{ started: false } | { started: true; done: Promise<FullSyncResult | undefined> }> {
  const lock = await tryLock(ctx.pool, 'full');
  if (!lock) return { started: false };
  try {
    await markFullSyncRunning(ctx.pool);
  } catch (err) {
    await lock.release();
    throw err;
  }
  const done = runFullSync(ctx, opts)
    .catch(() => undefined) // logged and recorded in the sync status by runFullSync
    .finally(() => lock.release());
  return { started: true, done };
}

type Db = Pool | PoolClient;

/** Inside the caller's transaction when given a client; in one of its own when given the pool. */
function inTransaction<T>(db: Db, fn: (c: pg.PoolClient | pg.Pool) => Promise<T>): Promise<T> {
  return db instanceof pg.Pool ? withTransaction(db, fn) : fn(db);
}

/**
 * Puts a contact ringpath has just created (or changed) in HubSpot into the
 * mirror at once: pass the record HubSpot answered with. Properties it does not
 * carry keep their stored values.
 */
export async function upsertContact(db: Db, record: HubSpotRecord, opts: { defaultCountry: string; logger?: Logger }): Promise<WriteResult> {
  const phoneProperties = await phonePropertyNames(db);
  const contact = contactFromHubSpot(record, { complete: false, defaultCountry: opts.defaultCountry, phoneProperties });
  if (opts.logger) logPhoneProblems(componentLogger(opts.logger, 'crm-mirror'), [contact]);
  return inTransaction(db, (c) => writeContacts(c, [contact]));
}

/**
 * Puts a deal ringpath has just created (or changed) in HubSpot into the
 * mirror at once, with the contacts it was associated with (inline associations
 * are not echoed in HubSpot's answer). Without `contactIds` its stored
 * associations stay.
 */
export async function upsertDeal(db: Db, record: HubSpotRecord, opts: { contactIds?: readonly string[] } = {}): Promise<WriteResult> {
  const deal = dealFromHubSpot(opts.contactIds ? { ...record, contactIds: opts.contactIds } : record, { complete: false });
  return inTransaction(db, (c) => writeDeals(c, [deal]));
}
