// The control API over HTTP, under /_emulator, for processes that cannot hold
// the in-process handle (benchmarks against `npm run hubspot-emulator`). Same
// bearer token; no rate limits, faults or request logging.
//   GET    /_emulator/state                          records of every type, owners, pipelines
//   GET    /_emulator/associations/{objectType}/{objectId}
//   POST   /_emulator/reset
//   POST   /_emulator/seed/{objectType}              { properties, id?, associations? }
//   POST   /_emulator/properties/{objectType}        { name, type?, fieldType?, options?, hasUniqueValue? }
//   POST   /_emulator/owners                         { email, firstName?, lastName?, id?, userId? }
//   POST   /_emulator/pipelines                      { id?, label, stages: [{ id?, label, probability?, isClosed? }] }
//   GET    /_emulator/requests                       { total, byRoute, requests }
//   DELETE /_emulator/requests
//   POST   /_emulator/faults                         { failNext?: { count, status?, html?, route? }, latencyMs?, clear? }
//   POST   /_emulator/down                           { ms?, mode? }   (answers first, then goes down)
//   POST   /_emulator/up
//   PUT    /_emulator/rate-limit                     { perTenSeconds?, searchPerSecond?, daily? }
//   PUT    /_emulator/search                         { lagMs }
//   POST   /_emulator/search/flush
//   PUT    /_emulator/webhooks                       WebhookConfig   (DELETE to stop)
//   POST   /_emulator/webhooks/trigger               { events: [...] }
//   POST   /_emulator/webhooks/flush
//   GET    /_emulator/webhooks/deliveries
import type { EmulatorControl, PropertySeed } from './control.ts';
import type { DownMode } from './faults.ts';
import type { OwnerSeed } from './owners.ts';
import type { PipelineSeed } from './pipelines.ts';
import type { Handler, Method, Router } from './router.ts';
import { ALL_TYPES } from './store.ts';
import type { WebhookConfig, WebhookEventSeed } from './webhooks.ts';
import {
  isObject,
  optionalNumber,
  optionalString,
  readArray,
  readObject,
  readPropertyValues,
  readString,
  type JsonObject,
} from './wire.ts';

const ok = (body: unknown = { ok: true }) => ({ status: 200, body });
const bodyOf = (body: unknown): JsonObject => (body === undefined ? {} : readObject(body, 'body'));

/** Control bodies are trusted test input: shape-checked at the top level only. */
const as = <T>(value: JsonObject): T => value as unknown as T;

