// All emulator state: records, property definitions, associations, owners and
// pipelines, plus the search index (which trails the records by the indexing lag).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PublicOwner } from '@hubspot/api-client/lib/codegen/crm/owners/index.js';
import type { Pipeline } from '@hubspot/api-client/lib/codegen/crm/pipelines/index.js';
import { AssociationStore } from './association-store.ts';
import { OBJECT_TYPES, builtInProperties, type ObjectTypeName, type PropertyDef } from './schema.ts';
import { iso, type Wire } from './wire.ts';

export type OwnerRecord = Wire<PublicOwner>;
export type PipelineRecord = Wire<Pipeline>;

/** Who made a change, as reported in webhook events. */
export type ChangeSource = 'INTEGRATION' | 'CRM_UI' | 'IMPORT' | 'API';

export interface IndexVersion {
  readonly visibleAt: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly archived: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StoredObject {
  readonly id: string;
  readonly type: ObjectTypeName;
  /** Stored values only; unset properties are absent. Computed ones are added on read. */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** What search sees, oldest first. */
  index: IndexVersion[];
}

export interface ChangeEvent {
  readonly kind: 'creation' | 'propertyChange' | 'deletion';
  readonly objectType: ObjectTypeName;
  readonly objectId: string;
  readonly propertyName?: string;
  readonly propertyValue?: string;
  readonly changeSource: ChangeSource;
  readonly occurredAt: number;
}

export const ALL_TYPES = Object.keys(OBJECT_TYPES) as ObjectTypeName[];

const DEFAULT_STAGES: ReadonlyArray<readonly [id: string, label: string, probability: string]> = [
  ['appointmentscheduled', 'Appointment Scheduled', '0.2'],
  ['qualifiedtobuy', 'Qualified To Buy', '0.4'],
  ['presentationscheduled', 'Presentation Scheduled', '0.6'],
  ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8'],
  ['contractsent', 'Contract Sent', '0.9'],
  ['closedwon', 'Closed Won', '1.0'],
  ['closedlost', 'Closed Lost', '0.0'],
];

export interface StageSeed {
  id?: string;
  label: string;
  probability?: number;
  isClosed?: boolean;
}

/** Probabilities are strings like '0.2' and '1.0'. */
const decimal = (n: number): string => (Number.isInteger(n) ? n.toFixed(1) : String(n));

export function makePipeline(id: string, label: string, stages: readonly StageSeed[], displayOrder = 0): PipelineRecord {
  const at = iso(Date.now());
  return {
    id,
    label,
    displayOrder,
    archived: false,
    createdAt: at,
    updatedAt: at,
    stages: stages.map((s, i) => ({
      id: s.id ?? `${id}-stage-${i + 1}`,
      label: s.label,
      displayOrder: i,
      archived: false,
      createdAt: at,
      updatedAt: at,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
      metadata: { isClosed: String(s.isClosed ?? false), probability: decimal(s.probability ?? 0) },
    })),
  };
}

const defaultDealPipeline = (): PipelineRecord =>
  makePipeline(
    'default',
    'Sales Pipeline',
    DEFAULT_STAGES.map(([id, label, p]) => ({ id, label, probability: Number(p), isClosed: id.startsWith('closed') })),
  );

export class Store {
  readonly objects = new Map<ObjectTypeName, Map<string, StoredObject>>();
  readonly properties = new Map<ObjectTypeName, Map<string, PropertyDef>>();
  readonly associations = new AssociationStore();
  owners: OwnerRecord[] = [];
  pipelines = new Map<ObjectTypeName, PipelineRecord[]>();
  private nextId = 0;
  private readonly listeners: Array<(e: ChangeEvent) => void> = [];

  /**
   * When set above searchLagMs, each write's indexing lag is random between the two,
   * mostly short and sometimes long (skewed towards searchLagMs), as HubSpot's is.
   */
  searchLagMaxMs: number | undefined;
  /** The random source for the lag (tests pass a seeded one). */
  lagRandom: () => number = Math.random;

  /** The indexing lag of one write. */
  nextLagMs(): number {
    const max = this.searchLagMaxMs;
    if (max === undefined || max <= this.searchLagMs) return this.searchLagMs;
    return Math.round(this.searchLagMs + this.lagRandom() ** 3 * (max - this.searchLagMs));
  }

  constructor(public searchLagMs: number) {
    this.reset();
  }

  reset(): void {
    this.nextId = 10_001;
    this.owners = [];
    this.associations.clear();
    for (const type of ALL_TYPES) {
      this.objects.set(type, new Map());
      this.properties.set(type, new Map(builtInProperties(type).map((p) => [p.name, p])));
    }
    this.pipelines = new Map([['deals', [defaultDealPipeline()]]]);
  }

  onChange(listener: (e: ChangeEvent) => void): void {
    this.listeners.push(listener);
  }

  newId(): string {
    return String(this.nextId++);
  }

  /** HubSpot ids are numeric; seeds with explicit ids push the counter past them. */
  reserveId(id: string): void {
    const n = Number(id);
    if (Number.isSafeInteger(n) && n >= this.nextId) this.nextId = n + 1;
  }

  table(type: ObjectTypeName): Map<string, StoredObject> {
    const t = this.objects.get(type);
    if (!t) throw new Error(`no table for ${type}`);
    return t;
  }

  propertyDefs(type: ObjectTypeName): Map<string, PropertyDef> {
    const p = this.properties.get(type);
    if (!p) throw new Error(`no properties for ${type}`);
    return p;
  }

  get(type: ObjectTypeName, id: string, includeArchived = false): StoredObject | undefined {
    const obj = this.table(type).get(id);
    return obj && (includeArchived || !obj.archived) ? obj : undefined;
  }

