// Request validation. Bodies are validated strictly (no type coercion, unknown
// fields rejected); querystrings and path params are coerced from strings.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldProblem } from '../errors.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    // Defaults apply to query strings only: in a PATCH body a default would overwrite stored data.
    useDefaults: coerce,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as ValidateFunction;
};

/**
 * ajv errors as field problems with a plain message. Body fields are JSON
 * pointers (`/main_destinations/0/number`), like the errors raised in code;
 * other parts are prefixed (`querystring/limit`, `params/id`).
 */
export function fieldProblems(errors: readonly ErrorObject[], part: string): FieldProblem[] {
  // `if`/`then` step unions add a summary error after the real one; keep the real one.
  return errors.filter((e) => e.keyword !== 'if').map((e) => {
    let field = e.instancePath || '';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      field = `${field}/${String(e.params.additionalProperty)}`;
      message = 'is not a known field';
    } else if (e.keyword === 'required') {
      field = `${field}/${String(e.params.missingProperty)}`;
      message = 'is required';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return { field: part === 'body' ? field || '/' : `${part}${field || ''}`, message };
  });
}
