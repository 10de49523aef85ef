// CRM v3 objects: create, read, update, archive, list.
//   POST   /crm/v3/objects/{objectType}
//   GET    /crm/v3/objects/{objectType}
//   GET    /crm/v3/objects/{objectType}/{objectId}
//   PATCH  /crm/v3/objects/{objectType}/{objectId}
//   DELETE /crm/v3/objects/{objectType}/{objectId}
// Batch endpoints are in batch.ts.
import type {
  CollectionResponseSimplePublicObjectWithAssociationsForwardPaging,
  SimplePublicObjectInput,
  SimplePublicObjectInputForCreate,
} from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { applyInlineAssociations, parseInlineAssociations, resolveInlineAssociations } from './inline-associations.ts';
import type { Router } from './router.ts';
import type { ObjectTypeName } from './schema.ts';
import {
  boolParam,
  intParam,
  listParam,
  requireRecord,
  toWire,
  typeParam,
  withAssociations,
  type WireObject,
} from './serialize.ts';
import type { ChangeSource, Store, StoredObject } from './store.ts';
import { checkUnique, validateValues } from './validate.ts';
import { readObject, readPropertyValues, type Wire } from './wire.ts';

export type CreateInput = Wire<SimplePublicObjectInputForCreate>;
export type UpdateInput = Wire<SimplePublicObjectInput>;

export function parseCreateInput(body: unknown, where = 'body'): CreateInput {
  const input = readObject(body, where);
  const parsed: CreateInput = { properties: readPropertyValues(input.properties, `${where}.properties`) };
  if (input.associations !== undefined) parsed.associations = parseInlineAssociations(input.associations, `${where}.associations`);
  return parsed;
}

export function parseUpdateInput(body: unknown, where = 'body'): UpdateInput {
  return { properties: readPropertyValues(readObject(body, where).properties, `${where}.properties`) };
}

/** Validates a create input; returns normalised values and the associations to make. */
export function prepareCreate(store: Store, type: ObjectTypeName, input: CreateInput) {
  const values = validateValues(store, type, input.properties);
  const associations = resolveInlineAssociations(store, type, input.associations ?? []);
  return { values, associations };
}

export function createRecord(
  store: Store,
  type: ObjectTypeName,
  prepared: ReturnType<typeof prepareCreate>,
  source: ChangeSource = 'INTEGRATION',
): StoredObject {
  const obj = store.create(type, prepared.values, { source });
  applyInlineAssociations(store, obj, prepared.associations);
  return obj;
}

export function objectRoutes(router: Router, store: Store): void {
  router.add('POST', '/crm/v3/objects/{objectType}', (ctx) => {
    const type = typeParam(ctx);
    const prepared = prepareCreate(store, type, parseCreateInput(ctx.body));
    checkUnique(store, type, prepared.values);
    const obj = createRecord(store, type, prepared);
    return { status: 201, body: toWire(store, obj, Object.keys(prepared.values)) satisfies WireObject };
  });

  router.add('GET', '/crm/v3/objects/{objectType}', (ctx) => {
    const type = typeParam(ctx);
    const limit = intParam(ctx, 'limit', 10, 100);
    const after = ctx.query.get('after');
    const archived = boolParam(ctx, 'archived');
    const properties = listParam(ctx, 'properties');
    const assoc = listParam(ctx, 'associations');
    const all = [...store.table(type).values()]
      .filter((o) => o.archived === archived)
      .filter((o) => !after || Number(o.id) >= Number(after))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const page = all.slice(0, limit);
    const body: Wire<CollectionResponseSimplePublicObjectWithAssociationsForwardPaging> = {
      results: page.map((o) => withAssociations(store, o, toWire(store, o, properties), assoc)),
    };
    const next = all[limit];
    if (next) body.paging = { next: { after: next.id, link: `?after=${next.id}` } };
    return { status: 200, body };
  });

  router.add('GET', '/crm/v3/objects/{objectType}/{objectId}', (ctx) => {
    const type = typeParam(ctx);
    const idProperty = ctx.query.get('idProperty') ?? undefined;
    const obj = requireRecord(store, type, ctx.params.objectId ?? '', idProperty, boolParam(ctx, 'archived'));
    const wire = toWire(store, obj, listParam(ctx, 'properties'));
    return { status: 200, body: withAssociations(store, obj, wire, listParam(ctx, 'associations')) };
  });

  router.add('PATCH', '/crm/v3/objects/{objectType}/{objectId}', (ctx) => {
    const type = typeParam(ctx);
    const obj = requireRecord(store, type, ctx.params.objectId ?? '', ctx.query.get('idProperty') ?? undefined);
    const input = parseUpdateInput(ctx.body);
    const values = validateValues(store, type, input.properties, { current: obj });
    checkUnique(store, type, values, obj.id);
    store.update(obj, values, 'INTEGRATION');
    return { status: 200, body: toWire(store, obj, Object.keys(values)) satisfies WireObject };
  });

  router.add('DELETE', '/crm/v3/objects/{objectType}/{objectId}', (ctx) => {
    const type = typeParam(ctx);
    const obj = store.get(type, ctx.params.objectId ?? '');
    if (obj) store.archive(obj, 'INTEGRATION');
    return { status: 204 };
  });
}
