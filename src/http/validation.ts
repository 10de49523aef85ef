// Request validation. Bodies are validated strictly (no type coercion, unknown
// fields rejected); querystrings and path params are coerced from strings.
// Messages are written for people: a pattern's message comes from the schema's
// `x-message` (never the regular expression), a format's from FORMAT_MESSAGES.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldProblem } from '../errors.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

/** The schema keyword that gives a pattern's message, e.g. "must be a domain name such as example.com". */
export const PATTERN_MESSAGE = 'x-message';

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    // Defaults apply to query strings only: in a PATCH body a default would overwrite stored data.
    useDefaults: coerce,
    strict: false,
    // errors carry their schema, so a pattern's x-message can be read
    verbose: true,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: PATTERN_MESSAGE, schemaType: 'string' });
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as ValidateFunction;
};

export const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  email: 'must be an email address such as ana@example.com',
  'date-time': 'must be a date and time such as 2026-01-31T09:30:00Z',
  date: 'must be a date such as 2026-01-31',
  uuid: 'must be a UUID such as 0b6e4c9e-3f1a-4d2b-9c8e-5a7f1e2d3c4b',
  uri: 'must be an absolute URL such as https://example.com/page',
  hostname: 'must be a host name such as example.com',
  ipv4: 'must be an IPv4 address such as 192.0.2.10',
  ipv6: 'must be an IPv6 address such as 2001:db8::1',
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One ajv error as a sentence about the field. Pure; the table in its test lists the cases. */
export function humanMessage(e: Pick<ErrorObject, 'keyword' | 'params' | 'message' | 'parentSchema'>): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return 'is not a known field';
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type': {
      const types = Array.isArray(p.type) ? (p.type as string[]) : String(p.type).split(',');
      return `must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}`;
    }
    case 'pattern': {
      const own = (e.parentSchema as Record<string, unknown> | undefined)?.[PATTERN_MESSAGE];
      return typeof own === 'string' ? own : 'is not in the accepted form';
    }
    case 'format':
      return FORMAT_MESSAGES[String(p.format)] ?? `must be a valid ${String(p.format)}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${plural(Number(p.limit), 'character', 'characters')} long`;
    case 'maxLength':
      return `must be at most ${plural(Number(p.limit), 'character', 'characters')} long`;
    case 'minimum':
      return `must be ${String(p.limit)} or more`;
    case 'maximum':
      return `must be ${String(p.limit)} or less`;
    case 'minItems':
      return p.limit === 1 ? 'must not be empty' : `must have at least ${plural(Number(p.limit), 'item', 'items')}`;
    case 'maxItems':
      return `must have at most ${plural(Number(p.limit), 'item', 'items')}`;
    case 'uniqueItems':
      return `must not list the same item twice (items ${String(p.j)} and ${String(p.i)} are equal)`;
    case 'minProperties':
      return 'must name at least one field to change';
    default:
      return e.message ?? 'is invalid';
  }
}

/**
 * ajv errors as field problems with a plain message. Body fields are JSON
 * pointers (`/main_destinations/0/number`), like the errors raised in code;
 * other parts are prefixed (`querystring/limit`, `params/id`).
 */
export function fieldProblems(errors: readonly ErrorObject[], part: string): FieldProblem[] {
  // `if`/`then` step unions add a summary error after the real one; keep the real one.
  return errors.filter((e) => e.keyword !== 'if').map((e) => {
    let field = e.instancePath || '';
    if (e.keyword === 'additionalProperties') field = `${field}/${String(e.params.additionalProperty)}`;
    else if (e.keyword === 'required') field = `${field}/${String(e.params.missingProperty)}`;
    return { field: part === 'body' ? field || '/' : `${part}${field || ''}`, message: humanMessage(e) };
  });
}
