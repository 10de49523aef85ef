// Webhooks out. Record changes become events for the configured subscriptions;
// events are batched (at most 100 per request, after a short window) and POSTed
// to the target URL as a JSON array, signed as HubSpot signs them:
//   X-HubSpot-Signature-v3 = base64(HMAC-SHA256(secret, method + uri + body + timestamp)),
//     the URI with the characters HubSpot lists URL-decoded (uriAsSigned)
//   X-HubSpot-Request-Timestamp = timestamp (ms)
//   X-HubSpot-Signature = hex(SHA-256(secret + body)), X-HubSpot-Signature-Version: v1
// A delivery that fails (non-2xx, connection error, timeout) is retried with
// attemptNumber + 1, up to maxAttempts.
import { createHash, createHmac } from 'node:crypto';
import type { ObjectTypeName } from './schema.ts';
import type { ChangeEvent } from './store.ts';

export type SubscriptionType = `${'contact' | 'deal' | 'company'}.${'creation' | 'deletion' | 'propertyChange'}`;

export interface WebhookSubscription {
  subscriptionType: SubscriptionType;
  /** For propertyChange: the property; omitted means every property. */
  propertyName?: string;
}

export interface WebhookConfig {
  url: string;
  secret: string;
  appId?: number;
  /** Default: creation, deletion and propertyChange (every property) for contacts and deals. */
  subscriptions?: WebhookSubscription[];
  /** How long events gather before a batch goes out (ms, default 50). */
  batchWindowMs?: number;
  /** Default 100, HubSpot's maximum. */
  maxBatchSize?: number;
  /** Attempts per batch, including the first (default 3). */
  maxAttempts?: number;
  /** Wait before a retry (ms, default 200). */
  retryDelayMs?: number;
  /** A delivery slower than this fails (ms, default 5000, as HubSpot). */
  timeoutMs?: number;
}

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  propertyName?: string;
  propertyValue?: string;
  /** NEW on creation events, DELETED on deletion events, as HubSpot sends them. */
  changeFlag?: 'NEW' | 'DELETED';
  changeSource: string;
  sourceId?: string;
}

/** What tests may pass to trigger(): the rest is filled in. */
export type WebhookEventSeed = Partial<WebhookEvent> & Pick<WebhookEvent, 'subscriptionType' | 'objectId'>;

export interface Delivery {
  readonly at: number;
  readonly attemptNumber: number;
  readonly events: WebhookEvent[];
  readonly headers: Record<string, string>;
  readonly body: string;
  status?: number;
  error?: string;
}

/** The URI as HubSpot signs it: the characters its documentation lists are URL-decoded first, the rest left as they are. */
export function uriAsSigned(uri: string): string {
  const decoded: Record<string, string> = { '3A': ':', '2F': '/', '3F': '?', '40': '@', '21': '!', '24': '$', '27': "'", '28': '(', '29': ')', '2A': '*', '2C': ',', '3B': ';' };
  return uri.replace(/%([0-9A-Fa-f]{2})/g, (m, hex: string) => decoded[hex.toUpperCase()] ?? m);
}

export function signatureV3(secret: string, method: string, uri: string, body: string, timestamp: number | string): string {
  return createHmac('sha256', secret).update(`${method}${uriAsSigned(uri)}${body}${timestamp}`, 'utf8').digest('base64');
}

const DEFAULT_SUBSCRIPTIONS: WebhookSubscription[] = (['contact', 'deal'] as const).flatMap((o) =>
  (['creation', 'deletion', 'propertyChange'] as const).map((k) => ({ subscriptionType: `${o}.${k}` as const })),
);

const SINGULAR: Partial<Record<ObjectTypeName, 'contact' | 'deal' | 'company'>> = { contacts: 'contact', deals: 'deal', companies: 'company' };

export class WebhookDispatcher {
  private config: WebhookConfig | undefined;
  private queue: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private nextEventId = 1;
  readonly log: Delivery[] = [];

  constructor(private readonly portalId: number) {}

  configure(config: WebhookConfig | undefined): void {
    this.config = config;
  }

  get configured(): WebhookConfig | undefined {
    return this.config;
  }

  /** Turns a record change into events for the matching subscriptions. */
  onChange(e: ChangeEvent): void {
    const object = SINGULAR[e.objectType];
    if (!this.config || !object) return;
    const subscriptionType: SubscriptionType = `${object}.${e.kind}`;
    const subs = this.config.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
    subs.forEach((s, i) => {
      if (s.subscriptionType !== subscriptionType) return;
      if (e.kind === 'propertyChange' && s.propertyName !== undefined && s.propertyName !== e.propertyName) return;
      const event: WebhookEventSeed = { subscriptionType, objectId: Number(e.objectId), subscriptionId: 1000 + i, occurredAt: e.occurredAt, changeSource: e.changeSource };
      if (e.kind === 'propertyChange') {
        event.propertyName = e.propertyName ?? '';
        event.propertyValue = e.propertyValue ?? '';
      } else event.changeFlag = e.kind === 'creation' ? 'NEW' : 'DELETED';
      this.enqueue([event]);
    });
  }

  /** Queues events as if HubSpot had produced them. */
  enqueue(seeds: readonly WebhookEventSeed[]): WebhookEvent[] {
    const events = seeds.map((s) => ({
      eventId: this.nextEventId++,
      subscriptionId: 1000,
      portalId: this.portalId,
      appId: this.config?.appId ?? 4_200_000,
      occurredAt: Date.now(),
      attemptNumber: 0,
      changeSource: 'CRM_UI',
      ...s,
    }));
    if (!this.config) return events;
    this.queue.push(...events);
    this.timer ??= setTimeout(() => this.send(), this.config.batchWindowMs ?? 50);
    return events;
  }

  /** Sends what is queued now and waits until every delivery, retries included, has finished. */
  async flush(): Promise<void> {
    this.send();
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      this.send();
      await Promise.all([...this.inFlight]);
    }
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.log.length = 0;
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const config = this.config;
    if (!config) return;
    const size = config.maxBatchSize ?? 100;
    while (this.queue.length > 0) this.track(this.deliver(config, this.queue.splice(0, size), 0));
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    const done = () => void this.inFlight.delete(p);
    p.then(done, done);
  }

  private async deliver(config: WebhookConfig, batch: WebhookEvent[], attemptNumber: number): Promise<void> {
    const events = batch.map((e) => ({ ...e, attemptNumber }));
    const body = JSON.stringify(events);
    const timestamp = Date.now();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (emulator)',
      'X-HubSpot-Signature-v3': signatureV3(config.secret, 'POST', config.url, body, timestamp),
      'X-HubSpot-Request-Timestamp': String(timestamp),
      'X-HubSpot-Signature': createHash('sha256').update(config.secret + body, 'utf8').digest('hex'),
      'X-HubSpot-Signature-Version': 'v1',
    };
    const delivery: Delivery = { at: timestamp, attemptNumber, events, headers, body };
    this.log.push(delivery);
    try {
      const res = await fetch(config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(config.timeoutMs ?? 5_000) });
      delivery.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
    } catch (err) {
      delivery.error = err instanceof Error ? err.message : String(err);
    }
    if (attemptNumber + 1 >= (config.maxAttempts ?? 3)) return;
    await new Promise((r) => setTimeout(r, config.retryDelayMs ?? 200));
    if (this.config === config) await this.deliver(config, batch, attemptNumber + 1);
  }
}
