// HubSpot records → what the mirror stores. Pure: no I/O, tested table-driven
// against captured HubSpot payloads.
import { normalizePhone } from '../../phone/index.ts';
import type { HubSpotRecord, MirrorContact, MirrorDeal, MirrorObjectType, PhoneValue } from './types.ts';

/** HubSpot's built-in contact properties that hold phone numbers (custom ones are added in crm_phone_properties). */
export const DEFAULT_PHONE_PROPERTIES = ['phone', 'mobilephone', 'hs_whatsapp_phone_number'] as const;

/**
 * HubSpot's calculated phone properties (hs_searchable_calculated_phone_number,
 * …_mobile_number, hs_calculated_*) hold the national number with the country code
 * stripped: read with the default country, +44 20 7946 0958 would become +1 207….
 * They are never read as phone numbers.
 */
export function isCalculatedPhoneProperty(name: string): boolean {
  return /^hs_(searchable_)?calculated_/.test(name);
}

/** A property the mirror reads as a phone number: a live, not calculated, phonenumber property. Pure. */
export function isMirroredPhoneProperty(p: { readonly name: string; readonly fieldType: string; readonly calculated?: boolean; readonly archived?: boolean }): boolean {
  return p.fieldType === 'phonenumber' && p.calculated !== true && p.archived !== true && !isCalculatedPhoneProperty(p.name);
}

/** The property holding the last modification time, per object type. */
export const MODIFIED_PROPERTY: Readonly<Record<MirrorObjectType, string>> = {
  contacts: 'lastmodifieddate',
  deals: 'hs_lastmodifieddate',
};

const CONTACT_FIELDS = ['hubspot_owner_id', 'firstname', 'lastname', 'email', MODIFIED_PROPERTY.contacts] as const;
const DEAL_FIELDS = ['dealname', 'hubspot_owner_id', 'pipeline', 'dealstage', 'hs_is_closed', MODIFIED_PROPERTY.deals] as const;

/** What to ask HubSpot for, per object type. */
export function propertiesToRead(type: MirrorObjectType, phoneProperties: readonly string[]): string[] {
  return type === 'contacts' ? [...new Set([...CONTACT_FIELDS, ...phoneProperties])] : [...DEAL_FIELDS];
}

export interface MapOptions {
  /**
   * True for reads that asked for every property the mirror keeps (sync reads):
   * a missing property is unset. False for records ringpath has just written,
   * which carry only what was sent: a missing property keeps its stored value.
   */
  readonly complete: boolean;
}

/** "1700000000000" or an ISO date; anything else is no date. */
export function parseCrmTime(value: string | null | undefined): Date | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const v = value.trim();
  const ms = /^\d+$/.test(v) ? Number(v) : /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/** When the record was last modified in the CRM, if it says. */
export function modifiedAt(record: HubSpotRecord, type: MirrorObjectType): Date | null {
  const fromProperty = parseCrmTime(record.properties[MODIFIED_PROPERTY[type]]);
  if (fromProperty) return fromProperty;
  const u = record.updatedAt;
  if (u instanceof Date) return Number.isNaN(u.getTime()) ? null : u;
  return parseCrmTime(u);
}

/**
 * A property's value: undefined when the record does not say (and the read was
 * partial), null when it is unset, else the trimmed text.
 */
function field(record: HubSpotRecord, name: string, opts: MapOptions): string | null | undefined {
  if (!Object.hasOwn(record.properties, name) || record.properties[name] === undefined) return opts.complete ? null : undefined;
  const v = record.properties[name];
  if (v === null) return null;
  const trimmed = v.trim();
  return trimmed === '' ? null : trimmed;
}

/** A phone property's value as stored: E.164 when it reads as a number, else raw with the reason. */
export function phoneValue(property: string, raw: string, defaultCountry: string): PhoneValue {
  const r = normalizePhone(raw, { defaultCountry });
  return r.ok ? { property, raw, e164: r.e164, problem: null } : { property, raw, e164: null, problem: r.message };
}

export function contactFromHubSpot(
  record: HubSpotRecord,
  opts: MapOptions & { readonly defaultCountry: string; readonly phoneProperties: readonly string[] },
): MirrorContact {
  const phones: PhoneValue[] = [];
  const scope: string[] = [];
  for (const property of opts.phoneProperties) {
    const value = field(record, property, opts);
    if (value === undefined) continue;
    scope.push(property);
    if (value !== null) phones.push(phoneValue(property, value, opts.defaultCountry));
  }
  return {
    id: record.id,
    lastModifiedAt: modifiedAt(record, 'contacts'),
    ownerId: field(record, 'hubspot_owner_id', opts),
    firstName: field(record, 'firstname', opts),
    lastName: field(record, 'lastname', opts),
    email: field(record, 'email', opts),
    phones,
    phoneScope: opts.complete ? null : scope,
  };
}

function bool(value: string | null | undefined): boolean | null | undefined {
  if (value === undefined || value === null) return value;
  return value.toLowerCase() === 'true';
}

export function dealFromHubSpot(record: HubSpotRecord, opts: MapOptions): MirrorDeal {
  return {
    id: record.id,
    lastModifiedAt: modifiedAt(record, 'deals'),
    name: field(record, 'dealname', opts),
    ownerId: field(record, 'hubspot_owner_id', opts),
    pipelineId: field(record, 'pipeline', opts),
    stageId: field(record, 'dealstage', opts),
    closedInCrm: bool(field(record, 'hs_is_closed', opts)),
    contactIds: record.contactIds === undefined ? undefined : [...new Set(record.contactIds.map(String))],
  };
}

/** One record per id, the most recently modified one winning (a batch must not name a row twice). */
export function latestPerId<T extends { readonly id: string; readonly lastModifiedAt: Date | null }>(records: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const r of records) {
    const seen = byId.get(r.id);
    if (!seen || (r.lastModifiedAt?.getTime() ?? 0) >= (seen.lastModifiedAt?.getTime() ?? 0)) byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** The phone values that could not be read, with a line for the log that says what happens. */
export function phoneProblems(contacts: readonly MirrorContact[]): Array<{ contactId: string; property: string; raw: string; problem: string; message: string }> {
  return contacts.flatMap((c) =>
    c.phones
      .filter((p) => p.e164 === null)
      .map((p) => ({
        contactId: c.id,
        property: p.property,
        raw: p.raw,
        problem: p.problem ?? 'not a phone number',
        message: `CRM contact ${c.id}: ${p.property} ${JSON.stringify(p.raw)} is not a usable phone number (${p.problem ?? 'unreadable'}); kept as written, calls from it will not find this contact`,
      })),
  );
}
