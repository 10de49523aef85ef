// Object types and the built-in properties the emulator knows. Custom
// properties are added at run time (POST /crm/v3/properties/{objectType} or
// control.defineProperty). Only a subset of HubSpot's built-ins is listed: the
// ones this project reads or writes, plus enough neighbours to be realistic.
import type { Property } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { Wire } from './wire.ts';

export type ObjectTypeName = 'contacts' | 'companies' | 'deals' | 'calls' | 'tasks';

export interface ObjectTypeInfo {
  readonly name: ObjectTypeName;
  readonly typeId: string;
  readonly singular: string;
  /** The property holding the creation time. */
  readonly createdProperty: string;
  /** The property holding the last modification time. */
  readonly modifiedProperty: string;
  /** Returned when a request names no properties. */
  readonly defaultProperties: readonly string[];
  /** Searched by the free-text `query` of a search request. */
  readonly textProperties: readonly string[];
  /** Required on create. */
  readonly required: readonly string[];
}

export const OBJECT_TYPES: Readonly<Record<ObjectTypeName, ObjectTypeInfo>> = {
  contacts: {
    name: 'contacts',
    typeId: '0-1',
    singular: 'contact',
    createdProperty: 'createdate',
    modifiedProperty: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    textProperties: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company'],
    required: [],
  },
  companies: {
    name: 'companies',
    typeId: '0-2',
    singular: 'company',
    createdProperty: 'createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    textProperties: ['name', 'domain', 'phone'],
    required: [],
  },
  deals: {
    name: 'deals',
    typeId: '0-3',
    singular: 'deal',
    createdProperty: 'createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    textProperties: ['dealname'],
    required: [],
  },
  calls: {
    name: 'calls',
    typeId: '0-48',
    singular: 'call',
    createdProperty: 'hs_createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    textProperties: ['hs_call_title', 'hs_call_body'],
    required: ['hs_timestamp'],
  },
  tasks: {
    name: 'tasks',
    typeId: '0-27',
    singular: 'task',
    createdProperty: 'hs_createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    textProperties: ['hs_task_subject', 'hs_task_body'],
    required: ['hs_timestamp'],
  },
};

/** `contacts`, `contact`, `CONTACTS` and `0-1` all name the contact type, as in HubSpot. */
export function resolveObjectType(name: string): ObjectTypeName | undefined {
  const n = name.toLowerCase();
  for (const info of Object.values(OBJECT_TYPES)) {
    if (n === info.name || n === info.singular || n === info.typeId) return info.name;
  }
  return undefined;
}

export type PropertyDef = Wire<Property>;
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

interface DefOptions {
  fieldType?: string;
  options?: ReadonlyArray<string | readonly [value: string, label: string]>;
  readOnly?: boolean;
  unique?: boolean;
  group?: string;
  label?: string;
  /** Computed by HubSpot from other properties; read only. */
  calculated?: boolean;
}

const FIELD_TYPES: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
};

export function makeProperty(name: string, type: PropertyType, o: DefOptions = {}, hubspotDefined = true): PropertyDef {
  const now = new Date(0).toISOString();
  return {
    name,
    label: o.label ?? name,
    type,
    fieldType: o.fieldType ?? FIELD_TYPES[type],
    groupName: o.group ?? 'emulator',
    description: '',
    options: (o.options ?? []).map((opt, i) => {
      const [value, label] = typeof opt === 'string' ? [opt, opt] : opt;
      return { value, label, hidden: false, displayOrder: i };
    }),
    hubspotDefined,
    hasUniqueValue: o.unique ?? false,
    formField: false,
    hidden: false,
    calculated: o.calculated ?? false,
    externalOptions: false,
    createdAt: now,
    updatedAt: now,
    archived: false,
    modificationMetadata: { readOnlyValue: (o.readOnly ?? false) || (o.calculated ?? false), readOnlyDefinition: hubspotDefined, archivable: !hubspotDefined },
  };
}

const ro = { readOnly: true } as const;
const owner = (): PropertyDef => makeProperty('hubspot_owner_id', 'enumeration'); // options: the owners

