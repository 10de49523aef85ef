// Request bodies in JSON. fastify's own parser (with its __proto__ and
// constructor checks) reads them; when it refuses one, the client is told where:
// INVALID_JSON with the line and column of the first thing that is not JSON.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

export interface JsonSyntaxError {
  /** 1-based line and column (in characters) of the first offending character, or of the end. */
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/**
 * Where a text stops being JSON (RFC 8259), or undefined when it is JSON. Pure;
 * it checks the syntax only and builds nothing.
 */
export function locateJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw Object.assign(new Error(reason), { at: i });
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const describe = () => (i >= text.length ? 'the end of the body' : `${JSON.stringify(text[i])}`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) return void (i += word.length);
    const token = /^[^\s,:{}[\]"]+/.exec(text.slice(i, i + 40))?.[0] ?? text[i]!;
    fail(`expected a value (a string, number, object, list, true, false or null) but found ${JSON.stringify(token)}`);
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('a string is not closed');
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch < ' ') fail('a string contains a raw control character (write it as an escape such as \\n)');
      if (ch === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          for (let k = 2; k <= 5; k++) {
            if (!/[0-9A-Fa-f]/.test(text[i + k] ?? '')) {
              i += k;
              fail('\\u must be followed by four hexadecimal digits');
            }
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(e === undefined ? 'a string is not closed' : `"\\${e}" is not a JSON escape`);
        continue;
      }
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-') fail(`expected a value but found ${describe()}`);
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail('the body is nested too deeply');
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes but found ${describe()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ":" after the property name but found ${describe()}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('a comma before "}" (JSON allows no trailing comma)');
          continue;
        }
        if (text[i] === '}') return void i++;
        fail(`expected "," or "}" but found ${describe()}`);
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('a comma before "]" (JSON allows no trailing comma)');
          continue;
        }
        if (text[i] === ']') return void i++;
        fail(`expected "," or "]" but found ${describe()}`);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === "'") fail('strings and names must be in double quotes, not single quotes');
    return number();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the JSON value`);
    return undefined;
  } catch (err) {
    const at = (err as { at?: number }).at;
    if (at === undefined) throw err;
    const before = text.slice(0, at).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1, reason: (err as Error).message };
  }
}

type Done = (err: Error | null, body?: unknown) => void;

/**
 * fastify's JSON parser, with INVALID_JSON naming the line and column when it
 * refuses a body. For routes that install a parser of their own (the DNI API).
 */
export function jsonBodyParser(app: FastifyInstance): (request: FastifyRequest, text: string, done: Done) => void {
  const parse = app.getDefaultJsonParser('error', 'error');
  return (request, text, done) =>
    parse(request, text, (err, value) => {
      if (!err || (err as { code?: string }).code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return done(err, value);
      const where = locateJsonError(text);
      done(
        where
          ? new AppError('INVALID_JSON', `the body is not valid JSON: line ${where.line}, column ${where.column}: ${where.reason}`, [
              { field: '/', message: `line ${where.line}, column ${where.column}: ${where.reason}` },
            ])
          : new AppError('INVALID_JSON', 'the body may not use the keys "__proto__" or "constructor.prototype"'),
      );
    });
}

/** Installs the JSON body parser on an app (before its routes). */
export function useJsonBodies(app: FastifyInstance): void {
  const parse = jsonBodyParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parse(request, typeof body === 'string' ? body : body.toString('utf8'), done),
  );
}
