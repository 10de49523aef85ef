// The outbound worker: graphile-worker runs the webhook deliveries and the
// call exports (GA4, Google Ads status) on the shared PostgreSQL. Any number of
// processes may run it; a call's deliveries to one endpoint share a job queue,
// so they go out one at a time, in order.
import { run, type Runner, type TaskList } from 'graphile-worker';
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import { componentLogger, type Logger } from '../logger.ts';
import { exportCall } from '../outbound/export-call.ts';
import { EXPORT_TASK } from '../outbound/export-store.ts';
import type { PostOptions } from '../outbound/http-post.ts';
import { drainDeliveries } from '../outbound/webhook-deliver.ts';
import { WEBHOOK_TASK } from '../outbound/webhook-store.ts';
import { workerLogger } from './logger.ts';

export interface OutboundDeps {
  readonly config: Pick<Config, 'outbound'>;
  readonly pool: Pool;
  readonly logger: Logger;
  /** Injectable clock and randomness (tests). */
  readonly now?: () => Date;
  readonly random?: () => number;
}

const field = (payload: unknown, name: string): unknown =>
  typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[name] : undefined;

/** The tasks, for `run` here and for tests that run due jobs with graphile-worker's runOnce. */
export function outboundTasks(deps: OutboundDeps): TaskList {
  const log = componentLogger(deps.logger, 'outbound');
  const http: PostOptions = {
    timeoutMs: deps.config.outbound.timeoutMs,
    maxResponseBytes: deps.config.outbound.maxResponseBytes,
    allowPrivate: deps.config.outbound.allowPrivateDestinations,
  };
  return {
    [WEBHOOK_TASK]: async (payload) => {
      const endpointId = Number(field(payload, 'endpointId'));
      const callId = field(payload, 'callId');
      if (!Number.isSafeInteger(endpointId) || typeof callId !== 'string') {
        log.error({ payload }, 'webhook job without an endpoint or call; dropped');
        return;
      }
      await drainDeliveries(
        {
          pool: deps.pool,
          logger: log,
          http,
          disableAfterFailures: deps.config.outbound.disableAfterFailures,
          ...(deps.now ? { now: deps.now } : {}),
          ...(deps.random ? { random: deps.random } : {}),
        },
        endpointId,
        callId,
      );
    },
    [EXPORT_TASK]: async (payload, helpers) => {
      const callId = field(payload, 'callId');
      if (typeof callId !== 'string') return;
      await exportCall(
        { pool: deps.pool, logger: log, ga4BaseUrl: deps.config.outbound.ga4BaseUrl, http, ...(deps.now ? { now: deps.now } : {}) },
        callId,
        { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts },
      );
    },
  };
}

export async function startOutboundWorker(deps: OutboundDeps & { readonly pollIntervalMs?: number }): Promise<{ stop(): Promise<void> }> {
  const log = componentLogger(deps.logger, 'outbound');
  const runner: Runner = await run({
    pgPool: deps.pool,
    concurrency: deps.config.outbound.workerConcurrency,
    pollInterval: deps.pollIntervalMs ?? 2_000,
    noHandleSignals: true,
    logger: workerLogger(log),
    taskList: outboundTasks(deps),
    // ringpath schedules no cron jobs: no crontab file to look for (and to log about)
    parsedCronItems: [],
  });
  log.info('outbound worker started (webhooks, GA4)');
  return { stop: () => runner.stop() };
}
