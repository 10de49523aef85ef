import t from 'tap';
import { validatorCompiler, fieldProblems } from '../../../src/http/validation.ts';
import type { ErrorObject } from 'ajv';

const problemsFor = (schema: object, value: unknown) => {
  const validate = validatorCompiler({ schema, httpPart: 'body', method: 'POST', url: '/' }) as unknown as ((v: unknown) => boolean) & { errors: ErrorObject[] };
  t.notOk(validate(value), `${JSON.stringify(value)} is refused`);
  return fieldProblems(validate.errors, 'body');
};

t.test('each kind of validation error reads as a sentence about the field', async (t) => {
  const obj = (prop: object, extra: object = {}) => ({ type: 'object', properties: { f: prop }, additionalProperties: false, ...extra });
  const cases: Array<[string, object, unknown, string, string]> = [
    ['pattern with its own message', obj({ type: 'string', pattern: '^a+$', 'x-message': 'must be one or more a' }), { f: 'b' }, '/f', 'must be one or more a'],
    ['pattern without a message never shows the expression', obj({ type: 'string', pattern: '^a+$' }), { f: 'b' }, '/f', 'is not in the accepted form'],
    ['email format', obj({ type: 'string', format: 'email' }), { f: 'x' }, '/f', 'must be an email address such as ana@example.com'],
    ['date-time format', obj({ type: 'string', format: 'date-time' }), { f: 'x' }, '/f', 'must be a date and time such as 2026-01-31T09:30:00Z'],
    ['uuid format', obj({ type: 'string', format: 'uuid' }), { f: 'x' }, '/f', 'must be a UUID such as 0b6e4c9e-3f1a-4d2b-9c8e-5a7f1e2d3c4b'],
    ['wrong type', obj({ type: 'integer' }), { f: 'x' }, '/f', 'must be a whole number'],
    ['string or null', obj({ type: ['string', 'null'] }), { f: 1 }, '/f', 'must be a string or null'],
    ['empty string', obj({ type: 'string', minLength: 1 }), { f: '' }, '/f', 'must not be empty'],
    ['too short', obj({ type: 'string', minLength: 3 }), { f: 'ab' }, '/f', 'must be at least 3 characters long'],
    ['too long', obj({ type: 'string', maxLength: 2 }), { f: 'abc' }, '/f', 'must be at most 2 characters long'],
    ['too small', obj({ type: 'integer', minimum: 1 }), { f: 0 }, '/f', 'must be 1 or more'],
    ['too large', obj({ type: 'integer', maximum: 600 }), { f: 601 }, '/f', 'must be 600 or less'],
    ['empty list', obj({ type: 'array', minItems: 1 }), { f: [] }, '/f', 'must not be empty'],
    ['long list', obj({ type: 'array', maxItems: 1 }), { f: [1, 2] }, '/f', 'must have at most 1 item'],
    ['repeated items', obj({ type: 'array', uniqueItems: true }), { f: [1, 1] }, '/f', 'must not list the same item twice (items 0 and 1 are equal)'],
    ['enum', obj({ enum: ['a', 'b'] }), { f: 'c' }, '/f', 'must be one of "a", "b"'],
    ['unknown field', obj({ type: 'string' }), { g: 1 }, '/g', 'is not a known field'],
    ['missing field', obj({ type: 'string' }, { required: ['f'] }), {}, '/f', 'is required'],
    ['empty PATCH', obj({ type: 'string' }, { minProperties: 1 }), {}, '/', 'must name at least one field to change'],
  ];
  for (const [name, schema, value, field, message] of cases) t.same(problemsFor(schema, value), [{ field, message }], name);
});
