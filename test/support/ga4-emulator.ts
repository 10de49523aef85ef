// A local GA4 Measurement Protocol, enforcing what Google documents for it:
// /mp/collect answers 2xx whatever it gets (as GA4 does) and keeps each request
// with its validation messages; /debug/mp/collect answers in the validation
// server's format, {"validationMessages": [{fieldPath, description, validationCode}]}.
// Limits: client_id required, at most 25 events per request, event names of 1–40
// letters, digits and underscores starting with a letter and not reserved, at most
// 25 parameters per event, parameter names of at most 40 characters without a
// reserved prefix, string values of at most 100 characters, and a timestamp no more
// than 72 hours in the past (nor in the future).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ValidationMessage {
  readonly fieldPath: string;
  readonly description: string;
  readonly validationCode: 'VALUE_INVALID' | 'VALUE_REQUIRED' | 'NAME_INVALID' | 'NAME_RESERVED' | 'VALUE_OUT_OF_BOUNDS' | 'EXCEEDED_MAX_ENTITIES' | 'NAME_DUPLICATED';
}

export interface Ga4Hit {
  readonly measurementId: string | null;
  readonly apiSecret: string | null;
  readonly body: unknown;
  readonly messages: readonly ValidationMessage[];
}

const RESERVED_EVENTS = new Set([
  'ad_activeview', 'ad_click', 'ad_exposure', 'ad_impression', 'ad_query', 'ad_reward', 'adunit_exposure', 'app_background',
  'app_clear_data', 'app_exception', 'app_remove', 'app_store_refund', 'app_store_subscription_cancel',
  'app_store_subscription_convert', 'app_store_subscription_renew', 'app_update', 'app_upgrade', 'dynamic_link_app_open',
  'dynamic_link_app_update', 'dynamic_link_first_open', 'error', 'firebase_campaign', 'firebase_in_app_message_action',
  'firebase_in_app_message_dismiss', 'firebase_in_app_message_impression', 'first_open', 'first_visit', 'in_app_purchase',
  'notification_dismiss', 'notification_foreground', 'notification_open', 'notification_receive', 'os_update', 'session_start',
  'session_start_with_rollout', 'screen_view', 'user_engagement',
]);
const RESERVED_PARAM_PREFIXES = ['google_', 'ga_', 'firebase_'];
const MAX_PAST_MS = 72 * 3600_000;

