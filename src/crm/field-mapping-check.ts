// The additional field mapping (crm_field_mapping) checked against HubSpot's
// properties API: every mapped property must exist, and be writable, on the object
// the mapped fields are written to (the deal, or the contact when only contacts are
// created). Checked when the mapping is saved (refused, or the missing ones created
// on request) and when the worker starts (missing ones reported and left out).
// checkFieldMapping is pure; the rest are thin adapters over the gateway.
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { HubSpotGateway } from './hubspot/client.ts';
import type { FieldMapping } from './types.ts';

export type MappingTarget = 'contacts' | 'deals';

/** Where mapped fields are written: the deal, or the contact when only contacts are created. Pure. */
export function mappingTarget(createEntities: 'contact' | 'contact_and_deal'): MappingTarget {
  return createEntities === 'contact' ? 'contacts' : 'deals';
}

export interface KnownProperty {
  readonly name: string;
  readonly readOnly: boolean;
}

export interface MappingProblem {
  readonly field: string;
  readonly property: string;
  readonly problem: 'unknown' | 'read_only';
  readonly message: string;
}

/** What is wrong with a mapping, given the target's properties. Pure. */
export function checkFieldMapping(mapping: FieldMapping, target: MappingTarget, known: readonly KnownProperty[]): MappingProblem[] {
  const byName = new Map(known.map((p) => [p.name, p]));
  const problems: MappingProblem[] = [];
  for (const [field, property] of Object.entries(mapping)) {
    if (typeof property !== 'string' || property === '') continue;
    const p = byName.get(property);
    if (!p) problems.push({ field, property, problem: 'unknown', message: `HubSpot ${target} have no property "${property}" (mapped from ${field})` });
    else if (p.readOnly) problems.push({ field, property, problem: 'read_only', message: `HubSpot ${target} property "${property}" (mapped from ${field}) is read-only` });
  }
  return problems;
}

/** The target's live properties, as HubSpot lists them. */
export async function targetProperties(gateway: HubSpotGateway, target: MappingTarget): Promise<KnownProperty[]> {
  const res = await gateway.call('standard', `list ${target} properties`, (c) => c.crm.properties.coreApi.getAll(target, false));
  return res.results.map((p) => ({ name: p.name, readOnly: p.modificationMetadata?.readOnlyValue === true || p.calculated === true }));
}

/** Creates the missing mapped properties as single-line text properties. */
export async function createMappedProperties(gateway: HubSpotGateway, target: MappingTarget, names: readonly string[]): Promise<void> {
  const groupName = target === 'deals' ? 'dealinformation' : 'contactinformation';
  for (const name of names) {
    const input = { name, label: name, groupName, type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text };
    await gateway.call('standard', `create ${target} property ${name}`, (c) => c.crm.properties.coreApi.create(target, input));
  }
}
