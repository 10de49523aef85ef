// Associations given inline when a record is created:
//   { properties, associations: [{ to: { id }, types: [{ associationCategory, associationTypeId }] }] }
// The type id decides the target object type, as in HubSpot.
import type { AssociationSpec, PublicAssociationsForObject } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { associationType, type AssociationCategory, type AssociationType } from './association-store.ts';
import type { ObjectTypeName } from './schema.ts';
import type { Store, StoredObject } from './store.ts';
import { badInput, readArray, readObject, readString, validationError, type Wire } from './wire.ts';

export type InlineAssociation = Wire<PublicAssociationsForObject>;
export type AssociationSpecInput = Wire<AssociationSpec>;

const CATEGORIES: readonly AssociationCategory[] = ['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED'];

export function parseAssociationSpec(value: unknown, where: string): AssociationSpecInput {
  const o = readObject(value, where);
  const category = o.associationCategory;
  if (typeof category !== 'string' || !CATEGORIES.includes(category as AssociationCategory)) {
    throw badInput(`${where}.associationCategory`, `one of ${CATEGORIES.join(', ')}`);
  }
  const typeId = o.associationTypeId;
  if (typeof typeId !== 'number' || !Number.isInteger(typeId)) throw badInput(`${where}.associationTypeId`, 'an integer');
  return { associationCategory: category as AssociationCategory, associationTypeId: typeId };
}

export function parseInlineAssociations(value: unknown, where: string): InlineAssociation[] {
  return readArray(value, where).map((item, i) => {
    const o = readObject(item, `${where}[${i}]`);
    const to = readObject(o.to, `${where}[${i}].to`);
    const types = readArray(o.types, `${where}[${i}].types`).map((t, j) => parseAssociationSpec(t, `${where}[${i}].types[${j}]`));
    return { to: { id: readString(to.id, `${where}[${i}].to.id`) }, types };
  });
}

/** Checks that the spec is a known type from `fromType` and returns it. */
export function resolveSpec(fromType: ObjectTypeName, spec: AssociationSpecInput, toType?: ObjectTypeName): AssociationType {
  const type = associationType(spec.associationTypeId);
  if (!type || spec.associationCategory !== 'HUBSPOT_DEFINED') {
    throw validationError(`association type ${spec.associationCategory}/${spec.associationTypeId} does not exist`);
  }
  if (type.from !== fromType || (toType && type.to !== toType)) {
    throw validationError(
      `association type id ${type.typeId} is ${type.from} to ${type.to}, which doesn't match ${fromType} to ${toType ?? type.to}`,
    );
  }
  return type;
}

export interface ResolvedAssociation {
  readonly toType: ObjectTypeName;
  readonly toId: string;
  readonly types: readonly AssociationType[];
}

export function resolveInlineAssociations(store: Store, fromType: ObjectTypeName, inputs: readonly InlineAssociation[]): ResolvedAssociation[] {
  return inputs.map((input) => {
    if (input.types.length === 0) throw validationError('association types must not be empty');
    const types = input.types.map((spec) => resolveSpec(fromType, spec));
    const toTypes = new Set(types.map((t) => t.to));
    const toType = types[0]!.to;
    if (toTypes.size > 1) throw validationError(`association types for ${input.to.id} point at different object types`);
    if (!store.get(toType, input.to.id)) {
      throw validationError(`One or more associations are invalid: ${toType} ${input.to.id} does not exist`, {
        context: { toObjectId: [input.to.id], toObjectType: [toType] },
      });
    }
    return { toType, toId: input.to.id, types };
  });
}

export function applyInlineAssociations(store: Store, obj: StoredObject, resolved: readonly ResolvedAssociation[]): void {
  for (const a of resolved) for (const t of a.types) store.associations.add(obj.type, obj.id, a.toType, a.toId, t);
}
