import { Type, type Static, type TSchema } from 'typebox';
import { E164, Id, ListQuery, PhoneInput, Warnings } from './common.ts';

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const TrackingKind = Type.Enum(['static', 'pool'], { description: 'static: one fixed source; pool: a member of a site pool' });
export type TrackingKind = Static<typeof TrackingKind>;

const SourceName = Type.String({ minLength: 1, maxLength: 200, description: 'static numbers only, e.g. "Billboard on Main St"' });
const Utm = Type.String({ minLength: 1, maxLength: 500, description: 'static numbers only' });
const ref = (description: string) => Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description });
const SchemeRef = ref("routing scheme; for a pool number it overrides the pool's scheme");
const CallerIdRef = ref('the employee whose outbound calls show this number');

// Which fields a kind requires or forbids is checked by the route, so the problem names the field.
export const TrackingNumberCreate = Type.Object(
  {
    number: PhoneInput,
    kind: TrackingKind,
    pool_id: Type.Optional(Id),
    source_name: Type.Optional(SourceName),
    utm_source: Type.Optional(Utm),
    utm_medium: Type.Optional(Utm),
    utm_campaign: Type.Optional(Utm),
    utm_content: Type.Optional(Utm),
    utm_term: Type.Optional(Utm),
    routing_scheme_id: Type.Optional(SchemeRef),
    caller_id_for_employee_id: Type.Optional(CallerIdRef),
  },
  { additionalProperties: false },
);
export type TrackingNumberCreate = Static<typeof TrackingNumberCreate>;

/** null clears an optional field; kind is accepted only to say that it cannot change. */
export const TrackingNumberUpdate = Type.Object(
  {
    number: Type.Optional(PhoneInput),
    kind: Type.Optional(TrackingKind),
    pool_id: Type.Optional(Id),
    source_name: Type.Optional(SourceName),
    utm_source: Type.Optional(nullable(Utm)),
    utm_medium: Type.Optional(nullable(Utm)),
    utm_campaign: Type.Optional(nullable(Utm)),
    utm_content: Type.Optional(nullable(Utm)),
    utm_term: Type.Optional(nullable(Utm)),
    routing_scheme_id: Type.Optional(nullable(SchemeRef)),
    caller_id_for_employee_id: Type.Optional(nullable(CallerIdRef)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TrackingNumberUpdate = Static<typeof TrackingNumberUpdate>;

export const TrackingNumberListQuery = Type.Object(
  { ...ListQuery.properties, kind: Type.Optional(TrackingKind), pool_id: Type.Optional(Id) },
  { additionalProperties: false },
);
export type TrackingNumberListQuery = Static<typeof TrackingNumberListQuery>;

const Timestamp = (description: string) => Type.String({ format: 'date-time', description });
const orNull = <T extends TSchema>(t: T, description: string) => Type.Union([t, Type.Null()], { description });

export const TrackingNumber = Type.Object({
  id: Id,
  number: E164,
  kind: TrackingKind,
  pool_id: orNull(Type.Integer(), 'the pool (pool numbers); null for a static number'),
  source_name: orNull(Type.String(), 'the fixed source of a static number, e.g. "Billboard on Main St"'),
  utm_source: orNull(Type.String(), 'utm_source given to calls to a static number'),
  utm_medium: orNull(Type.String(), 'utm_medium given to calls to a static number'),
  utm_campaign: orNull(Type.String(), 'utm_campaign given to calls to a static number'),
  utm_content: orNull(Type.String(), 'utm_content given to calls to a static number'),
  utm_term: orNull(Type.String(), 'utm_term given to calls to a static number'),
  routing_scheme_id: orNull(Type.Integer(), "its routing scheme; null: the pool's, or none"),
  caller_id_for_employee_id: orNull(Type.Integer(), 'the employee whose outbound calls show this number; null for none'),
  held_until: orNull(Type.String({ format: 'date-time' }), 'pool numbers: until when a visitor holds it; null when free'),
  released_at: orNull(Type.String({ format: 'date-time' }), 'pool numbers: when the last hold ended'),
  created_at: Timestamp('when the number was added'),
  updated_at: Timestamp('when the number was last changed'),
});
export type TrackingNumber = Static<typeof TrackingNumber>;

/** What POST and PATCH answer: the number, and what about it is probably wrong (empty when nothing is). */
export const TrackingNumberSaved = Type.Object({ ...TrackingNumber.properties, warnings: Warnings });
export type TrackingNumberSaved = Static<typeof TrackingNumberSaved>;
