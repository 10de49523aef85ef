// Property definitions.
//   GET    /crm/v3/properties/{objectType}
//   GET    /crm/v3/properties/{objectType}/{propertyName}
//   POST   /crm/v3/properties/{objectType}        PropertyCreate → 201, 409 if the name exists
//   DELETE /crm/v3/properties/{objectType}/{propertyName}   custom properties only
// Options of hubspot_owner_id, pipeline and dealstage are the current owners and pipelines.
import type { CollectionResponsePropertyNoPaging, PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { Router } from './router.ts';
import { makeProperty, type ObjectTypeName, type PropertyDef, type PropertyType } from './schema.ts';
import { boolParam, typeParam } from './serialize.ts';
import type { Store } from './store.ts';
import {
  HubSpotError,
  badInput,
  conflictError,
  notFoundError,
  readArray,
  readObject,
  readString,
  validationError,
  type Wire,
} from './wire.ts';

export type PropertyCreateInput = Wire<PropertyCreate>;

const TYPES: readonly PropertyType[] = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'];
const FIELD_TYPES = ['textarea', 'text', 'date', 'file', 'number', 'select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'] as const;
type FieldType = (typeof FIELD_TYPES)[number];

export function parsePropertyCreate(body: unknown): PropertyCreateInput {
  const o = readObject(body, 'body');
  const type = readString(o.type, 'body.type');
  const fieldType = readString(o.fieldType, 'body.fieldType');
  if (!TYPES.includes(type as PropertyType)) throw badInput('body.type', `one of ${TYPES.join(', ')}`);
  if (!FIELD_TYPES.includes(fieldType as FieldType)) throw badInput('body.fieldType', `one of ${FIELD_TYPES.join(', ')}`);
  const input: PropertyCreateInput = {
    name: readString(o.name, 'body.name'),
    label: readString(o.label, 'body.label'),
    groupName: readString(o.groupName, 'body.groupName'),
    type: type as PropertyType,
    fieldType: fieldType as FieldType,
    hasUniqueValue: o.hasUniqueValue === true,
  };
  if (typeof o.description === 'string') input.description = o.description;
  if (o.options !== undefined) {
    input.options = readArray(o.options, 'body.options').map((opt, i) => {
      const x = readObject(opt, `body.options[${i}]`);
      return { label: readString(x.label, `body.options[${i}].label`), value: readString(x.value, `body.options[${i}].value`), hidden: x.hidden === true, displayOrder: i };
    });
  }
  return input;
}

export function defineProperty(store: Store, type: ObjectTypeName, input: PropertyCreateInput): PropertyDef {
  if (!/^[a-z][a-z0-9_]*$/.test(input.name)) {
    throw validationError(`Property name ${input.name} is invalid: use lower-case letters, digits and underscores, starting with a letter`);
  }
  if (input.name.startsWith('hs_')) {
    throw validationError(`Property name ${input.name} is invalid: the hs_ prefix is reserved for HubSpot's own properties`);
  }
  const defs = store.propertyDefs(type);
  const existing = defs.get(input.name);
  if (existing && !existing.archived) throw conflictError(`Property named '${input.name}' already exists.`);
  const def = makeProperty(
    input.name,
    input.type,
    {
      fieldType: input.fieldType,
      group: input.groupName,
      label: input.label,
      unique: input.hasUniqueValue ?? false,
      options: (input.options ?? []).map((o) => [o.value, o.label] as const),
    },
    false,
  );
  def.description = input.description ?? '';
  def.createdAt = def.updatedAt = new Date().toISOString();
  defs.set(def.name, def);
  return def;
}

function withLiveOptions(store: Store, type: ObjectTypeName, def: PropertyDef): PropertyDef {
  const opts = (pairs: Array<[string, string]>) => pairs.map(([value, label], i) => ({ value, label, hidden: false, displayOrder: i }));
  if (def.name === 'hubspot_owner_id') {
    return { ...def, options: opts(store.owners.filter((o) => !o.archived).map((o) => [o.id, `${o.firstName ?? ''} ${o.lastName ?? ''}`.trim() || (o.email ?? o.id)])) };
  }
  const pipelines = type === 'deals' ? (store.pipelines.get('deals') ?? []) : [];
  if (type === 'deals' && def.name === 'pipeline') return { ...def, options: opts(pipelines.map((p) => [p.id, p.label])) };
  if (type === 'deals' && def.name === 'dealstage') return { ...def, options: opts(pipelines.flatMap((p) => p.stages.map((s) => [s.id, s.label] as [string, string]))) };
  return def;
}

export function propertyRoutes(router: Router, store: Store): void {
  router.add('GET', '/crm/v3/properties/{objectType}', (ctx) => {
    const type = typeParam(ctx);
    const archived = boolParam(ctx, 'archived');
    const results = [...store.propertyDefs(type).values()].filter((d) => (d.archived ?? false) === archived).map((d) => withLiveOptions(store, type, d));
    const body: Wire<CollectionResponsePropertyNoPaging> = { results };
    return { status: 200, body };
  });

  router.add('GET', '/crm/v3/properties/{objectType}/{propertyName}', (ctx) => {
    const type = typeParam(ctx);
    const name = ctx.params.propertyName ?? '';
    const def = store.propertyDefs(type).get(name);
    if (!def || def.archived) throw notFoundError(`Unable to find property ${name} for object type ${type}`, { context: { propertyName: [name] } });
    return { status: 200, body: withLiveOptions(store, type, def) };
  });

  router.add('POST', '/crm/v3/properties/{objectType}', (ctx) => ({
    status: 201,
    body: defineProperty(store, typeParam(ctx), parsePropertyCreate(ctx.body)),
  }));

  router.add('DELETE', '/crm/v3/properties/{objectType}/{propertyName}', (ctx) => {
    const def = store.propertyDefs(typeParam(ctx)).get(ctx.params.propertyName ?? '');
    if (def?.hubspotDefined) throw new HubSpotError(403, 'FORBIDDEN', `Cannot delete HubSpot-defined property ${def.name}`);
    if (def) {
      def.archived = true;
      def.archivedAt = new Date().toISOString();
    }
    return { status: 204 };
  });
}
