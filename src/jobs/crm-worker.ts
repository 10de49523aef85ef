// The CRM sync worker: graphile-worker runs the 'crm_sync_call' jobs that
// recordCall enqueues with each CDR, on the shared PostgreSQL, with the executor
// (src/crm/executor) behind them. Any number of processes may run it at once.
//
// The worker never blocks on HubSpot: when HubSpot is down, jobs fail with a
// transient error and wait for the queue's retry, while calls go on being routed
// and stored.
import { run, type Runner, type Task } from 'graphile-worker';
import type { Config } from '../config.ts';
import { checkFieldMapping, mappingTarget, targetProperties } from '../crm/field-mapping-check.ts';
import { propertyGuard } from '../crm/hubspot/property-guard.ts';
import { loadSettings } from '../db/repositories/settings.ts';
import { createHubSpotWriter } from '../crm/hubspot/writer.ts';
import type { HubSpotGateway } from '../crm/hubspot/client.ts';
import type { RecordingLink } from '../crm/executor/call-facts.ts';
import { createCrmExecutor, type CrmExecutor } from '../crm/executor/executor.ts';
import { CRM_SYNC_TASK } from '../db/repositories/calls.ts';
import type { Pool } from '../db/pool.ts';
import { componentLogger, type Logger } from '../logger.ts';
import { startLiveness } from './liveness.ts';
import { workerLogger } from './logger.ts';
import { announceCrmSynced } from '../outbound/crm-synced.ts';

export interface CrmWorkerDeps {
  readonly config: Pick<Config, 'crm'>;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly gateway: HubSpotGateway;
  /** Signed HTTPS links to recordings (.wav/.mp3); without it calls are written without recordings. */
  readonly recordingLink?: RecordingLink;
  /** Tuning, mostly for tests and the benchmark. */
  readonly options?: {
    /** How often idle workers look for due jobs (retries); new jobs arrive by LISTEN/NOTIFY (default 2 s). */
    readonly pollIntervalMs?: number;
    /** How long HubSpot's search usually lags behind a create (default 30 s). */
    readonly settleMs?: number;
    /** The longest it may lag, before a write in doubt is made again (default 10 min). */
    readonly maxSearchLagMs?: number;
    /** Between sweeps for dead workers' jobs (default 10 s). */
    readonly livenessIntervalMs?: number;
  };
}

export interface CrmWorker {
  readonly executor: CrmExecutor;
  /** Finishes the jobs under way (graceful) and stops. */
  stop(): Promise<void>;
}

/** The job's payload as recordCall writes it: { callId }. */
export function callIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const id = (payload as { callId?: unknown }).callId;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : undefined;
}

export async function startCrmWorker(deps: CrmWorkerDeps): Promise<CrmWorker> {
  const log = componentLogger(deps.logger, 'crm-worker');
  const opts = deps.options ?? {};
  const guard = propertyGuard({ pool: deps.pool, logger: log });
  const port = createHubSpotWriter(deps.gateway, { guard });
  // The custom properties and the field mapping are checked ahead of the first job; a
  // failure here (HubSpot down) is retried by the jobs (ensureSchema) or the next start.
  void (async () => {
    await port.ensureSchema();
    const settings = await loadSettings(deps.pool);
    const target = mappingTarget(settings.crm_create_entities);
    const properties = await targetProperties(deps.gateway, target);
    const problems = checkFieldMapping(settings.crm_field_mapping, target, properties);
    const known = properties.map((p) => p.name);
    await guard.present(target, Object.values(settings.crm_field_mapping).filter((n): n is string => typeof n === 'string' && known.includes(n)));
    for (const p of problems) await guard.report(target, [p.property], `${p.message}: the mapped field is not written`);
  })().catch((err: unknown) => log.warn({ err }, 'could not check the CRM custom properties and field mapping yet'));
  const executor = createCrmExecutor({
    pool: deps.pool,
    port,
    logger: log,
    ...(deps.recordingLink ? { recordingLink: deps.recordingLink } : {}),
    ...(opts.settleMs !== undefined ? { settleMs: opts.settleMs } : {}),
    ...(opts.maxSearchLagMs !== undefined ? { maxSearchLagMs: opts.maxSearchLagMs } : {}),
  });
  const liveness = await startLiveness(deps.pool, log, {
    task: CRM_SYNC_TASK,
    ...(opts.livenessIntervalMs !== undefined ? { intervalMs: opts.livenessIntervalMs } : {}),
  });
  // Jobs a dead process left locked are free before this one starts taking jobs.
  await liveness.sweep().catch((err: unknown) => log.warn({ err }, 'sweeping dead workers failed'));

  const syncCall: Task = async (payload, helpers) => {
    const callId = callIdOf(payload);
    if (callId === undefined) {
      log.error({ payload, jobId: helpers.job.id }, 'crm_sync_call job without a call id; dropped');
      return;
    }
    if (helpers.job.locked_by) await liveness.register(helpers.job.locked_by);
    const result = await executor.sync(callId, {
      attempts: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
      // A new job under the same key, due then: graphile-worker takes the key off this
      // running job, which completes; the new one starts with a fresh count of attempts.
      defer: async (runAt) => void (await helpers.addJob(CRM_SYNC_TASK, { callId }, { jobKey: callId, runAt, maxAttempts: helpers.job.max_attempts })),
    });
    if (result === 'synced') {
      await announceCrmSynced(deps.pool, callId).catch((err: unknown) => log.warn({ err, callId }, 'could not queue the call.crm_synced webhook event'));
    }
  };

  let runner: Runner;
  try {
    runner = await run({
      pgPool: deps.pool,
      concurrency: deps.config.crm.workerConcurrency,
      pollInterval: opts.pollIntervalMs ?? 2_000,
      noHandleSignals: true,
      logger: workerLogger(log),
      taskList: { [CRM_SYNC_TASK]: syncCall },
      // ringpath schedules no cron jobs: no crontab file to look for (and to log about)
      parsedCronItems: [],
    });
  } catch (err) {
    await liveness.stop();
    throw err;
  }
  log.info({ concurrency: deps.config.crm.workerConcurrency }, 'CRM sync worker started');
  let stopping: Promise<void> | undefined;
  return {
    executor,
    stop() {
      stopping ??= (async () => {
        await runner.stop();
        await liveness.stop();
        log.info('CRM sync worker stopped');
      })();
      return stopping;
    },
  };
}