  /** Live (not archived) records, in id order. */
  live(type: ObjectTypeName): StoredObject[] {
    return [...this.table(type).values()].filter((o) => !o.archived).sort((a, b) => Number(a.id) - Number(b.id));
  }

  create(
    type: ObjectTypeName,
    values: Record<string, string>,
    opts: { source: ChangeSource; id?: string; createdAt?: number; indexNow?: boolean },
  ): StoredObject {
    const id = opts.id ?? this.newId();
    if (opts.id) this.reserveId(opts.id);
    const now = opts.createdAt ?? Date.now();
    const obj: StoredObject = { id, type, properties: {}, createdAt: now, updatedAt: now, archived: false, index: [] };
    for (const [k, v] of Object.entries(values)) if (v !== '') obj.properties[k] = v;
    this.derive(obj);
    this.table(type).set(id, obj);
    this.reindex(obj, opts.indexNow);
    this.emit({ kind: 'creation', objectType: type, objectId: id, changeSource: opts.source, occurredAt: now });
    for (const [name, value] of Object.entries(obj.properties)) {
      this.emit({ kind: 'propertyChange', objectType: type, objectId: id, propertyName: name, propertyValue: value, changeSource: opts.source, occurredAt: now });
    }
    return obj;
  }

  /** Applies values ('' clears); returns the names whose value changed. A no-op write changes nothing, not even updatedAt. */
  update(obj: StoredObject, values: Record<string, string>, source: ChangeSource): string[] {
    const changed: string[] = [];
    for (const [name, value] of Object.entries(values)) {
      if ((obj.properties[name] ?? '') === value) continue;
      if (value === '') delete obj.properties[name];
      else obj.properties[name] = value;
      changed.push(name);
    }
    const now = Date.now();
    if (changed.length === 0) return changed;
    obj.updatedAt = Math.max(now, obj.updatedAt + 1);
    this.derive(obj);
    this.reindex(obj);
    for (const name of changed) {
      this.emit({ kind: 'propertyChange', objectType: obj.type, objectId: obj.id, propertyName: name, propertyValue: obj.properties[name] ?? '', changeSource: source, occurredAt: now });
    }
    return changed;
  }

  archive(obj: StoredObject, source: ChangeSource): void {
    if (obj.archived) return;
    const now = Date.now();
    obj.archived = true;
    obj.archivedAt = now;
    obj.updatedAt = now;
    this.reindex(obj);
    this.emit({ kind: 'deletion', objectType: obj.type, objectId: obj.id, changeSource: source, occurredAt: now });
  }

  /** The version search sees now, or undefined when the record is not indexed yet. */
  indexed(obj: StoredObject, now = Date.now()): IndexVersion | undefined {
    let found: IndexVersion | undefined;
    for (const v of obj.index) if (v.visibleAt <= now) found = v;
    return found;
  }

  /** Makes every pending write visible to search. */
  flushIndex(): void {
    for (const table of this.objects.values()) {
      for (const obj of table.values()) obj.index = obj.index.map((v) => ({ ...v, visibleAt: 0 }));
    }
  }

  dealStage(pipelineId: string | undefined, stageId: string) {
    const pipelines = this.pipelines.get('deals') ?? [];
    const pipeline = pipelines.find((p) => p.id === (pipelineId ?? 'default')) ?? pipelines[0];
    return pipeline?.stages.find((s) => s.id === stageId);
  }

  private reindex(obj: StoredObject, now = false): void {
    const at = Date.now();
    const current = this.indexed(obj, at);
    obj.index = obj.index.filter((v) => v === current || v.visibleAt > at);
    obj.index.push({
      visibleAt: now ? 0 : at + this.nextLagMs(),
      properties: { ...obj.properties },
      archived: obj.archived,
      createdAt: obj.createdAt,
      updatedAt: obj.updatedAt,
    });
  }

  /** Properties HubSpot computes: deal closed flags and probability, task completion date, searchable phone numbers. */
  private derive(obj: StoredObject): void {
    const p = obj.properties;
    if (obj.type === 'deals') {
      const stage = p.dealstage ? this.dealStage(p.pipeline, p.dealstage) : undefined;
      if (stage) {
        const closed = stage.metadata?.isClosed === 'true';
        const probability = stage.metadata?.probability ?? '0';
        p.hs_is_closed = String(closed);
        p.hs_is_closed_won = String(closed && Number(probability) >= 1);
        p.hs_deal_stage_probability = probability;
      }
    }
    if (obj.type === 'contacts') {
      for (const [from, to] of CALCULATED_PHONES) {
        const national = nationalDigits(p[from]);
        if (national) p[to] = national;
        else delete p[to];
      }
    }
    if (obj.type === 'tasks') {
      if (p.hs_task_status === 'COMPLETED') p.hs_task_completion_date ??= iso(Date.now());
      else delete p.hs_task_completion_date;
    }
  }

  private emit(e: ChangeEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** HubSpot's calculated copies of the contact's phone numbers. */
const CALCULATED_PHONES = [
  ['phone', 'hs_searchable_calculated_phone_number'],
  ['mobilephone', 'hs_searchable_calculated_mobile_number'],
] as const;

/** What HubSpot keeps in a searchable calculated phone property: the national number, country code stripped. */
export function nationalDigits(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const parsed = value.trim().startsWith('+') ? parsePhoneNumberFromString(value) : undefined;
  if (parsed) return String(parsed.nationalNumber);
  return value.replace(/\D/g, '').replace(/^0+/, '') || undefined;
}
