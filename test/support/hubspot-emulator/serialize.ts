// Records as HubSpot returns them, and the lookups shared by the object routes.
import type {
  SimplePublicObject,
  SimplePublicObjectWithAssociations,
} from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { ASSOCIATION_TYPES } from './association-store.ts';
import type { Ctx } from './router.ts';
import { OBJECT_TYPES, resolveObjectType, type ObjectTypeName } from './schema.ts';
import type { Store, StoredObject } from './store.ts';
import { iso, notFoundError, validationError, type Wire } from './wire.ts';

export type WireObject = Wire<SimplePublicObject>;
export type WireObjectWithAssociations = Wire<SimplePublicObjectWithAssociations>;

/** What a record looks like: the live record, or the version the search index holds. */
export interface RecordView {
  readonly id: string;
  readonly type: ObjectTypeName;
  readonly properties: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly archived: boolean;
  readonly archivedAt?: number;
}

/** Stored values plus the ones HubSpot computes on read. */
export function allProperties(view: RecordView): Record<string, string> {
  const info = OBJECT_TYPES[view.type];
  return {
    ...view.properties,
    hs_object_id: view.id,
    [info.createdProperty]: view.properties[info.createdProperty] ?? iso(view.createdAt),
    [info.modifiedProperty]: iso(view.updatedAt),
  };
}

/**
 * Requested properties (or the type's defaults) plus the three HubSpot always
 * returns; requested-but-unset ones come back as null, unknown names are ignored.
 */
export function toWire(store: Store, view: RecordView, requested?: readonly string[]): WireObject {
  const info = OBJECT_TYPES[view.type];
  const defs = store.propertyDefs(view.type);
  const names = new Set(requested && requested.length > 0 ? requested : info.defaultProperties);
  for (const always of ['hs_object_id', info.createdProperty, info.modifiedProperty]) names.add(always);
  const values = allProperties(view);
  const properties: Record<string, string | null> = {};
  for (const name of [...names].sort()) if (defs.has(name)) properties[name] = values[name] ?? null;
  const out: WireObject = {
    id: view.id,
    properties,
    createdAt: iso(view.createdAt),
    updatedAt: iso(view.updatedAt),
    archived: view.archived,
  };
  if (view.archivedAt !== undefined) out.archivedAt = iso(view.archivedAt);
  return out;
}

/** `associations=deals,companies` on reads: v3-style lists of associated ids. */
export function withAssociations(store: Store, obj: StoredObject, wire: WireObject, names: readonly string[]): WireObjectWithAssociations {
  const associations: NonNullable<WireObjectWithAssociations['associations']> = {};
  for (const name of names) {
    const toType = resolveObjectType(name);
    if (!toType) continue;
    const results = store.associations
      .list(obj.type, obj.id, toType)
      .filter((edge) => store.get(edge.toType, edge.toId))
      .flatMap((edge) =>
        edge.typeIds.map((typeId) => ({
          id: edge.toId,
          type: ASSOCIATION_TYPES.find((t) => t.typeId === typeId)?.name ?? String(typeId),
        })),
      );
    if (results.length > 0) associations[toType] = { results };
  }
  return Object.keys(associations).length > 0 ? { ...wire, associations } : wire;
}

export function typeParam(ctx: Ctx, name = 'objectType'): ObjectTypeName {
  const raw = ctx.params[name] ?? '';
  const type = resolveObjectType(raw);
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

/** `?properties=a,b&properties=c` */
export function listParam(ctx: Ctx, name: string): string[] {
  return ctx.query.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

export function boolParam(ctx: Ctx, name: string): boolean {
  return ctx.query.get(name) === 'true';
}

export function intParam(ctx: Ctx, name: string, fallback: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw validationError(`${name} must be a positive integer, got ${raw}`);
  if (n > max) throw validationError(`${name} must be less than or equal to ${max}`);
  return n;
}

/** Finds a record by id, or by a unique property when idProperty is given. */
export function findRecord(store: Store, type: ObjectTypeName, id: string, idProperty?: string, includeArchived = false): StoredObject | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return store.get(type, id, includeArchived);
  const def = store.propertyDefs(type).get(idProperty);
  if (!def || !(def.hasUniqueValue || (type === 'contacts' && idProperty === 'email'))) {
    throw validationError(`${idProperty} is not a unique identifier property for ${type}`);
  }
  const wanted = idProperty === 'email' ? id.trim().toLowerCase() : id;
  const table = [...store.table(type).values()];
  return table.find((o) => (includeArchived || !o.archived) && o.properties[idProperty] === wanted);
}

export function requireRecord(store: Store, type: ObjectTypeName, id: string, idProperty?: string, includeArchived = false): StoredObject {
  const obj = findRecord(store, type, id, idProperty, includeArchived);
  if (!obj) throw notFoundError('Object not found.  objectId are usually numeric.', { context: { id: [id] } });
  return obj;
}
