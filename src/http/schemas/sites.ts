import { Type, type Static } from 'typebox';
import { Id } from './common.ts';

const Domain = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$',
  'x-message': 'must be a domain name such as example.com',
  description: 'the domain the site runs on, such as example.com',
});
const Selector = Type.String({ minLength: 1, maxLength: 300, description: 'a CSS selector, e.g. .header-phone' });
const Origin = Type.String({
  minLength: 1,
  maxLength: 300,
  description: 'scheme://host[:port], as browsers send it in Origin, e.g. https://shop.example.com',
});
const AttributionModel = Type.Union([Type.Literal('first_touch'), Type.Literal('last_touch'), Type.Literal('last_non_direct')], {
  description:
    'first_touch (default): the first source, unless a later paid visit (UTM or click id) replaces an unpaid one; last_touch: the latest visit; last_non_direct: the latest visit that was not direct',
});

export const SiteCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'the name shown in reports' }),
    domain: Domain,
    fallback_number: Type.String({ minLength: 1, maxLength: 64, description: 'shown when the pool has no free number; any format, stored as E.164' }),
    hold_time_s: Type.Optional(Type.Integer({ minimum: 30, maximum: 86400, description: 'seconds a number stays held after the last heartbeat; default 900' })),
    swap_selectors: Type.Optional(Type.Array(Selector, { maxItems: 50, description: 'CSS selectors of the elements whose number the snippet swaps' })),
    swap_phone_texts: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64, description: 'a phone number as written on the pages' }), { maxItems: 50, description: 'phone numbers as written on the pages, swapped wherever they appear' }),
    ),
    allowed_origins: Type.Optional(Type.Array(Origin, { maxItems: 50, description: 'origins whose pages may ask for numbers (CORS); none by default' })),
    attribution_model: Type.Optional(AttributionModel),
    heartbeat_s: Type.Optional(Type.Integer({ minimum: 5, maximum: 600, description: 'seconds between the snippet’s heartbeats; default 30' })),
    max_sessions_per_ip: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'live sessions one client address may hold on the site; default 20' })),
  },
  { additionalProperties: false },
);
export type SiteCreate = Static<typeof SiteCreate>;

export const SiteUpdate = Type.Partial(SiteCreate, { additionalProperties: false, minProperties: 1 });
export type SiteUpdate = Static<typeof SiteUpdate>;

export const Site = Type.Object({
  id: Id,
  name: Type.String({ description: 'the name shown in reports' }),
  domain: Type.String({ description: 'the domain the site runs on' }),
  public_key: Type.String({ description: "the key the site's snippet names it by in the public DNI API" }),
  fallback_number: Type.String({ description: 'E.164; shown when the pool has no free number' }),
  hold_time_s: Type.Integer({ description: 'seconds a number stays held after the last heartbeat' }),
  swap_selectors: Type.Array(Type.String(), { description: 'CSS selectors of the elements whose number the snippet swaps' }),
  swap_phone_texts: Type.Array(Type.String(), { description: 'phone numbers as written on the pages, swapped wherever they appear' }),
  allowed_origins: Type.Array(Type.String(), { description: 'origins whose pages may ask for numbers (CORS)' }),
  attribution_model: AttributionModel,
  heartbeat_s: Type.Integer({ description: 'seconds between the snippet’s heartbeats' }),
  max_sessions_per_ip: Type.Integer({ description: 'live sessions one client address may hold on the site' }),
  snippet: Type.String({ description: 'the tag to put on every page of the site' }),
  created_at: Type.String({ format: 'date-time', description: 'when the site was added' }),
  updated_at: Type.String({ format: 'date-time', description: 'when the site was last changed' }),
});
export type Site = Static<typeof Site>;

const SourceRuleField = Type.Union(
  [Type.Literal('utm_source'), Type.Literal('utm_medium'), Type.Literal('utm_campaign'), Type.Literal('referrer_domain'), Type.Literal('landing_path')],
  {
    description:
      "utm_source / utm_medium: the visit's source / medium (the UTM, else the classified one such as google / organic); utm_campaign; referrer_domain: the referrer's host or a subdomain of it; landing_path: a prefix of the landing page's path",
  },
);

export const SourceRuleInput = Type.Object(
  {
    field: SourceRuleField,
    value: Type.String({ minLength: 1, maxLength: 500, description: 'compared case-insensitively' }),
    tracking_number_id: Type.Integer({ minimum: 1, description: 'a static tracking number' }),
  },
  { additionalProperties: false },
);

export const SourceRulesPut = Type.Object(
  { rules: Type.Array(SourceRuleInput, { maxItems: 100, description: 'in the order they are tried; the first match wins' }) },
  { additionalProperties: false },
);
export type SourceRulesPut = Static<typeof SourceRulesPut>;

export const SourceRules = Type.Object({
  rules: Type.Array(
    Type.Object({
      position: Type.Integer({ description: 'the order it is tried in, from 0' }),
      field: SourceRuleField,
      value: Type.String({ description: 'compared case-insensitively' }),
      tracking_number_id: Type.Integer({ description: 'the static tracking number a matching visit is shown' }),
      number: Type.String({ description: 'that tracking number, E.164' }),
    }),
    { description: 'in the order they are tried; the first match wins' },
  ),
});
export type SourceRules = Static<typeof SourceRules>;
