// CRM v3 batch endpoints (at most 100 inputs each; batch read, 1,000 ids):
//   POST /crm/v3/objects/{objectType}/batch/create   201; a validation error fails the whole batch
//   POST /crm/v3/objects/{objectType}/batch/read     200, or 207 with errors for missing ids
//   POST /crm/v3/objects/{objectType}/batch/update   200, or 207 with errors for missing ids
//   POST /crm/v3/objects/{objectType}/batch/upsert   200, by a unique property
//   POST /crm/v3/objects/{objectType}/batch/archive  204
import type {
  BatchInputSimplePublicObjectBatchInput,
  BatchInputSimplePublicObjectBatchInputForCreate,
  BatchInputSimplePublicObjectBatchInputUpsert,
  BatchReadInputSimplePublicObjectId,
  BatchResponseSimplePublicObjectWithErrors,
  BatchResponseSimplePublicUpsertObject,
} from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { createRecord, parseCreateInput, prepareCreate } from './objects.ts';
import type { Router } from './router.ts';
import { OBJECT_TYPES, type ObjectTypeName } from './schema.ts';
import { findRecord, toWire, typeParam } from './serialize.ts';
import type { Store } from './store.ts';
import { checkUnique, validateValues } from './validate.ts';
import {
  batchBody,
  batchReply,
  optionalString,
  readArray,
  readObject,
  readPropertyValues,
  readString,
  readStringList,
  standardError,
  validationError,
  type Json,
  type StandardErrorBody,
  type Wire,
} from './wire.ts';

export const MAX_BATCH = 100;
/** Batch read takes up to 1,000 ids (the writes, 100 inputs). */
export const MAX_BATCH_READ = 1_000;

function readInputs(body: unknown, max = MAX_BATCH): { input: Record<string, Json>; inputs: Json[] } {
  const input = readObject(body, 'body');
  const inputs = readArray(input.inputs, 'body.inputs');
  if (inputs.length > max) {
    throw validationError(`Batch input size ${inputs.length} exceeds the limit of ${max} inputs`, {
      context: { inputs: [String(inputs.length)] },
    });
  }
  return { input, inputs };
}

function noDuplicates(ids: readonly string[]): void {
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length > 0) throw validationError(`Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]`);
}

