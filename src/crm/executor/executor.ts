// The post-call CRM executor (SPEC §6): load the stored call, what the mirror knows
// about the client's number and the settings, let the pure matrix decide the writes,
// and carry them out idempotently (run-writes.ts). One sync per client number at a
// time (lock.ts). The plan is decided again on every attempt from the same inputs
// (the matrix's clock is the call's end), and the ledger keeps a resumed attempt
// from writing anything twice.
//
// Outcomes: synced; failed for good (the dead letter, with its reason) when the CRM
// refuses a write or the last attempt fails; deferred when the CRM asks to be called
// again later (477 Retry-After, daily limit: the job's run_at is set then); otherwise
// the error is thrown, so the queue retries the job with its backoff.
import type { Pool } from '../../db/pool.ts';
import type { Logger } from '../../logger.ts';
import { decideCrmWrites } from '../matrix.ts';
import { afterFailure, isCrmFailure, isPermanentFailure, type CrmPort } from '../port.ts';
import { loadCrmSettings } from '../settings.ts';
import type { MatrixPhase, MatrixRow, MatrixWarning, WriteKey } from '../types.ts';
import { batchingWriter } from './batcher.ts';
import { clientNumber, loadCallRow, toCallFacts, type RecordingLink } from './call-facts.ts';
import { ledgerRepository } from './ledger.ts';
import { withSyncLock } from './lock.ts';
import { loadMirrorFacts } from './mirror-facts.ts';
import { mirrorRecorder, type MirrorRecorder } from './mirror-record.ts';
import { closeInFlight, runWrites, settleInFlight, type SyncedRecords, type WriteRun } from './run-writes.ts';
import { syncState, type AttemptTally } from './sync-state.ts';

export interface ExecutorDeps {
  readonly pool: Pool;
  readonly port: CrmPort;
  readonly logger: Logger;
  /** Signed recording links; without it calls are written without recordings. */
  readonly recordingLink?: RecordingLink;
  readonly mirror?: MirrorRecorder;
  /** How long the CRM's search index usually lags behind a create, waited once (default 30 s). */
  readonly settleMs?: number;
  /** The longest it may lag: a write in doubt is only repeated after this (default 10 min). */
  readonly maxSearchLagMs?: number;
  /** How long a sync waits for another sync of the same number (default 30 s). */
  readonly lockWaitMs?: number;
}

/** Which attempt of the job this is (the queue counts them). */
export interface Attempt {
  readonly attempts: number;
  readonly maxAttempts: number;
  /**
   * Runs the job again at `runAt` (the queue's run_at), without counting this attempt
   * against it; without it, a deferral is retried with the queue's backoff.
   */
  readonly defer?: (runAt: Date) => Promise<void>;
}

export type SyncResult = 'synced' | 'failed' | 'skipped' | 'missing' | 'deferred';

