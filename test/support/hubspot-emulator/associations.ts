// Associations v4.
//   PUT    /crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}   200
//   PUT    /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}  [AssociationSpec]  201
//   DELETE /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}  204
//   GET    /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}  200 (after, limit ≤ 500)
//   POST   /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read|create|associate/default|archive
//
// The live API sends object ids in v4 bodies as JSON numbers although the
// client's model classes declare strings; the emulator does what the live API
// does, so code that compares them to strings fails here as it would there.
import type {
  AssociationSpecWithLabel,
  BatchResponseLabelsBetweenObjectPairWithErrors,
  BatchResponsePublicDefaultAssociation,
  LabelsBetweenObjectPair,
  MultiAssociatedObjectWithLabel,
  PublicDefaultAssociation,
} from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import { ASSOCIATION_TYPES, defaultAssociationType, type AssociationType } from './association-store.ts';
import { parseAssociationSpec, resolveSpec } from './inline-associations.ts';
import type { Ctx, Router } from './router.ts';
import { OBJECT_TYPES, type ObjectTypeName } from './schema.ts';
import { intParam, typeParam } from './serialize.ts';
import type { Store } from './store.ts';
import {
  batchBody,
  batchReply,
  readArray,
  readObject,
  readString,
  standardError,
  validationError,
  type StandardErrorBody,
  type Wire,
} from './wire.ts';

type WithNumericIds<T, K extends keyof T> = Omit<T, K> & { [P in K]: number };
export type LabelsPair = WithNumericIds<Wire<LabelsBetweenObjectPair>, 'fromObjectId' | 'toObjectId'>;
export type AssociationTypeOut = Omit<Wire<AssociationSpecWithLabel>, 'label'> & { label: string | null };
export type AssociatedObject = Omit<Wire<MultiAssociatedObjectWithLabel>, 'toObjectId' | 'associationTypes'> & {
  toObjectId: number;
  associationTypes: AssociationTypeOut[];
};

const PAGE = 500;

function requireExists(store: Store, type: ObjectTypeName, id: string): void {
  if (!store.get(type, id)) {
    throw validationError(`${OBJECT_TYPES[type].singular} ${id} does not exist`, { context: { objectId: [id], objectType: [type] } });
  }
}

function labelsPair(from: ObjectTypeName, fromId: string, to: ObjectTypeName, toId: string, types: readonly AssociationType[]): LabelsPair {
  return {
    fromObjectTypeId: OBJECT_TYPES[from].typeId,
    fromObjectId: Number(fromId),
    toObjectTypeId: OBJECT_TYPES[to].typeId,
    toObjectId: Number(toId),
    labels: types.flatMap((t) => (t.label ? [t.label] : [])),
  };
}

function defaultType(from: ObjectTypeName, to: ObjectTypeName): AssociationType {
  const t = defaultAssociationType(from, to);
  if (!t) throw validationError(`There is no default association type from ${from} to ${to}`);
  return t;
}

function defaultResults(from: ObjectTypeName, fromId: string, to: ObjectTypeName, toId: string): Wire<PublicDefaultAssociation>[] {
  const t = defaultType(from, to);
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: t.typeId } },
    { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: t.inverseTypeId } },
  ];
}

/** One record's associations to a type, in the v4 shape, skipping archived targets. */
function associated(store: Store, from: ObjectTypeName, fromId: string, to: ObjectTypeName): AssociatedObject[] {
  return store.associations
    .list(from, fromId, to)
    .filter((e) => store.get(e.toType, e.toId))
    .map((e) => ({
      toObjectId: Number(e.toId),
      associationTypes: e.typeIds.map((typeId) => ({
        category: 'HUBSPOT_DEFINED' as const,
        typeId,
        label: ASSOCIATION_TYPES.find((t) => t.typeId === typeId)?.label ?? null,
      })),
    }));
}

function page<T>(items: readonly T[], after: string | undefined, limit: number) {
  const offset = after ? Number(after) || 0 : 0;
  const results = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? { next: { after: String(offset + limit) } } : undefined;
  return { results, paging: next };
}

const pair = (ctx: Ctx) => ({ from: typeParam(ctx, 'fromObjectType'), to: typeParam(ctx, 'toObjectType') });

const readIdRef = (value: unknown, where: string): string => readString(readObject(value, where).id, `${where}.id`);

