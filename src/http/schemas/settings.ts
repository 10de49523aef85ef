// Typed settings (SPEC §5, §6, §8): one JSON value per key in the settings table.
// The same schema checks API input, documents the keys, and re-checks stored values.
import { Type, type Static, type TSchema } from 'typebox';
import { E164, Id, PhoneInput } from './common.ts';
import { LookupTarget } from './routing-schemes.ts';

/** Visit and call fields that can be copied into CRM properties. */
export const MAPPABLE_FIELDS = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
  'ga_client_id',
  'gclid',
  'fbclid',
  'landing_page',
  'referrer',
  'source_name',
  'tracking_number',
  'gbraid',
  'wbraid',
  'msclkid',
  'attribution_confidence',
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** The value of every key nobody has set. */
export const SETTINGS_DEFAULTS: Settings = {
  time_zone: 'UTC',
  recording_enabled: true,
  trunk_default_caller_id: null,
  trunk_allowed_sources: [],
  crm_create_entities: 'contact_and_deal',
  crm_create_when: 'after_call',
  crm_utm_only: false,
  crm_outbound_create_for_new_client: false,
  crm_completed_task_for_answered_calls: true,
  crm_language: 'en',
  crm_responsible_lookup_order: ['contact_owner', 'deal_owner'],
  crm_field_mapping: {},
  crm_deal_pipeline: null,
  crm_deal_pipeline_rules: [],
  missed_call_task_due_minutes: 60,
  notify_heads_of_missed_calls: false,
  dial_plan_allowed_countries: null,
  dial_plan_blocked_prefixes: [
    '+808', // International Shared Cost Service
    '+870', // Inmarsat (maritime and aeronautical satellite)
    '+878', // Universal Personal Telecommunications
    '+881', // Global Mobile Satellite System (Iridium, Globalstar, ICO)
    '+882', // international networks (Thuraya satellite, carriers' own ranges)
    '+883', // international networks
    '+888', // telecommunications for disaster relief (UN OCHA)
    '+979', // International Premium Rate Service
    '+991', // trial international public correspondence service
    '+1900', // NANP premium rate
  ],
  dial_plan_calls_per_minute: 10,
};

const doc = (key: string, text: string): string =>
  `${text} Default: ${JSON.stringify((SETTINGS_DEFAULTS as Readonly<Record<string, unknown>>)[key])}.`;

const CrmId = Type.String({
  pattern: '^[A-Za-z0-9_.:-]{1,100}$',
  'x-message': 'must be a HubSpot id: 1–100 of A–Z a–z 0–9 _ . : -',
  description: 'a HubSpot id, as HubSpot shows it',
});
const CrmProperty = Type.String({ pattern: '^[a-z][a-z0-9_]{0,99}$', 'x-message': 'must be the internal name of a HubSpot property, such as lead_source (a–z, 0–9, _)', description: 'internal name of a CRM property' });
const PipelineStage = Type.Object(
  { pipeline_id: CrmId, stage_id: CrmId },
  { additionalProperties: false, description: 'a CRM deal pipeline and one of its stages' },
);

/** An ISO 3166-1 alpha-2 country code as stored; the API also takes lower case. */
const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', 'x-message': 'must be a two-letter country code in capitals, such as GB', description: 'ISO 3166-1 alpha-2 country code, e.g. "GB"' });
/** "+" then the leading digits of E.164 numbers. */
const NumberPrefix = Type.String({ pattern: '^\\+[1-9][0-9]{0,14}$', 'x-message': 'must be "+" and then digits, such as +881', description: '"+" then digits, e.g. "+881"' });
/** In input: checked by the route, which names the offending entry in plain words. */
const CountryInput = Type.String({ minLength: 1, maxLength: 16, description: 'ISO 3166-1 alpha-2 country code, e.g. "GB" or "gb"' });
const PrefixInput = Type.String({ minLength: 1, maxLength: 32, description: '"+" then digits, e.g. "+881"' });

/**
 * The keys' schemas, given how a phone number, a country and a number prefix are
 * written: loosely in input (checked and normalised by the route), exactly when stored.
 */
