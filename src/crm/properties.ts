// HubSpot's properties of an object type as the console offers them to pick
// from (the field mapping): name, label, type, and whether ringpath may write
// them. toPropertyChoices is pure; listProperties is a thin adapter over the gateway.
import type { HubSpotGateway } from './hubspot/client.ts';

export const PROPERTY_OBJECTS = ['calls', 'contacts', 'deals'] as const;
export type PropertyObject = (typeof PROPERTY_OBJECTS)[number];

export interface PropertyChoice {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly group: string;
  /** HubSpot keeps its value itself (read-only or calculated): a mapping to it is refused. */
  readonly read_only: boolean;
}

/** What HubSpot's properties API answers for one property (the fields read here). */
export interface HubSpotProperty {
  readonly name: string;
  readonly label?: string;
  readonly type?: string;
  readonly groupName?: string;
  readonly calculated?: boolean;
  readonly hidden?: boolean;
  readonly archived?: boolean;
  readonly modificationMetadata?: { readonly readOnlyValue?: boolean };
}

/** The properties to offer, by label then name; hidden and archived ones left out. Pure. */
export function toPropertyChoices(properties: readonly HubSpotProperty[]): PropertyChoice[] {
  return properties
    .filter((p) => p.hidden !== true && p.archived !== true)
    .map((p) => ({
      name: p.name,
      label: p.label && p.label.trim() !== '' ? p.label : p.name,
      type: p.type ?? 'string',
      group: p.groupName ?? '',
      read_only: p.modificationMetadata?.readOnlyValue === true || p.calculated === true,
    }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en') || a.name.localeCompare(b.name, 'en'));
}

export async function listProperties(gateway: HubSpotGateway, object: PropertyObject): Promise<PropertyChoice[]> {
  const res = await gateway.call('standard', `list ${object} properties`, (c) => c.crm.properties.coreApi.getAll(object, false));
  return toPropertyChoices(res.results);
}