export function associationRoutes(router: Router, store: Store): void {
  router.add('PUT', '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}', (ctx) => {
    const { from, to } = pair(ctx);
    const fromId = ctx.params.fromObjectId ?? '';
    const toId = ctx.params.toObjectId ?? '';
    requireExists(store, from, fromId);
    requireExists(store, to, toId);
    store.associations.add(from, fromId, to, toId, defaultType(from, to));
    const started = Date.now();
    const body: Wire<BatchResponsePublicDefaultAssociation> = batchBody(defaultResults(from, fromId, to, toId), started);
    return { status: 200, body };
  });

  router.add('PUT', '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}', (ctx) => {
    const from = typeParam(ctx);
    const to = typeParam(ctx, 'toObjectType');
    const fromId = ctx.params.objectId ?? '';
    const toId = ctx.params.toObjectId ?? '';
    const specs = readArray(ctx.body, 'body').map((s, i) => resolveSpec(from, parseAssociationSpec(s, `body[${i}]`), to));
    if (specs.length === 0) throw validationError('At least one association type is required');
    requireExists(store, from, fromId);
    requireExists(store, to, toId);
    for (const t of specs) store.associations.add(from, fromId, to, toId, t);
    return { status: 201, body: labelsPair(from, fromId, to, toId, specs) };
  });

  router.add('DELETE', '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}', (ctx) => {
    store.associations.remove(typeParam(ctx), ctx.params.objectId ?? '', typeParam(ctx, 'toObjectType'), ctx.params.toObjectId ?? '');
    return { status: 204 };
  });

  router.add('GET', '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}', (ctx) => {
    const from = typeParam(ctx);
    const to = typeParam(ctx, 'toObjectType');
    const items = associated(store, from, ctx.params.objectId ?? '', to);
    const { results, paging } = page(items, ctx.query.get('after') ?? undefined, intParam(ctx, 'limit', PAGE, PAGE));
    return { status: 200, body: paging ? { results, paging } : { results } };
  });

  router.add('POST', '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read', (ctx) => {
    const { from, to } = pair(ctx);
    const started = Date.now();
    const inputs = readArray(readObject(ctx.body, 'body').inputs, 'body.inputs');
    const errors: StandardErrorBody[] = [];
    const results = inputs.flatMap((item, i) => {
      const o = readObject(item, `body.inputs[${i}]`);
      const id = readString(o.id, `body.inputs[${i}].id`);
      const items = store.get(from, id) ? associated(store, from, id, to) : [];
      if (items.length === 0) {
        errors.push(
          standardError('OBJECT_NOT_FOUND', `No ${to} are associated with ${OBJECT_TYPES[from].singular} ${id}.`, { fromObjectId: [id] }, 'crm.associations.NO_ASSOCIATIONS_FOUND'),
        );
        return [];
      }
      const { results: toPage, paging } = page(items, typeof o.after === 'string' ? o.after : undefined, PAGE);
      return [paging ? { from: { id }, to: toPage, paging } : { from: { id }, to: toPage }];
    });
    return batchReply(200, batchBody(results, started, errors));
  });

  router.add('POST', '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/create', (ctx) => {
    const { from, to } = pair(ctx);
    const started = Date.now();
    const errors: StandardErrorBody[] = [];
    const results: LabelsPair[] = [];
    readArray(readObject(ctx.body, 'body').inputs, 'body.inputs').forEach((item, i) => {
      const o = readObject(item, `body.inputs[${i}]`);
      const fromId = readIdRef(o.from, `body.inputs[${i}].from`);
      const toId = readIdRef(o.to, `body.inputs[${i}].to`);
      const specs = readArray(o.types, `body.inputs[${i}].types`).map((s, j) => resolveSpec(from, parseAssociationSpec(s, `body.inputs[${i}].types[${j}]`), to));
      const missing = [store.get(from, fromId) ? undefined : fromId, store.get(to, toId) ? undefined : toId].filter((x) => x !== undefined);
      if (missing.length > 0) {
        errors.push(standardError('VALIDATION_ERROR', `Could not associate ${from} ${fromId} with ${to} ${toId}: objects do not exist`, { ids: missing }));
        return;
      }
      for (const t of specs) store.associations.add(from, fromId, to, toId, t);
      results.push(labelsPair(from, fromId, to, toId, specs));
    });
    const body: Omit<Wire<BatchResponseLabelsBetweenObjectPairWithErrors>, 'results'> & { results: LabelsPair[] } = batchBody(results, started, errors);
    return batchReply(201, body);
  });

  router.add('POST', '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default', (ctx) => {
    const { from, to } = pair(ctx);
    const started = Date.now();
    const inputs = readArray(readObject(ctx.body, 'body').inputs, 'body.inputs').map((item, i) => {
      const o = readObject(item, `body.inputs[${i}]`);
      return { fromId: readIdRef(o.from, `body.inputs[${i}].from`), toId: readIdRef(o.to, `body.inputs[${i}].to`) };
    });
    for (const { fromId, toId } of inputs) {
      requireExists(store, from, fromId);
      requireExists(store, to, toId);
    }
    const results = inputs.flatMap(({ fromId, toId }) => {
      store.associations.add(from, fromId, to, toId, defaultType(from, to));
      return defaultResults(from, fromId, to, toId);
    });
    const body: Wire<BatchResponsePublicDefaultAssociation> = batchBody(results, started);
    return { status: 200, body };
  });

  router.add('POST', '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/archive', (ctx) => {
    const { from, to } = pair(ctx);
    readArray(readObject(ctx.body, 'body').inputs, 'body.inputs').forEach((item, i) => {
      const o = readObject(item, `body.inputs[${i}]`);
      const fromId = readIdRef(o.from, `body.inputs[${i}].from`);
      readArray(o.to, `body.inputs[${i}].to`).forEach((t, j) => store.associations.remove(from, fromId, to, readIdRef(t, `body.inputs[${i}].to[${j}]`)));
    });
    return { status: 204 };
  });
}