/** The validation messages GA4 gives a Measurement Protocol body. */
export function validateGa4(body: unknown, now: Date): ValidationMessage[] {
  const out: ValidationMessage[] = [];
  const msg = (fieldPath: string, validationCode: ValidationMessage['validationCode'], description: string) =>
    out.push({ fieldPath, validationCode, description });
  if (typeof body !== 'object' || body === null) {
    msg('', 'VALUE_INVALID', 'Unable to parse the request body as JSON.');
    return out;
  }
  const b = body as Record<string, unknown>;
  if (typeof b.client_id !== 'string' || b.client_id.length === 0) msg('client_id', 'VALUE_REQUIRED', 'Measurement requires a client_id.');
  if (b.timestamp_micros !== undefined) {
    const ts = Number(b.timestamp_micros) / 1000;
    if (!Number.isFinite(ts)) msg('timestamp_micros', 'VALUE_INVALID', 'timestamp_micros must be an integer.');
    else if (now.getTime() - ts > MAX_PAST_MS) msg('timestamp_micros', 'VALUE_INVALID', 'Measurement timestamp_micros is more than 72 hours in the past.');
    else if (ts - now.getTime() > 60_000) msg('timestamp_micros', 'VALUE_INVALID', 'Measurement timestamp_micros is in the future.');
  }
  const events = b.events;
  if (!Array.isArray(events) || events.length === 0) {
    msg('events', 'VALUE_REQUIRED', 'Measurement requires at least one event.');
    return out;
  }
  if (events.length > 25) msg('events', 'EXCEEDED_MAX_ENTITIES', `A measurement can have at most 25 events (got ${events.length}).`);
  events.forEach((e: unknown, i: number) => {
    const ev = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    const name = ev.name;
    if (typeof name !== 'string' || name.length === 0) msg(`events[${i}].name`, 'VALUE_REQUIRED', `Event at index: [${i}] has no name.`);
    else if (name.length > 40) msg(`events[${i}].name`, 'VALUE_INVALID', `Event at index: [${i}] has name [${name}] longer than 40 characters.`);
    else if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      msg('events', 'NAME_INVALID', `Event at index: [${i}] has invalid name [${name}]. Names must start with an alphabetic character.`);
    } else if (RESERVED_EVENTS.has(name) || RESERVED_PARAM_PREFIXES.some((p) => name.startsWith(p))) {
      msg('events', 'NAME_RESERVED', `Event at index: [${i}] has name [${name}] which is reserved.`);
    }
    const params = (typeof ev.params === 'object' && ev.params !== null ? ev.params : {}) as Record<string, unknown>;
    const keys = Object.keys(params);
    if (keys.length > 25) msg(`events[${i}].params`, 'EXCEEDED_MAX_ENTITIES', `Event at index: [${i}] has ${keys.length} params; at most 25 are allowed.`);
    for (const k of keys) {
      if (k.length > 40 || !/^[A-Za-z][A-Za-z0-9_]*$/.test(k)) msg(`events[${i}].params`, 'NAME_INVALID', `Event param [${k}] has an invalid name.`);
      else if (RESERVED_PARAM_PREFIXES.some((p) => k.startsWith(p))) msg(`events[${i}].params`, 'NAME_RESERVED', `Event param [${k}] uses a reserved prefix.`);
      const v = params[k];
      if (typeof v === 'string' && v.length > 100) msg(`events[${i}].params.${k}`, 'VALUE_OUT_OF_BOUNDS', `Event param [${k}] has a value longer than 100 characters.`);
      else if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') msg(`events[${i}].params.${k}`, 'VALUE_INVALID', `Event param [${k}] must be a string or a number.`);
    }
  });
  return out;
}

export interface Ga4Emulator {
  readonly url: string;
  /** Every request to /mp/collect, in order. */
  readonly hits: Ga4Hit[];
  /** Events of /mp/collect requests that were valid and carried the property's id and secret. */
  accepted(): Array<{ name: string; params: Record<string, unknown>; client_id: string; timestamp_micros: number }>;
  /** Make the next n /mp/collect requests fail with this status. */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

export async function startGa4Emulator(opts: { measurementId: string; apiSecret: string; now?: () => Date }): Promise<Ga4Emulator> {
  const hits: Ga4Hit[] = [];
  let failures: { n: number; status: number } = { n: 0, status: 500 };
  const now = opts.now ?? (() => new Date());
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://ga4.local');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const messages = validateGa4(body, now());
      if (req.method !== 'POST' || (u.pathname !== '/mp/collect' && u.pathname !== '/debug/mp/collect')) {
        res.writeHead(404).end();
        return;
      }
      if (u.pathname === '/debug/mp/collect') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ validationMessages: messages }));
        return;
      }
      if (failures.n > 0) {
        failures = { ...failures, n: failures.n - 1 };
        res.writeHead(failures.status).end();
        return;
      }
      hits.push({ measurementId: u.searchParams.get('measurement_id'), apiSecret: u.searchParams.get('api_secret'), body, messages });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    accepted() {
      return hits
        .filter((h) => h.messages.length === 0 && h.measurementId === opts.measurementId && h.apiSecret === opts.apiSecret)
        .flatMap((h) => {
          const b = h.body as { client_id: string; timestamp_micros: number; events: Array<{ name: string; params: Record<string, unknown> }> };
          return b.events.map((e) => ({ ...e, client_id: b.client_id, timestamp_micros: b.timestamp_micros }));
        });
    },
    failNext(n, status) {
      failures = { n, status };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
