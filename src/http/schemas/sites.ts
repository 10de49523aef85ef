import { Type, type Static } from 'typebox';
import { E164, Id, PhoneInput } from './common.ts';

const Domain = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$' });
const Selector = Type.String({ minLength: 1, maxLength: 300 });

export const SiteCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    domain: Domain,
    fallback_number: PhoneInput,
    hold_time_s: Type.Optional(Type.Integer({ minimum: 30, maximum: 86400, description: "default 900" })),
    swap_selectors: Type.Optional(Type.Array(Selector, { maxItems: 50 })),
    swap_phone_texts: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type SiteCreate = Static<typeof SiteCreate>;

export const SiteUpdate = Type.Partial(SiteCreate, { additionalProperties: false, minProperties: 1 });
export type SiteUpdate = Static<typeof SiteUpdate>;

export const Site = Type.Object({
  id: Id,
  name: Type.String(),
  domain: Type.String(),
  public_key: Type.String(),
  fallback_number: E164,
  hold_time_s: Type.Integer(),
  swap_selectors: Type.Array(Type.String()),
  swap_phone_texts: Type.Array(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
export type Site = Static<typeof Site>;
