// The test-side handle on the emulator: seed and read state directly (no auth,
// no limits, no faults), count requests, inject faults, change limits, drive
// webhooks, reset.
import { associationType, defaultAssociationType } from './association-store.ts';
import type { DownMode, FailOptions, Faults } from './faults.ts';
import { addOwner, type OwnerSeed } from './owners.ts';
import { addPipeline, type PipelineSeed } from './pipelines.ts';
import { defineProperty, type PropertyCreateInput } from './properties.ts';
import type { RateLimitConfig, RateLimiter } from './ratelimit.ts';
import type { RequestLog, RouteFilter } from './requests.ts';
import { resolveObjectType, type ObjectTypeName, type PropertyDef, type PropertyType } from './schema.ts';
import { allProperties, toWire, type WireObject } from './serialize.ts';
import type { ChangeSource, OwnerRecord, PipelineRecord, Store, StoredObject } from './store.ts';
import { checkUnique, validateValues } from './validate.ts';
import type { Delivery, WebhookConfig, WebhookDispatcher, WebhookEvent, WebhookEventSeed } from './webhooks.ts';

export interface SeedOptions {
  /** A numeric id of your choosing; otherwise the next one. */
  id?: string;
  createdAt?: Date | number;
  /** Associations to existing records; the type defaults to the unlabeled one. */
  associations?: Array<{ toType: string; toId: string; associationTypeId?: number }>;
  /** Send webhook events for the new record (default false). */
  webhooks?: boolean;
  /** Visible to search at once (default) or only after the indexing lag. */
  searchable?: 'now' | 'after-lag';
}

export interface PropertySeed {
  name: string;
  type?: PropertyType;
  fieldType?: PropertyCreateInput['fieldType'];
  label?: string;
  groupName?: string;
  options?: Array<{ value: string; label?: string }>;
  hasUniqueValue?: boolean;
}

export interface AssociationState {
  toType: ObjectTypeName;
  toId: string;
  associationTypeIds: number[];
}

export interface EmulatorControl {
  seed(objectType: string, properties: Record<string, string>, opts?: SeedOptions): WireObject;
  /** Changes a record as a HubSpot user would in the UI: no limits, and webhooks fire. */
  update(objectType: string, id: string, properties: Record<string, string>, opts?: { changeSource?: ChangeSource }): WireObject;
  archive(objectType: string, id: string, opts?: { changeSource?: ChangeSource }): void;
  associate(fromType: string, fromId: string, toType: string, toId: string, associationTypeId?: number): void;
  defineProperty(objectType: string, def: PropertySeed): PropertyDef;
  addOwner(owner: OwnerSeed): OwnerRecord;
  addPipeline(pipeline: PipelineSeed): PipelineRecord;
  /** Every record of a type with every stored property, in id order. */
  records(objectType: string, opts?: { includeArchived?: boolean }): WireObject[];
  record(objectType: string, id: string): WireObject | undefined;
  associations(fromType: string, fromId: string, toType?: string): AssociationState[];
  owners(): OwnerRecord[];
  readonly search: {
    /** The indexing lag for writes from now on. */
    lagMs: number;
    /** With it, each write's lag is random in [lagMs, lagMaxMs], mostly short, sometimes long; undefined: always lagMs. */
    lagMaxMs: number | undefined;
    /** Makes every pending write searchable now. */
    flush(): void;
  };
  readonly requests: Pick<RequestLog, 'list' | 'count' | 'byRoute' | 'clear'>;
  readonly faults: {
    /** The next `count` requests (matching opts.route) fail with opts.status (500). */
    failNext(count: number, opts?: FailOptions): void;
    /** Goes down now (refuse by default); comes back after `ms` if given. Resolves once down. */
    down(ms?: number, mode?: DownMode): Promise<void>;
    up(): Promise<void>;
    /** Delays answers by `ms` (optionally only for matching requests). */
    latency(ms: number, route?: RouteFilter): void;
    /**
     * From now on, matching requests are carried out but their answers are held back
     * until release(): a write the client cannot know was made (an answer lost).
     */
    holdAnswers(route?: RouteFilter): void;
    /** Answers held back now. */
    held(): number;
    /** Stops holding answers; the held ones leave (to clients that may be gone). */
    release(): void;
    pending(): number;
    clear(): void;
  };
  readonly rateLimit: {
    get(): RateLimitConfig;
    set(limits: Partial<RateLimitConfig>): void;
    /** Empties the windows: the next request starts a fresh 10 s / 1 s / day. */
    reset(): void;
  };
  readonly webhooks: {
    configure(config: WebhookConfig | undefined): void;
    /** Queues events as if HubSpot had produced them (sent with the next batch). */
    trigger(events: WebhookEventSeed[]): WebhookEvent[];
    /** Sends what is queued and waits for every delivery and retry. */
    flush(): Promise<void>;
    deliveries(): Delivery[];
  };
  /** Back to the start: no records, owners or custom properties, default pipeline, empty logs, no faults, up. */
  reset(): void;
}