/** HubSpot's built-in call outcomes (hs_call_disposition values). */
export const CALL_DISPOSITIONS = {
  busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
  connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  leftLiveMessage: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff',
  leftVoicemail: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  noAnswer: '73a0d17f-1163-4015-bdd5-ec830791da20',
  wrongNumber: '17b47fee-58de-441e-a44c-c6300d46f273',
} as const;

function common(info: ObjectTypeInfo): PropertyDef[] {
  const created = makeProperty(info.createdProperty, 'datetime', info.createdProperty === 'createdate' ? {} : ro);
  return [makeProperty('hs_object_id', 'number', ro), created, makeProperty(info.modifiedProperty, 'datetime', ro), owner()];
}

export function builtInProperties(type: ObjectTypeName): PropertyDef[] {
  const info = OBJECT_TYPES[type];
  const s = (name: string, o?: DefOptions) => makeProperty(name, 'string', o);
  const e = (name: string, options: DefOptions['options']) => makeProperty(name, 'enumeration', { options });
  switch (type) {
    case 'contacts':
      return [
        ...common(info),
        s('email'), s('firstname'), s('lastname'), s('company'), s('website'),
        // Phone numbers are of field type phonenumber, as in a real portal; HubSpot also keeps
        // calculated copies: the national number, with the country code stripped.
        s('phone', { fieldType: 'phonenumber' }), s('mobilephone', { fieldType: 'phonenumber' }),
        s('hs_searchable_calculated_phone_number', { fieldType: 'phonenumber', calculated: true }),
        s('hs_searchable_calculated_mobile_number', { fieldType: 'phonenumber', calculated: true }),
        s('jobtitle'), s('city'), s('country'), s('address'), s('zip'),
        e('lifecyclestage', ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']),
        e('hs_lead_status', ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING']),
      ];
    case 'companies':
      return [...common(info), s('name'), s('domain'), s('phone'), s('city'), s('country'), s('industry')];
    case 'deals':
      return [
        ...common(info),
        s('dealname'), makeProperty('amount', 'number'), makeProperty('closedate', 'datetime'), s('description'),
        makeProperty('pipeline', 'enumeration'), // options: the deal pipelines
        makeProperty('dealstage', 'enumeration'), // options: the stages
        e('dealtype', ['newbusiness', 'existingbusiness']),
        makeProperty('hs_is_closed', 'bool', ro), makeProperty('hs_is_closed_won', 'bool', ro),
        makeProperty('hs_deal_stage_probability', 'number', ro),
      ];
    case 'calls':
      return [
        ...common(info),
        makeProperty('hs_timestamp', 'datetime'), s('hs_call_title'), s('hs_call_body', { fieldType: 'textarea' }),
        e('hs_call_direction', ['INBOUND', 'OUTBOUND']),
        e('hs_call_disposition', Object.entries(CALL_DISPOSITIONS).map(([label, value]) => [value, label] as const)),
        makeProperty('hs_call_duration', 'number'), s('hs_call_from_number'), s('hs_call_to_number'),
        s('hs_call_recording_url'),
        // The integration's own identity for the call, and where it was logged from.
        s('hs_call_external_id'), s('hs_call_external_account_id'),
        e('hs_call_source', ['BROWSER', 'CALLING_SDK', 'INTEGRATIONS_PLATFORM', 'MOBILE']),
        e('hs_call_status', ['BUSY', 'CALLING_CRM_USER', 'CANCELED', 'COMPLETED', 'CONNECTING', 'FAILED', 'IN_PROGRESS', 'NO_ANSWER', 'QUEUED', 'RINGING']),
      ];
    case 'tasks':
      return [
        ...common(info),
        makeProperty('hs_timestamp', 'datetime'), s('hs_task_subject'), s('hs_task_body', { fieldType: 'textarea' }),
        e('hs_task_status', ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
        e('hs_task_priority', ['NONE', 'LOW', 'MEDIUM', 'HIGH']),
        e('hs_task_type', ['CALL', 'EMAIL', 'LINKED_IN', 'MEETING', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE', 'TODO']),
        makeProperty('hs_task_completion_date', 'datetime', ro),
      ];
  }
}
