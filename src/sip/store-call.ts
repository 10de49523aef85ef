// Storing a finished call. A write that fails is retried; one that still fails
// is logged at error level with its Call-ID and the whole record (so it can be
// replayed from the log), and counted in /metrics. A call is never dropped
// silently.
import type { CallRecord } from '../calls/record.ts';
import type { Logger } from '../logger.ts';
import type { CallDeps } from './deps.ts';
import type { CallEvent } from '../outbound/events.ts';

/** Announce a call event; a failure is logged and never reaches the call. */
export async function announce(deps: Pick<CallDeps, 'events'>, log: Logger, what: (e: NonNullable<CallDeps['events']>) => Promise<void>): Promise<void> {
  if (!deps.events) return;
  try {
    await what(deps.events);
  } catch (err) {
    log.warn({ err }, 'could not queue the call\'s webhook event');
  }
}

export const emitEvent = (deps: Pick<CallDeps, 'events'>, log: Logger, event: CallEvent) => announce(deps, log, (e) => e.emit(event));

export const STORE_ATTEMPTS = 3;

export async function storeCall(deps: Pick<CallDeps, 'callLog' | 'metrics' | 'events'>, record: CallRecord, log: Logger, backoffMs = 200): Promise<boolean> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= STORE_ATTEMPTS; attempt++) {
    try {
      await deps.callLog.record(record);
      await announce(deps, log, (e) => e.finished(record));
      return true;
    } catch (err) {
      lastError = err;
      log.warn({ err, attempt, callRecordId: record.id }, 'storing the call record failed; retrying');
      if (attempt < STORE_ATTEMPTS) await new Promise((r) => setTimeout(r, backoffMs * attempt));
    }
  }
  deps.metrics?.callRecordLost(record.direction);
  await announce(deps, log, (e) => e.finished(record));
  log.error({ err: lastError, sipCallId: record.sipCallId, callRecord: record }, 'call record NOT stored after retries; it is in this log line');
  return false;
}