export interface ServerHooks {
  goDown(mode: DownMode): Promise<void>;
  goUp(): Promise<void>;
}

export interface ControlParts {
  store: Store;
  requests: RequestLog;
  faults: Faults;
  limiter: RateLimiter;
  webhooks: WebhookDispatcher;
  server: ServerHooks;
}

function typeOf(name: string): ObjectTypeName {
  const type = resolveObjectType(name);
  if (!type) throw new Error(`hubspot emulator: unknown object type ${name}`);
  return type;
}

function recordOf(store: Store, type: ObjectTypeName, id: string, includeArchived = false): StoredObject {
  const obj = store.get(type, id, includeArchived);
  if (!obj) throw new Error(`hubspot emulator: no ${type} ${id}`);
  return obj;
}

const fullWire = (store: Store, obj: StoredObject): WireObject => toWire(store, obj, Object.keys(allProperties(obj)));

export function createControl(parts: ControlParts): { control: EmulatorControl; dispose(): void } {
  const { store, requests, faults, limiter, webhooks, server } = parts;
  const initialLimits = { ...limiter.config };
  const initialLag = store.searchLagMs;
  const initialLagMax = store.searchLagMaxMs;
  const initialWebhook = webhooks.configured;
  let muted = false;
  store.onChange((e) => {
    if (!muted) webhooks.onChange(e);
  });
  let upTimer: NodeJS.Timeout | undefined;
  const dispose = () => {
    if (upTimer) clearTimeout(upTimer);
    upTimer = undefined;
  };

  const control: EmulatorControl = {
    seed(objectType, properties, opts = {}) {
      const type = typeOf(objectType);
      const values = validateValues(store, type, properties, { allowReadOnly: true });
      checkUnique(store, type, values);
      muted = opts.webhooks !== true;
      try {
        const createdAt = opts.createdAt instanceof Date ? opts.createdAt.getTime() : opts.createdAt;
        const obj = store.create(type, values, {
          source: 'CRM_UI',
          indexNow: opts.searchable !== 'after-lag',
          ...(opts.id !== undefined ? { id: opts.id } : {}),
          ...(createdAt !== undefined ? { createdAt } : {}),
        });
        for (const a of opts.associations ?? []) control.associate(type, obj.id, a.toType, a.toId, a.associationTypeId);
        return fullWire(store, obj);
      } finally {
        muted = false;
      }
    },
    update(objectType, id, properties, opts = {}) {
      const type = typeOf(objectType);
      const obj = recordOf(store, type, id);
      const values = validateValues(store, type, properties, { current: obj, allowReadOnly: true });
      store.update(obj, values, opts.changeSource ?? 'CRM_UI');
      return fullWire(store, obj);
    },
    archive(objectType, id, opts = {}) {
      const type = typeOf(objectType);
      store.archive(recordOf(store, type, id), opts.changeSource ?? 'CRM_UI');
    },
    associate(fromType, fromId, toType, toId, associationTypeId) {
      const from = typeOf(fromType);
      const to = typeOf(toType);
      recordOf(store, from, fromId);
      recordOf(store, to, toId);
      const t = associationTypeId === undefined ? defaultAssociationType(from, to) : associationType(associationTypeId);
      if (!t || t.from !== from || t.to !== to) throw new Error(`hubspot emulator: no association type ${associationTypeId ?? 'default'} from ${from} to ${to}`);
      store.associations.add(from, fromId, to, toId, t);
    },
    defineProperty(objectType, def) {
      const type = def.type ?? 'string';
      return defineProperty(store, typeOf(objectType), {
        name: def.name,
        type,
        fieldType: def.fieldType ?? (type === 'enumeration' ? 'select' : type === 'number' ? 'number' : type === 'bool' ? 'booleancheckbox' : type === 'string' ? 'text' : 'date'),
        label: def.label ?? def.name,
        groupName: def.groupName ?? 'emulator',
        hasUniqueValue: def.hasUniqueValue ?? false,
        options: (def.options ?? []).map((o, i) => ({ value: o.value, label: o.label ?? o.value, hidden: false, displayOrder: i })),
      });
    },
    addOwner: (owner) => addOwner(store, owner),
    addPipeline: (pipeline) => addPipeline(store, pipeline),
    records(objectType, opts = {}) {
      const type = typeOf(objectType);
      return [...store.table(type).values()]
        .filter((o) => opts.includeArchived || !o.archived)
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((o) => fullWire(store, o));
    },
    record(objectType, id) {
      const obj = store.get(typeOf(objectType), id, true);
      return obj && fullWire(store, obj);
    },
    associations(fromType, fromId, toType) {
      return store.associations
        .list(typeOf(fromType), fromId, toType === undefined ? undefined : typeOf(toType))
        .map((e) => ({ toType: e.toType, toId: e.toId, associationTypeIds: [...e.typeIds] }));
    },
    owners: () => [...store.owners],
    search: {
      get lagMs() {
        return store.searchLagMs;
      },
      set lagMs(ms: number) {
        store.searchLagMs = ms;
      },
      get lagMaxMs() {
        return store.searchLagMaxMs;
      },
      set lagMaxMs(ms: number | undefined) {
        store.searchLagMaxMs = ms;
      },
      flush: () => store.flushIndex(),
    },
    requests: {
      list: (filter) => requests.list(filter),
      count: (filter) => requests.count(filter),
      byRoute: () => requests.byRoute(),
      clear: () => requests.clear(),
    },
    faults: {
      failNext: (count, opts) => faults.failNext(count, opts),
      async down(ms, mode = 'refuse') {
        if (upTimer) clearTimeout(upTimer);
        await server.goDown(mode);
        if (ms !== undefined) upTimer = setTimeout(() => void server.goUp(), ms);
      },
      async up() {
        if (upTimer) clearTimeout(upTimer);
        upTimer = undefined;
        await server.goUp();
      },
      latency: (ms, route) => faults.setLatency(ms, route),
      holdAnswers: (route) => faults.holdAnswers(route),
      held: () => faults.held(),
      release: () => faults.release(),
      pending: () => faults.pending(),
      clear: () => faults.clear(),
    },
    rateLimit: {
      get: () => ({ ...limiter.config }),
      set: (limits) => {
        limiter.config = { ...limiter.config, ...limits };
      },
      reset: () => limiter.reset(),
    },
    webhooks: {
      configure: (config) => webhooks.configure(config),
      trigger: (events) => webhooks.enqueue(events),
      flush: () => webhooks.flush(),
      deliveries: () => [...webhooks.log],
    },
    reset() {
      if (upTimer) clearTimeout(upTimer);
      upTimer = undefined;
      void server.goUp();
      store.reset();
      store.searchLagMs = initialLag;
      store.searchLagMaxMs = initialLagMax;
      requests.clear();
      faults.clear();
      limiter.config = { ...initialLimits };
      limiter.reset();
      webhooks.clear();
      webhooks.configure(initialWebhook);
    },
  };
  return { control, dispose };
}
