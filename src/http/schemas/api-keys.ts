import { Type, type Static } from 'typebox';
import { Id } from './common.ts';

export const ApiKeyCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, description: 'what the key is for, e.g. "zapier"' }) },
  { additionalProperties: false },
);
export type ApiKeyCreate = Static<typeof ApiKeyCreate>;

const Timestamp = (description: string) => Type.String({ format: 'date-time', description });

export const ApiKey = Type.Object({
  id: Id,
  name: Type.String({ description: 'what the key is for' }),
  prefix: Type.String({ description: 'the public part of the key, after "rp_": how to tell keys apart' }),
  created_at: Timestamp('when the key was created'),
  last_used_at: Type.Union([Timestamp('when the key last authenticated a request'), Type.Null()], {
    description: 'when the key last authenticated a request; null: never',
  }),
  revoked_at: Type.Union([Timestamp('when the key was revoked'), Type.Null()], { description: 'when the key was revoked; null: it works' }),
});

export const CreatedApiKey = Type.Object({
  ...ApiKey.properties,
  key: Type.String({ description: 'the whole key, `rp_<prefix>_<secret>`: shown in this answer only; ringpath keeps only its hash' }),
});
