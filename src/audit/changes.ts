// What an audit entry keeps of a change: the fields that changed, before and
// after, with secrets blanked. Pure.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Field names whose values never go into the audit log. */
const SECRET_FIELD = /(^|_)(password|secret|token|key)$/i;

export const REDACTED = '[redacted]';

/** The value with every secret-named field's value replaced by "[redacted]", at any depth. */
export function redact(value: Json): Json {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? REDACTED : redact(v)]));
  }
  return value;
}

const isObject = (v: Json | undefined): v is { [k: string]: Json } => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/**
 * The old and new values an entry records. Two objects: only the top-level fields
 * that differ (a field that appeared or went away shows as null on the other
 * side), leaving out updated_at. Anything else (a creation, a deletion, a list): both whole. Undefined
 * when nothing changed.
 */
export function changes(before: Json | undefined, after: Json | undefined): { old: Json; new: Json } | undefined {
  const b = before === undefined ? null : redact(before);
  const a = after === undefined ? null : redact(after);
  if (isObject(b) && isObject(a)) {
    // updated_at moves on every write: it is when, which the entry has already
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
      (k) => k !== 'updated_at' && JSON.stringify(b[k]) !== JSON.stringify(a[k]),
    );
    if (keys.length === 0) return undefined;
    const pick = (o: { [k: string]: Json }) => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
    return { old: pick(b), new: pick(a) };
  }
  if (JSON.stringify(b) === JSON.stringify(a) && b !== null) return undefined;
  return { old: b, new: a };
}

/** A response or snapshot body read as JSON; undefined when it is not JSON. */
export function parseJson(body: unknown): Json | undefined {
  if (typeof body !== 'string' || body.length === 0) return undefined;
  try {
    return JSON.parse(body) as Json;
  } catch {
    return undefined;
  }
}
