import { Type, type Static, type TSchema } from 'typebox';

export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

export interface PageOf<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A phone number as typed by a person; normalised to E.164 by the route. */
export const PhoneInput = Type.String({ minLength: 1, maxLength: 64, description: 'any format; stored as E.164' });
export const E164 = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', 'x-message': 'must be an E.164 number such as +380501234567', description: 'E.164' });

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};