const notFound = (type: ObjectTypeName, verb: string, ids: readonly string[]): StandardErrorBody =>
  standardError(
    'OBJECT_NOT_FOUND',
    `Could not ${verb} some ${OBJECT_TYPES[type].singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    { ids: [...ids] },
  );

export function batchRoutes(router: Router, store: Store): void {
  router.add('POST', '/crm/v3/objects/{objectType}/batch/create', (ctx) => {
    const type = typeParam(ctx);
    const startedAt = Date.now();
    const { inputs } = readInputs(ctx.body);
    const parsed: Wire<BatchInputSimplePublicObjectBatchInputForCreate> = {
      inputs: inputs.map((item, i) => parseCreateInput(item, `body.inputs[${i}]`)),
    };
    const prepared = parsed.inputs.map((item) => prepareCreate(store, type, item));
    prepared.forEach((p, i) => checkUnique(store, type, p.values, undefined, prepared.slice(0, i).map((q) => q.values)));
    const results = prepared.map((p) => toWire(store, createRecord(store, type, p), Object.keys(p.values)));
    const body: Wire<BatchResponseSimplePublicObjectWithErrors> = batchBody(results, startedAt);
    return batchReply(201, body);
  });

  router.add('POST', '/crm/v3/objects/{objectType}/batch/read', (ctx) => {
    const type = typeParam(ctx);
    const startedAt = Date.now();
    const { input, inputs } = readInputs(ctx.body, MAX_BATCH_READ);
    const parsed: Wire<BatchReadInputSimplePublicObjectId> = {
      inputs: inputs.map((item, i) => ({ id: readString(readObject(item, `body.inputs[${i}]`).id, `body.inputs[${i}].id`) })),
      properties: readStringList(input.properties, 'body.properties'),
      propertiesWithHistory: readStringList(input.propertiesWithHistory, 'body.propertiesWithHistory'),
    };
    const idProperty = optionalString(input.idProperty, 'body.idProperty');
    const archived = ctx.query.get('archived') === 'true';
    const missing: string[] = [];
    const results = [];
    for (const { id } of parsed.inputs) {
      const obj = findRecord(store, type, id, idProperty, archived);
      if (obj) results.push(toWire(store, obj, parsed.properties));
      else missing.push(id);
    }
    const body: Wire<BatchResponseSimplePublicObjectWithErrors> = batchBody(
      results,
      startedAt,
      missing.length > 0 ? [notFound(type, 'get', missing)] : [],
    );
    return batchReply(200, body);
  });

  router.add('POST', '/crm/v3/objects/{objectType}/batch/update', (ctx) => {
    const type = typeParam(ctx);
    const startedAt = Date.now();
    const { inputs } = readInputs(ctx.body);
    const parsed: Wire<BatchInputSimplePublicObjectBatchInput> = {
      inputs: inputs.map((item, i) => {
        const o = readObject(item, `body.inputs[${i}]`);
        const entry = { id: readString(o.id, `body.inputs[${i}].id`), properties: readPropertyValues(o.properties, `body.inputs[${i}].properties`) };
        const idProperty = optionalString(o.idProperty, `body.inputs[${i}].idProperty`);
        return idProperty ? { ...entry, idProperty } : entry;
      }),
    };
    noDuplicates(parsed.inputs.map((i) => i.id));
    const missing: string[] = [];
    const found = parsed.inputs.flatMap((item) => {
      const obj = findRecord(store, type, item.id, item.idProperty);
      if (!obj) missing.push(item.id);
      return obj ? [{ obj, values: validateValues(store, type, item.properties, { current: obj }) }] : [];
    });
    for (const { obj, values } of found) checkUnique(store, type, values, obj.id);
    const results = found.map(({ obj, values }) => {
      store.update(obj, values, 'INTEGRATION');
      return toWire(store, obj, Object.keys(values));
    });
    const body: Wire<BatchResponseSimplePublicObjectWithErrors> = batchBody(
      results,
      startedAt,
      missing.length > 0 ? [notFound(type, 'update', missing)] : [],
    );
    return batchReply(200, body);
  });

  router.add('POST', '/crm/v3/objects/{objectType}/batch/upsert', (ctx) => {
    const type = typeParam(ctx);
    const startedAt = Date.now();
    const { inputs } = readInputs(ctx.body);
    const parsed: Wire<BatchInputSimplePublicObjectBatchInputUpsert> = {
      inputs: inputs.map((item, i) => {
        const o = readObject(item, `body.inputs[${i}]`);
        return {
          id: readString(o.id, `body.inputs[${i}].id`),
          idProperty: readString(o.idProperty, `body.inputs[${i}].idProperty`),
          properties: readPropertyValues(o.properties, `body.inputs[${i}].properties`),
        };
      }),
    };
    noDuplicates(parsed.inputs.map((i) => `${i.idProperty}=${i.id}`));
    const plans = parsed.inputs.map((item) => {
      const idProperty = item.idProperty ?? 'hs_object_id';
      const obj = findRecord(store, type, item.id, idProperty);
      const values = validateValues(store, type, obj ? item.properties : { ...item.properties, [idProperty]: item.id }, obj ? { current: obj } : {});
      return { obj, values };
    });
    const results: Wire<BatchResponseSimplePublicUpsertObject>['results'] = plans.map(({ obj, values }) => {
      const record = obj ?? store.create(type, values, { source: 'INTEGRATION' });
      if (obj) store.update(obj, values, 'INTEGRATION');
      const wire = toWire(store, record, Object.keys(values));
      const properties: Record<string, string> = {};
      for (const [k, v] of Object.entries(wire.properties)) if (v !== null) properties[k] = v;
      return { ...wire, properties, new: !obj };
    });
    const body: Wire<BatchResponseSimplePublicUpsertObject> = batchBody(results, startedAt);
    return { status: 200, body };
  });

  router.add('POST', '/crm/v3/objects/{objectType}/batch/archive', (ctx) => {
    const type = typeParam(ctx);
    const { inputs } = readInputs(ctx.body);
    inputs.forEach((item, i) => {
      const obj = store.get(type, readString(readObject(item, `body.inputs[${i}]`).id, `body.inputs[${i}].id`));
      if (obj) store.archive(obj, 'INTEGRATION');
    });
    return { status: 204 };
  });
}
