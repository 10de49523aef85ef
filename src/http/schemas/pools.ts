import { Type, type Static } from 'typebox';
import { E164, Id, PhoneInput, Warnings } from './common.ts';

/** How many numbers one bulk add may carry. */
export const MAX_BULK_NUMBERS = 500;

const Name = Type.String({ minLength: 1, maxLength: 200, description: 'the name shown in reports' });
const SchemeRef = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'routing scheme for calls to the pool numbers' });
const Timestamp = (description: string) => Type.String({ format: 'date-time', description });

export const PoolCreate = Type.Object(
  {
    site_id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'a site has at most one pool' }),
    name: Name,
    routing_scheme_id: Type.Optional(SchemeRef),
  },
  { additionalProperties: false },
);
export type PoolCreate = Static<typeof PoolCreate>;

/** The site of a pool never changes; null clears the scheme. */
export const PoolUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    routing_scheme_id: Type.Optional(Type.Union([SchemeRef, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PoolUpdate = Static<typeof PoolUpdate>;

export const PoolNumbersAdd = Type.Object(
  {
    numbers: Type.Array(PhoneInput, {
      minItems: 1,
      maxItems: MAX_BULK_NUMBERS,
      description: 'added all or nothing; each becomes a pool tracking number',
    }),
  },
  { additionalProperties: false },
);
export type PoolNumbersAdd = Static<typeof PoolNumbersAdd>;

const poolFields = {
  id: Id,
  site_id: Type.Integer({ description: 'the site whose visitors get these numbers' }),
  name: Type.String({ description: 'the name shown in reports' }),
  routing_scheme_id: Type.Union([Type.Integer(), Type.Null()], { description: 'routing scheme for calls to the pool numbers; null for none' }),
  exhausted_count: Type.Integer({ description: 'times a visitor got the fallback number because every number was held' }),
  size: Type.Integer({ description: 'how many numbers the pool has' }),
  created_at: Timestamp('when the pool was added'),
  updated_at: Timestamp('when the pool was last changed'),
};

/** A pool as listed: without its numbers. */
export const PoolSummary = Type.Object(poolFields);
export type PoolSummary = Static<typeof PoolSummary>;

export const Pool = Type.Object({ ...poolFields, numbers: Type.Array(E164, { description: 'the member numbers' }) });
export type Pool = Static<typeof Pool>;

/** POST /pools/{id}/numbers: the pool, and what about the numbers added is probably wrong. */
export const PoolNumbersAdded = Type.Object({ ...Pool.properties, warnings: Warnings });
export type PoolNumbersAdded = Static<typeof PoolNumbersAdded>;