const settingsProperties = <P extends TSchema, C extends TSchema, X extends TSchema>(phone: P, country: C, prefix: X) => ({
  time_zone: Type.String({
    minLength: 1,
    maxLength: 64,
    description: doc('time_zone', 'IANA time zone of the business, used for the times ringpath writes into CRM texts.'),
  }),
  recording_enabled: Type.Boolean({ description: doc('recording_enabled', 'Record calls through rtpengine.') }),
  trunk_default_caller_id: Type.Union([phone, Type.Null()], {
    description: doc(
      'trunk_default_caller_id',
      "Caller id of outbound calls by employees without a priority tracking number; null leaves the carrier's default.",
    ),
  }),
  trunk_allowed_sources: Type.Array(Type.String({ minLength: 2, maxLength: 49, pattern: '^[0-9A-Fa-f.:/]+$', 'x-message': 'must be an IP address or CIDR range such as 192.0.2.10 or 192.0.2.0/24' }), {
    maxItems: 100,
    uniqueItems: true,
    description: doc(
      'trunk_allowed_sources',
      'IP addresses or CIDR ranges (IPv4 or IPv6) the carrier trunk sends from; INVITEs from them need no digest authentication.',
    ),
  }),
  crm_create_entities: Type.Enum(['contact', 'contact_and_deal'], {
    description: doc('crm_create_entities', 'What to create in the CRM for a new client.'),
  }),
  crm_create_when: Type.Enum(['call_start', 'after_call'], {
    description: doc('crm_create_when', 'Create the CRM records when the call starts, or after it ends.'),
  }),
  crm_utm_only: Type.Boolean({
    description: doc('crm_utm_only', 'Create nothing; only write UTMs onto the open deal another integration created.'),
  }),
  crm_outbound_create_for_new_client: Type.Boolean({
    description: doc('crm_outbound_create_for_new_client', 'Create a contact and a deal for an answered outbound call to a number the CRM does not know.'),
  }),
  crm_completed_task_for_answered_calls: Type.Boolean({
    description: doc(
      'crm_completed_task_for_answered_calls',
      'Also log every answered call as a completed task, with its recording, for the responsible manager (on by default, as in the product ringpath follows).',
    ),
  }),
  crm_language: Type.Enum(['en', 'es', 'ru', 'uk'], {
    description: doc('crm_language', 'Language of the task titles and notes ringpath writes in the CRM.'),
  }),
  crm_responsible_lookup_order: Type.Array(LookupTarget, {
    minItems: 1,
    maxItems: 2,
    uniqueItems: true,
    description: doc('crm_responsible_lookup_order', "Where the client's responsible manager is looked up after a call, in order."),
  }),
  crm_field_mapping: Type.Object(
    Object.fromEntries(MAPPABLE_FIELDS.map((f) => [f, Type.Optional(CrmProperty)])) as Record<MappableField, Type.TOptional<typeof CrmProperty>>,
    {
      additionalProperties: false,
      description: doc(
        'crm_field_mapping',
        'Additional CRM properties to fill, by ringpath field (e.g. {"gclid": "gclid"}); unmapped fields are not written. A PATCH replaces the whole mapping.',
      ),
    },
  ),
  crm_deal_pipeline: Type.Union([PipelineStage, Type.Null()], {
    description: doc('crm_deal_pipeline', "Pipeline and stage of new deals when no rule matches; null uses the CRM's default pipeline."),
  }),
  crm_deal_pipeline_rules: Type.Array(
    Type.Object(
      {
        match: Type.Object(
          {
            tracking_number: Type.Optional(phone),
            site_id: Type.Optional(Id),
            utm_source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "the call's utm_source, compared case-insensitively" })),
          },
          { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'exactly one of tracking_number, site_id, utm_source' },
        ),
        pipeline_id: CrmId,
        stage_id: CrmId,
      },
      { additionalProperties: false },
    ),
    {
      maxItems: 100,
      description: doc('crm_deal_pipeline_rules', "Pipeline and stage of new deals by the call's tracking number, site or utm_source. A tracking number rule beats a site rule, which beats a utm_source rule; among rules of one kind the first wins."),
    },
  ),
  missed_call_task_due_minutes: Type.Integer({
    minimum: 1,
    maximum: 10080,
    description: doc('missed_call_task_due_minutes', 'Minutes after a missed call that its "call back" task is due.'),
  }),
  notify_heads_of_missed_calls: Type.Boolean({
    description: doc('notify_heads_of_missed_calls', 'Notify every employee with the head role of each missed call.'),
  }),
  dial_plan_allowed_countries: Type.Union([Type.Array(country, { maxItems: 300 }), Type.Null()], {
    description: doc(
      'dial_plan_allowed_countries',
      "Outbound dial plan (toll fraud): the countries phones may call, as ISO 3166-1 alpha-2 codes. The destination's country is found from its number range (+1 876… is JM, not US). null means DEFAULT_COUNTRY only; [] refuses every outbound call. Numbers without a country (non-geographic codes such as +800, +870, +881, +882, +883, +979, or numbers in no known range) are always refused.",
    ),
  }),
  dial_plan_blocked_prefixes: Type.Array(prefix, {
    maxItems: 1000,
    description: doc(
      'dial_plan_blocked_prefixes',
      'Outbound dial plan: E.164 prefixes phones may never call, even in an allowed country (e.g. a domestic premium range such as "+3809"). The default holds the international premium, shared cost and satellite ranges of ITU-T E.164 and NANP premium rate (+1900). A PATCH replaces the whole list.',
    ),
  }),
  dial_plan_calls_per_minute: Type.Integer({
    minimum: 1,
    maximum: 1000,
    description: doc(
      'dial_plan_calls_per_minute',
      'Outbound dial plan: new outbound calls each SIP account may start per minute (shared by every ringpath process); more are refused until the minute is over.',
    ),
  }),
});

export const Settings = Type.Object(
  settingsProperties(E164, CountryCode, NumberPrefix),
  { additionalProperties: false },
);
export type Settings = Static<typeof Settings>;

export const SettingsPatch = Type.Partial(Type.Object(settingsProperties(PhoneInput, CountryInput, PrefixInput)), {
  additionalProperties: false,
  minProperties: 1,
  description: 'the keys to change; each given key replaces its stored value',
});
export type SettingsPatch = Static<typeof SettingsPatch>;

export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(SETTINGS_DEFAULTS) as SettingKey[];