export function controlRoutes(router: Router, control: EmulatorControl): void {
  const add = (method: Method, path: string, handler: Handler) => router.add(method, `/_emulator${path}`, handler, 'control');

  add('GET', '/state', () =>
    ok({
      records: Object.fromEntries(ALL_TYPES.map((t) => [t, control.records(t, { includeArchived: true })])),
      owners: control.owners(),
      requests: control.requests.byRoute(),
    }),
  );
  add('GET', '/associations/{objectType}/{objectId}', (ctx) =>
    ok({ results: control.associations(ctx.params.objectType ?? '', ctx.params.objectId ?? '') }),
  );
  add('POST', '/reset', () => {
    control.reset();
    return ok();
  });
  add('POST', '/seed/{objectType}', (ctx) => {
    const b = bodyOf(ctx.body);
    const id = optionalString(b.id, 'body.id');
    const associations = b.associations === undefined ? [] : readArray(b.associations, 'body.associations').map((a) => {
      const o = readObject(a, 'body.associations[]');
      const typeId = optionalNumber(o.associationTypeId, 'associationTypeId');
      return { toType: readString(o.toType, 'toType'), toId: readString(o.toId, 'toId'), ...(typeId === undefined ? {} : { associationTypeId: typeId }) };
    });
    const record = control.seed(ctx.params.objectType ?? '', readPropertyValues(b.properties, 'body.properties'), {
      associations,
      ...(id === undefined ? {} : { id }),
      webhooks: b.webhooks === true,
    });
    return { status: 201, body: record };
  });
  add('POST', '/properties/{objectType}', (ctx) => ({ status: 201, body: control.defineProperty(ctx.params.objectType ?? '', as<PropertySeed>(bodyOf(ctx.body))) }));
  add('POST', '/owners', (ctx) => ({ status: 201, body: control.addOwner(as<OwnerSeed>(bodyOf(ctx.body))) }));
  add('POST', '/pipelines', (ctx) => ({ status: 201, body: control.addPipeline(as<PipelineSeed>(bodyOf(ctx.body))) }));
  add('GET', '/requests', () => ok({ total: control.requests.count(), byRoute: control.requests.byRoute(), requests: control.requests.list() }));
  add('DELETE', '/requests', () => {
    control.requests.clear();
    return { status: 204 };
  });
  add('POST', '/faults', (ctx) => {
    const b = bodyOf(ctx.body);
    if (b.clear === true) control.faults.clear();
    if (isObject(b.failNext)) {
      const f = b.failNext;
      const status = optionalNumber(f.status, 'failNext.status');
      const route = optionalString(f.route, 'failNext.route');
      control.faults.failNext(optionalNumber(f.count, 'failNext.count') ?? 1, {
        html: f.html === true,
        ...(status === undefined ? {} : { status }),
        ...(route === undefined ? {} : { route: route.startsWith('/') && route.endsWith('/') ? new RegExp(route.slice(1, -1)) : route }),
      });
    }
    const latency = optionalNumber(b.latencyMs, 'latencyMs');
    if (latency !== undefined) control.faults.latency(latency);
    return ok({ pending: control.faults.pending() });
  });
  add('POST', '/down', (ctx) => {
    const b = bodyOf(ctx.body);
    const ms = optionalNumber(b.ms, 'body.ms');
    const mode = (optionalString(b.mode, 'body.mode') ?? 'refuse') as DownMode;
    if (!['refuse', 'reset', '503'].includes(mode)) throw new Error(`mode must be refuse, reset or 503`);
    return { status: 200, body: { ok: true }, after: () => void control.faults.down(ms, mode) };
  });
  add('POST', '/up', async () => {
    await control.faults.up();
    return ok();
  });
  add('PUT', '/rate-limit', (ctx) => {
    const b = bodyOf(ctx.body);
    const limits = {
      perTenSeconds: optionalNumber(b.perTenSeconds, 'perTenSeconds'),
      searchPerSecond: optionalNumber(b.searchPerSecond, 'searchPerSecond'),
      daily: optionalNumber(b.daily, 'daily'),
    };
    control.rateLimit.set(Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)));
    if (b.reset === true) control.rateLimit.reset();
    return ok(control.rateLimit.get());
  });
  add('PUT', '/search', (ctx) => {
    control.search.lagMs = optionalNumber(bodyOf(ctx.body).lagMs, 'lagMs') ?? 0;
    return ok({ lagMs: control.search.lagMs });
  });
  add('POST', '/search/flush', () => {
    control.search.flush();
    return ok();
  });
  add('PUT', '/webhooks', (ctx) => {
    const b = bodyOf(ctx.body);
    readString(b.url, 'body.url');
    readString(b.secret, 'body.secret');
    control.webhooks.configure(as<WebhookConfig>(b));
    return ok();
  });
  add('DELETE', '/webhooks', () => {
    control.webhooks.configure(undefined);
    return { status: 204 };
  });
  add('POST', '/webhooks/trigger', (ctx) => {
    const events = readArray(bodyOf(ctx.body).events, 'body.events').map((e) => as<WebhookEventSeed>(readObject(e, 'body.events[]')));
    return ok({ events: control.webhooks.trigger(events) });
  });
  add('POST', '/webhooks/flush', async () => {
    await control.webhooks.flush();
    return ok();
  });
  add('GET', '/webhooks/deliveries', () => ok({ deliveries: control.webhooks.deliveries() }));
}
