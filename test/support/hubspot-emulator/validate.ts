// Property value validation, reported the way HubSpot does: a 400
// VALIDATION_ERROR whose message is "Property values were not valid: " followed
// by a JSON list of problems. Values come back normalised (dates as ISO strings).
import { OBJECT_TYPES, type ObjectTypeName, type PropertyDef } from './schema.ts';
import type { Store, StoredObject } from './store.ts';
import { conflictError, validationError } from './wire.ts';

interface Problem {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
}

const problem = (name: string, error: string, message: string): Problem => ({
  isValid: false,
  message,
  error,
  name,
  localizedErrorMessage: message,
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Epoch milliseconds or an ISO 8601 date/date-time, as HubSpot accepts. */
export function parseTime(value: string): number | undefined {
  const v = value.trim();
  if (/^-?\d+$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface ValidateOptions {
  /** Seeds may set read-only properties such as createdate. */
  allowReadOnly?: boolean;
  current?: StoredObject;
}

export function allowedOptions(store: Store, type: ObjectTypeName, def: PropertyDef, values: Record<string, string | null>, current?: StoredObject): string[] {
  if (def.name === 'hubspot_owner_id') return store.owners.filter((o) => !o.archived).map((o) => o.id);
  if (type === 'deals' && def.name === 'pipeline') return (store.pipelines.get('deals') ?? []).map((p) => p.id);
  if (type === 'deals' && def.name === 'dealstage') {
    const pipelineId = values.pipeline ?? current?.properties.pipeline ?? 'default';
    const pipeline = (store.pipelines.get('deals') ?? []).find((p) => p.id === pipelineId);
    return pipeline?.stages.map((s) => s.id) ?? [];
  }
  return def.options.map((o) => o.value);
}

function check(store: Store, type: ObjectTypeName, def: PropertyDef, value: string, all: Record<string, string | null>, current?: StoredObject): Problem | string {
  const name = def.name;
  if (value === '') return '';
  if (name === 'hubspot_owner_id') {
    if (!/^\d+$/.test(value.trim())) return problem(name, 'INVALID_INTEGER', `${value} was not a valid integer (for owner ID).`);
    if (!allowedOptions(store, type, def, all, current).includes(value.trim())) {
      return problem(name, 'INVALID_OWNER_ID', `${value} is not a valid owner id`);
    }
    return value.trim();
  }
  switch (def.type) {
    case 'number':
      return NUMBER.test(value.trim()) ? value.trim() : problem(name, 'INVALID_DECIMAL', `${value} was not a valid number.`);
    case 'bool': {
      const v = value.trim().toLowerCase();
      return v === 'true' || v === 'false' ? v : problem(name, 'INVALID_BOOLEAN', `${value} was not a valid boolean.`);
    }
    case 'date':
    case 'datetime': {
      const ms = parseTime(value);
      if (ms === undefined) return problem(name, 'INVALID_DATE', `${value} was not a valid date or date-time (epoch milliseconds or ISO 8601).`);
      if (def.type === 'date' && ms % 86_400_000 !== 0) {
        return problem(name, 'INVALID_DATE', `${value} is at ${new Date(ms).toISOString().slice(11, 23)} UTC, not midnight!`);
      }
      return def.type === 'date' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString();
    }
    case 'enumeration': {
      const allowed = allowedOptions(store, type, def, all, current);
      const chosen = def.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = chosen.find((v) => !allowed.includes(v));
      if (bad === undefined) return value;
      return problem(name, 'INVALID_OPTION', `${bad} was not one of the allowed options: [${allowed.join(', ')}]`);
    }
    default:
      if (name === 'email' && !EMAIL.test(value.trim())) return problem(name, 'INVALID_EMAIL', `Email address ${value} is invalid`);
      return name === 'email' ? value.trim().toLowerCase() : value;
  }
}

export const invalidProperties = (problems: readonly Problem[]) =>
  validationError(`Property values were not valid: ${JSON.stringify(problems)}`);

/** Validates and normalises values for a create (no `current`) or an update. */
export function validateValues(
  store: Store,
  type: ObjectTypeName,
  values: Record<string, string | null>,
  opts: ValidateOptions = {},
): Record<string, string> {
  const defs = store.propertyDefs(type);
  const problems: Problem[] = [];
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(values)) {
    const def = defs.get(name);
    if (!def || def.archived) {
      problems.push(problem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (def.modificationMetadata?.readOnlyValue && !opts.allowReadOnly) {
      problems.push(problem(name, 'READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`));
      continue;
    }
    const result = check(store, type, def, raw ?? '', values, opts.current);
    if (typeof result === 'string') out[name] = result;
    else problems.push(result);
  }
  if (!opts.current) {
    for (const name of OBJECT_TYPES[type].required) {
      if (!out[name] && !problems.some((p) => p.name === name)) {
        problems.push(problem(name, 'REQUIRED_FIELD', `${name} is required`));
      }
    }
  }
  if (problems.length > 0) throw invalidProperties(problems);
  if (type === 'deals' && !opts.current && out.dealstage && !out.pipeline) out.pipeline = 'default';
  return out;
}

/** Contact email and properties created with hasUniqueValue must be unique among live records. */
export function checkUnique(store: Store, type: ObjectTypeName, values: Record<string, string>, selfId?: string, pending: readonly Record<string, string>[] = []): void {
  for (const def of store.propertyDefs(type).values()) {
    const unique = def.hasUniqueValue || (type === 'contacts' && def.name === 'email');
    const value = values[def.name];
    if (!unique || !value) continue;
    const existing = store.live(type).find((o) => o.id !== selfId && o.properties[def.name] === value);
    if (existing) {
      throw def.name === 'email'
        ? conflictError(`Contact already exists. Existing ID: ${existing.id}`)
        : conflictError(`A ${OBJECT_TYPES[type].singular} with ${def.name} "${value}" already exists. Existing ID: ${existing.id}`);
    }
    if (pending.some((p) => p[def.name] === value)) {
      throw validationError(`Duplicate values found in batch input for unique property ${def.name}: [${value}]`);
    }
  }
}
