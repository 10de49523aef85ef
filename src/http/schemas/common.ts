import { Type, type Static, type TSchema } from 'typebox';

export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'numeric id, assigned by ringpath' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'how many items to return (1–200)' }),
    offset: Type.Integer({ minimum: 0, default: 0, description: 'how many items to skip, for the next page' }),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item, { description: 'this page of the list' }),
    total: Type.Integer({ description: 'how many there are in all' }),
    limit: Type.Integer({ description: 'the limit asked for' }),
    offset: Type.Integer({ description: 'the offset asked for' }),
  });

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
  type: Type.String({ description: 'URI naming the kind of problem' }),
  title: Type.String({ description: 'the HTTP status in words' }),
  status: Type.Integer({ description: 'the HTTP status code' }),
  detail: Type.String({ description: 'what went wrong, in a sentence' }),
  code: Type.String({ description: 'stable machine-readable code, e.g. SCHEME_NAME_TAKEN' }),
  instance: Type.Optional(Type.String({ description: 'the request path' })),
  errors: Type.Optional(
    Type.Array(
      Type.Object({
        field: Type.String({ description: 'JSON pointer of the offending field in the body, or querystring/… and params/…' }),
        message: Type.String({ description: 'what is wrong with it, in words' }),
      }),
      { description: 'one entry per offending field' },
    ),
  ),
  dependants: Type.Optional(
    Type.Array(
      Type.Object({
        kind: Type.String({ description: 'routing_scheme, tracking_number or crm_sync' }),
        id: Type.Union([Type.Integer(), Type.Null()], { description: 'its id; null for CRM sync' }),
        name: Type.String({ description: 'its name, or the tracking number' }),
        reason: Type.String({ description: 'how it depends on what the request would change' }),
      }),
      { description: 'what a refused change or delete would leave without what it needs (409)' },
    ),
  ),
});

/** ?force=true: go ahead although something depends on what is changed, and report it as warnings. */
export const ForceQuery = Type.Object(
  {
    force: Type.Boolean({
      default: false,
      description: 'go ahead although something depends on what the request changes; the response lists what was left without it',
    }),
  },
  { additionalProperties: false },
);

export const Warning = Type.Object({
  code: Type.String({ description: 'stable machine-readable code, e.g. NO_ROUTING_SCHEME' }),
  message: Type.String({ description: 'what may be wrong, in a sentence' }),
});
export type Warning = Static<typeof Warning>;
export const Warnings = Type.Array(Warning, { description: 'accepted, but probably not what you meant; empty when all is well' });

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};
