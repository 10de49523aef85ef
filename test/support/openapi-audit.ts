// Walks an OpenAPI document and lists what a reader of /docs would miss: operations
// without a summary or description, fields (properties and parameters) without a description.

type Json = Record<string, unknown>;

export interface OpenApiGap {
  readonly where: string;
  readonly missing: 'summary' | 'description';
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwnDescription = (v: unknown) => isObject(v) && typeof v.description === 'string' && v.description.trim() !== '';
/** Described itself or, for a nullable union, in its non-null member. */
const described = (v: unknown): boolean =>
  hasOwnDescription(v) ||
  (isObject(v) && [v.anyOf, v.oneOf].some((u) => Array.isArray(u) && u.some((m) => isObject(m) && m.type !== 'null' && hasOwnDescription(m))));

/** Every property of a schema, however deeply nested (items, unions, if/then). */
function schemaGaps(schema: unknown, where: string, gaps: OpenApiGap[]): void {
  if (Array.isArray(schema)) return schema.forEach((s, i) => schemaGaps(s, `${where}[${i}]`, gaps));
  if (!isObject(schema)) return;
  if (isObject(schema.properties)) {
    for (const [name, prop] of Object.entries(schema.properties)) {
      // a variant's discriminator ("type": "phone") names itself
      const isTag = name === 'type' && isObject(prop) && (prop.const !== undefined || (Array.isArray(prop.enum) && prop.enum.length === 1));
      if (!isTag && !described(prop)) gaps.push({ where: `${where}.${name}`, missing: 'description' });
      schemaGaps(prop, `${where}.${name}`, gaps);
    }
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'then', 'else', 'additionalProperties']) {
    if (schema[key] !== undefined) schemaGaps(schema[key], `${where}/${key}`, gaps);
  }
}

export function openApiGaps(doc: Json): OpenApiGap[] {
  const gaps: OpenApiGap[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const at = `${method.toUpperCase()} ${path}`;
      if (typeof op.summary !== 'string' || op.summary.trim() === '') gaps.push({ where: at, missing: 'summary' });
      if (!described(op)) gaps.push({ where: at, missing: 'description' });
      for (const p of (op.parameters ?? []) as Json[]) {
        if (!described(p) && !described(p.schema)) gaps.push({ where: `${at} ${String(p.in)} ${String(p.name)}`, missing: 'description' });
      }
      const body = isObject(op.requestBody) ? (op.requestBody.content as Json | undefined) : undefined;
      for (const [type, media] of Object.entries(body ?? {})) schemaGaps((media as Json).schema, `${at} body(${type})`, gaps);
      for (const [status, res] of Object.entries((op.responses ?? {}) as Json)) {
        for (const [type, media] of Object.entries(((res as Json).content ?? {}) as Json)) {
          schemaGaps((media as Json).schema, `${at} ${status}(${type})`, gaps);
        }
      }
    }
  }
  for (const [name, schema] of Object.entries(((doc.components as Json | undefined)?.schemas ?? {}) as Json)) {
    schemaGaps(schema, `#/components/schemas/${name}`, gaps);
  }
  return gaps;
}