export interface CrmExecutor {
  sync(callId: string, attempt: Attempt): Promise<SyncResult>;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createCrmExecutor(deps: ExecutorDeps): CrmExecutor {
  const writer = batchingWriter(deps.port);
  const mirror = deps.mirror ?? mirrorRecorder;
  const settleMs = deps.settleMs ?? 30_000;
  const maxSearchLagMs = Math.max(settleMs, deps.maxSearchLagMs ?? 600_000);
  const lockWaitMs = deps.lockWaitMs ?? 30_000;

  async function syncLocked(db: WriteRun['db'], callId: string, attempt: Attempt, log: Logger): Promise<SyncResult> {
    const row = await loadCallRow(db, callId);
    if (!row || row.crm_sync_state !== 'pending') return row ? 'skipped' : 'missing';
    let requests = 0;
    const rows: MatrixRow[] = [];
    const warnings: MatrixWarning[] = [];
    const tally = (): AttemptTally => ({ rows, warnings, requests });
    let current: WriteKey | null = null;
    const records: SyncedRecords = { contactId: null, dealId: null, engagementId: null };
    try {
      await deps.port.ensureSchema();
      const settings = await loadCrmSettings(db, row.ended_at);
      const recordingUrl = row.recording_path ? await deps.recordingLink?.({ id: row.id, recordingPath: row.recording_path }) : undefined;
      const call = toCallFacts(row, recordingUrl);
      const ledger = await ledgerRepository.load(db, callId);
      const client = clientNumber(row);
      const run: WriteRun = { db, callId, ledger, writer, port: deps.port, mirror, settleMs, maxSearchLagMs, spend: (n) => void (requests += n), log, recovered: new Map() };
      await settleInFlight(run);
      const phases: MatrixPhase[] = settings.matrix.createWhen === 'call_start' ? ['call_start', 'after_call'] : ['after_call'];
      for (const phase of phases) {
        const facts = client ? await loadMirrorFacts(db, client, { callId, ledger, recovered: run.recovered, lookupOrder: settings.lookupOrder }) : { openDeals: [] };
        const plan = decideCrmWrites({ call, mirror: facts, settings: settings.matrix, phase });
        rows.push(plan.row);
        warnings.push(...plan.warnings.filter((w) => !warnings.some((x) => x.code === w.code && x.message === w.message)));
        log.debug({ phase, row: plan.row, writes: plan.writes.map((w) => w.key), warnings: plan.warnings }, 'CRM plan');
        await runWrites(run, plan.writes, records, (key) => (current = key));
      }
      await closeInFlight(run);
      await syncState.synced(db, callId, records, tally());
      log.info({ rows, records, requests: Math.round(requests * 100) / 100, warnings: warnings.map((w) => w.code) }, 'call synced to the CRM');
      return 'synced';
    } catch (err) {
      const at: WriteKey | null = current;
      const reason = at ? `${at}: ${message(err)}` : message(err);
      const status = isCrmFailure(err) ? (err.status ?? null) : null;
      const next = afterFailure(err, attempt);
      if (next.next === 'dead-letter' && next.why === 'refused') {
        await syncState.failed(db, callId, { reason, key: at, status, records }, tally());
        log.warn({ err, key: at }, 'the CRM refused a write for good: the call is dead-lettered');
        return 'failed';
      }
      if (next.next === 'defer' && attempt.defer) {
        const runAt = new Date(Date.now() + next.ms);
        await syncState.willRetry(db, callId, `${reason} (deferred until ${runAt.toISOString()})`, tally());
        await attempt.defer(runAt);
        log.warn({ key: at, status, runAt }, 'the CRM asked to come back later; the sync is deferred');
        return 'deferred';
      }
      if (next.next === 'dead-letter') {
        await syncState.failed(db, callId, { reason: `gave up after ${attempt.attempts} attempts: ${reason}`, key: at, status, records }, tally());
        log.error({ err, key: at }, 'CRM sync still failing on its last attempt: the call is dead-lettered');
        return 'failed';
      }
      await syncState.willRetry(db, callId, reason, tally()).catch((e: unknown) => log.warn({ err: e }, 'could not record the failed attempt'));
      log.warn({ err, key: at, attempt: attempt.attempts }, 'CRM sync attempt failed; the job will be retried');
      throw err;
    }
  }

  return {
    async sync(callId, attempt) {
      const log = deps.logger.child({ callId });
      const row = await loadCallRow(deps.pool, callId);
      if (!row) {
        log.warn('CRM sync job for a call that is not stored; nothing to do');
        return 'missing';
      }
      if (row.crm_sync_state !== 'pending') return 'skipped';
      try {
        return await withSyncLock(deps.pool, clientNumber(row) ?? callId, lockWaitMs, (db) => syncLocked(db, callId, attempt, log));
      } catch (err) {
        // Only errors from outside the locked part (the lock wait, the connection) reach here unrecorded.
        if (attempt.attempts >= attempt.maxAttempts && !isPermanentFailure(err)) {
          const reason = `gave up after ${attempt.attempts} attempts: ${message(err)}`;
          const failed = await deps.pool
            .query(`UPDATE calls SET crm_sync_state = 'failed', crm_sync_error = $2 WHERE id = $1 AND crm_sync_state = 'pending'`, [callId, reason])
            .then((r) => r.rowCount === 1, () => false);
          if (failed) return 'failed';
        }
        throw err;
      }
    },
  };
}
