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

const Timestamp = Type.String({ format: 'date-time' });

export const TrackingNumber = Type.Object({
  id: Id,
  number: E164,
  kind: TrackingKind,
  pool_id: nullable(Id),
  source_name: nullable(Type.String()),
  utm_source: nullable(Type.String()),
  utm_medium: nullable(Type.String()),
  utm_campaign: nullable(Type.String()),
  utm_content: nullable(Type.String()),
  utm_term: nullable(Type.String()),
  routing_scheme_id: nullable(Id),
  caller_id_for_employee_id: nullable(Id),
  held_until: nullable(Timestamp),
  released_at: nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type TrackingNumber = Static<typeof TrackingNumber>;

/** What POST and PATCH answer: the number, and what about it is probably wrong (empty when nothing is). */
export const TrackingNumberSaved = Type.Object({ ...TrackingNumber.properties, warnings: Warnings });
export type TrackingNumberSaved = Static<typeof TrackingNumberSaved>;
