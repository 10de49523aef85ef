// Delivering one endpoint's events of one call, oldest first (the
// 'webhook_deliver' job). Each request is signed per the Standard Webhooks
// specification by the `standardwebhooks` package. A failure is logged as an
// attempt and retried later by the backoff schedule (./backoff.ts); later
// events of the call wait behind it, so a receiver sees a call's events in order.
import { Webhook } from 'standardwebhooks';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { nextAttempt } from './backoff.ts';
import { post, type PostOptions } from './http-post.ts';
import { webhookStore, type DeliveryRow, type EndpointRow } from './webhook-store.ts';

export interface DeliverDeps {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly http: PostOptions;
  readonly disableAfterFailures: number;
  readonly now?: () => Date;
  readonly random?: () => number;
}

/** The three Standard Webhooks headers of a delivery sent at `at`. */
export function signedHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}

export type DrainOutcome = 'done' | 'retry_scheduled' | 'endpoint_disabled' | 'endpoint_gone';

/** Send the endpoint's pending deliveries of the call in order, stopping at the first failure. */
export async function drainDeliveries(deps: DeliverDeps, endpointId: number, callId: string): Promise<DrainOutcome> {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const { pool } = deps;
  const log = deps.logger.child({ endpointId, callId });
  for (;;) {
    const endpoint = await webhookStore.get(pool, endpointId);
    if (!endpoint) return 'endpoint_gone';
    if (!endpoint.enabled) {
      await webhookStore.failPending(pool, endpointId, endpoint.disabled_reason ?? 'disabled');
      return 'endpoint_disabled';
    }
    const delivery = await webhookStore.nextPending(pool, endpointId, callId);
    if (!delivery) return 'done';
    const result = await attempt(deps, endpoint, delivery, now());
    if (result === 'delivered') continue;
    const at = now();
    const { attempts, consecutiveFailures } = await webhookStore.failed(pool, delivery.id, endpointId, result);
    if (consecutiveFailures >= deps.disableAfterFailures) {
      const reason = `${consecutiveFailures} delivery attempts in a row failed; the last: ${result}`;
      log.warn({ reason }, 'webhook endpoint disabled');
      await webhookStore.disable(pool, endpointId, reason);
      return 'endpoint_disabled';
    }
    const first = (await webhookStore.firstAttemptAt(pool, delivery.id)) ?? at;
    const next = nextAttempt(attempts, first, at, random());
    if (!next.retry) {
      log.warn({ deliveryId: delivery.id, reason: next.reason }, 'webhook delivery given up; the endpoint is disabled');
      await webhookStore.giveUp(pool, delivery.id, `${next.reason}; the last: ${result}`);
      await webhookStore.disable(pool, endpointId, `a delivery failed for 3 days (${delivery.message_id}); the last: ${result}`);
      return 'endpoint_disabled';
    }
    log.info({ deliveryId: delivery.id, attempts, retryAt: next.at, error: result }, 'webhook delivery failed; retrying later');
    await webhookStore.retryAt(pool, delivery.id, next.at);
    return 'retry_scheduled';
  }
}

/** One attempt; 'delivered' on a 2xx, else what went wrong. */
async function attempt(deps: DeliverDeps, endpoint: EndpointRow, delivery: DeliveryRow, at: Date): Promise<'delivered' | string> {
  const body = JSON.stringify(delivery.payload);
  const res = await post(endpoint.url, body, signedHeaders(endpoint.secret, delivery.message_id, at, body), deps.http);
  const ok = res.ok && res.status >= 200 && res.status < 300;
  await webhookStore.recordAttempt(deps.pool, {
    deliveryId: delivery.id,
    at,
    statusCode: res.ok ? res.status : null,
    error: res.ok ? (ok ? null : `HTTP ${res.status}`) : res.error,
    durationMs: res.durationMs,
    responseBody: res.ok ? res.body : null,
  });
  if (ok) {
    await webhookStore.delivered(deps.pool, delivery.id, endpoint.id, at);
    return 'delivered';
  }
  return res.ok ? `HTTP ${res.status}` : res.error;
}
