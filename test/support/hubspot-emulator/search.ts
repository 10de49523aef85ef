// POST /crm/v3/objects/{objectType}/search
//
// Searches the index, not the records: writes show up only after the indexing
// lag (store.searchLagMs), and until then search returns the old values (or
// nothing, for new records; or the record, for a just-archived one). Filter
// groups are ORed, filters inside a group ANDed. `after` is an offset, as in
// HubSpot, and paging stops at 10,000 results.
import type {
  CollectionResponseWithTotalSimplePublicObjectForwardPaging,
  Filter,
  PublicObjectSearchRequest,
} from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import type { Router } from './router.ts';
import { OBJECT_TYPES, resolveObjectType, type ObjectTypeName, type PropertyDef } from './schema.ts';
import { allProperties, toWire, typeParam, type RecordView } from './serialize.ts';
import type { Store } from './store.ts';
import { parseTime } from './validate.ts';
import {
  badInput,
  isObject,
  optionalNumber,
  optionalString,
  readArray,
  readObject,
  readString,
  readStringList,
  validationError,
  type Wire,
} from './wire.ts';

export type SearchRequest = Wire<PublicObjectSearchRequest>;
export type SearchFilter = Wire<Filter>;
type Operator = SearchFilter['operator'];

const OPERATORS: readonly Operator[] = [
  'EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN',
  'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN',
];

export const SEARCH_LIMITS = { maxLimit: 200, maxResults: 10_000, maxGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18 } as const;

function parseFilter(value: unknown, where: string): SearchFilter {
  const f = readObject(value, where);
  const operator = f.operator;
  if (typeof operator !== 'string' || !OPERATORS.includes(operator as Operator)) {
    throw badInput(`${where}.operator`, `one of ${OPERATORS.join(', ')}`);
  }
  const filter: SearchFilter = { propertyName: readString(f.propertyName, `${where}.propertyName`), operator: operator as Operator };
  const v = optionalString(f.value, `${where}.value`);
  const high = optionalString(f.highValue, `${where}.highValue`);
  if (v !== undefined) filter.value = v;
  if (high !== undefined) filter.highValue = high;
  if (f.values !== undefined) filter.values = readStringList(f.values, `${where}.values`);
  return filter;
}

/** Sorts come as "prop" / "-prop" strings or as { propertyName, direction } objects; both are accepted. */
function parseSort(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  const s = readObject(value, where);
  const name = readString(s.propertyName, `${where}.propertyName`);
  const direction = s.direction ?? 'ASCENDING';
  if (direction !== 'ASCENDING' && direction !== 'DESCENDING') throw badInput(`${where}.direction`, 'ASCENDING or DESCENDING');
  return direction === 'DESCENDING' ? `-${name}` : name;
}

export function parseSearchRequest(body: unknown): SearchRequest {
  const b = body === undefined ? {} : readObject(body, 'body');
  const req: SearchRequest = {
    filterGroups: (b.filterGroups === undefined ? [] : readArray(b.filterGroups, 'body.filterGroups')).map((g, i) => ({
      filters: (isObject(g) && g.filters !== undefined ? readArray(g.filters, `body.filterGroups[${i}].filters`) : []).map((f, j) =>
        parseFilter(f, `body.filterGroups[${i}].filters[${j}]`),
      ),
    })),
    sorts: (b.sorts === undefined ? [] : readArray(b.sorts, 'body.sorts')).map((s, i) => parseSort(s, `body.sorts[${i}]`)),
    properties: readStringList(b.properties, 'body.properties'),
  };
  const query = optionalString(b.query, 'body.query');
  const limit = optionalNumber(b.limit, 'body.limit');
  const after = optionalString(b.after, 'body.after');
  if (query !== undefined) req.query = query;
  if (limit !== undefined) req.limit = limit;
  if (after !== undefined) req.after = after;
  return req;
}

/** Lower-cased tokens: split on whitespace and punctuation other than @ . + - _ */
const tokens = (s: string): string[] => s.toLowerCase().split(/[\s,;:()[\]{}"'!?/\\|<>]+/).filter((t) => t.length > 0);

function tokenMatches(token: string, pattern: string): boolean {
  if (!pattern.includes('*')) return token === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(token);
}

function containsToken(value: string, pattern: string): boolean {
  const candidates = [value.toLowerCase(), ...tokens(value)];
  return tokens(pattern).every((p) => candidates.some((t) => tokenMatches(t, p)));
}

type Comparable = { kind: 'number'; n: number } | { kind: 'string'; s: string };
type ValueKind = 'number' | 'time' | 'string';

const kindOf = (def: PropertyDef | undefined): ValueKind =>
  def?.type === 'number' ? 'number' : def?.type === 'datetime' || def?.type === 'date' ? 'time' : 'string';

function comparable(kind: ValueKind, raw: string): Comparable {
  if (kind === 'number') return { kind: 'number', n: Number(raw) };
  if (kind === 'time') return { kind: 'number', n: parseTime(raw) ?? Number.NaN };
  return { kind: 'string', s: raw.toLowerCase() };
}

function compare(a: Comparable, b: Comparable): number {
  if (a.kind === 'number' && b.kind === 'number') return a.n - b.n;
  const x = a.kind === 'string' ? a.s : String(a.n);
  const y = b.kind === 'string' ? b.s : String(b.n);
  return x < y ? -1 : x > y ? 1 : 0;
}

function need(value: string | undefined, f: SearchFilter): string {
  if (value === undefined) throw validationError(`filter on ${f.propertyName} with operator ${f.operator} requires a value`);
  return value;
}

function matchFilter(store: Store, view: RecordView, f: SearchFilter): boolean {
  let values: string[];
  let kind: ValueKind;
  if (f.propertyName.startsWith('associations.')) {
    const toType = resolveObjectType(f.propertyName.slice('associations.'.length));
    if (!toType) throw validationError(`Unable to infer object type from: ${f.propertyName}`);
    values = store.associations.list(view.type, view.id, toType).map((e) => e.toId);
    kind = 'number';
  } else {
    kind = kindOf(store.propertyDefs(view.type).get(f.propertyName));
    const v = allProperties(view)[f.propertyName];
    values = v === undefined || v === '' ? [] : [v];
  }
  const has = values.length > 0;
  const cmp = (target: string) => values.map((v) => compare(comparable(kind, v), comparable(kind, target)));
  switch (f.operator) {
    case 'HAS_PROPERTY': return has;
    case 'NOT_HAS_PROPERTY': return !has;
    case 'EQ': return cmp(need(f.value, f)).some((c) => c === 0);
    case 'NEQ': return !cmp(need(f.value, f)).some((c) => c === 0);
    case 'LT': return cmp(need(f.value, f)).some((c) => c < 0);
    case 'LTE': return cmp(need(f.value, f)).some((c) => c <= 0);
    case 'GT': return cmp(need(f.value, f)).some((c) => c > 0);
    case 'GTE': return cmp(need(f.value, f)).some((c) => c >= 0);
    case 'BETWEEN': {
      const lo = cmp(need(f.value, f));
      const hi = cmp(need(f.highValue, f));
      return lo.some((c, i) => c >= 0 && (hi[i] ?? 1) <= 0);
    }
    case 'IN':
    case 'NOT_IN': {
      if (!f.values || f.values.length === 0) throw validationError(`filter on ${f.propertyName} with operator ${f.operator} requires values`);
      const hit = f.values.some((target) => cmp(target).some((c) => c === 0));
      return f.operator === 'IN' ? hit : !hit;
    }
    case 'CONTAINS_TOKEN': return values.some((v) => containsToken(v, need(f.value, f)));
    case 'NOT_CONTAINS_TOKEN': return !values.some((v) => containsToken(v, need(f.value, f)));
  }
}

function checkRequest(store: Store, type: ObjectTypeName, req: SearchRequest): void {
  const groups = req.filterGroups ?? [];
  const total = groups.reduce((n, g) => n + g.filters.length, 0);
  if (groups.length > SEARCH_LIMITS.maxGroups) throw validationError(`Too many filter groups: ${groups.length}; the maximum is ${SEARCH_LIMITS.maxGroups}`);
  if (groups.some((g) => g.filters.length > SEARCH_LIMITS.maxFiltersPerGroup)) {
    throw validationError(`Too many filters in a filter group; the maximum is ${SEARCH_LIMITS.maxFiltersPerGroup}`);
  }
  if (total > SEARCH_LIMITS.maxFilters) throw validationError(`Too many filters: ${total}; the maximum is ${SEARCH_LIMITS.maxFilters}`);
  if ((req.sorts ?? []).length > 1) throw validationError('Only one sort is allowed per search request');
  for (const f of groups.flatMap((g) => g.filters)) {
    if (['IN', 'NOT_IN'].includes(f.operator) && (!f.values || f.values.length === 0)) {
      throw validationError(`filter on ${f.propertyName} with operator ${f.operator} requires values`);
    }
    if (!['IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'].includes(f.operator)) need(f.value, f);
    if (f.operator === 'BETWEEN') need(f.highValue, f);
  }
  const defs = store.propertyDefs(type);
  const named = [...groups.flatMap((g) => g.filters.map((f) => f.propertyName)), ...(req.sorts ?? []).map((s) => s.replace(/^-/, ''))];
  for (const name of named) {
    if (!name.startsWith('associations.') && !defs.has(name)) {
      throw validationError(`There was a problem with the request. Property ${name} does not exist on ${OBJECT_TYPES[type].singular}`);
    }
  }
  const limit = req.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMITS.maxLimit) {
    throw validationError(`limit must be between 0 and ${SEARCH_LIMITS.maxLimit}, got ${limit}`);
  }
}

export function search(store: Store, type: ObjectTypeName, req: SearchRequest): Wire<CollectionResponseWithTotalSimplePublicObjectForwardPaging> {
  checkRequest(store, type, req);
  const offset = req.after ? Number(req.after) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw validationError(`after must be a non-negative integer offset, got ${req.after}`);
  const limit = req.limit ?? 10;
  if (offset + limit > SEARCH_LIMITS.maxResults) {
    throw validationError(`Paging beyond ${SEARCH_LIMITS.maxResults} results is not allowed: after=${offset}, limit=${limit}`);
  }
  const now = Date.now();
  const views: RecordView[] = [];
  for (const obj of store.table(type).values()) {
    const v = store.indexed(obj, now);
    if (v && !v.archived) views.push({ id: obj.id, type, properties: v.properties, createdAt: v.createdAt, updatedAt: v.updatedAt, archived: false });
  }
  const groups = (req.filterGroups ?? []).filter((g) => g.filters.length > 0);
  const queryTokens = req.query ? tokens(req.query) : [];
  const matched = views.filter((view) => {
    if (groups.length > 0 && !groups.some((g) => g.filters.every((f) => matchFilter(store, view, f)))) return false;
    if (queryTokens.length === 0) return true;
    const text = OBJECT_TYPES[type].textProperties.flatMap((p) => tokens(view.properties[p] ?? ''));
    return queryTokens.every((q) => text.some((t) => t.startsWith(q)));
  });
  const sort = req.sorts?.[0];
  const byId = (a: RecordView, b: RecordView) => Number(a.id) - Number(b.id);
  if (sort) {
    const desc = sort.startsWith('-');
    const name = desc ? sort.slice(1) : sort;
    const kind = kindOf(store.propertyDefs(type).get(name));
    matched.sort((a, b) => {
      const x = allProperties(a)[name];
      const y = allProperties(b)[name];
      if (x === undefined || y === undefined) return x === y ? byId(a, b) : x === undefined ? 1 : -1;
      const c = compare(comparable(kind, x), comparable(kind, y)) || byId(a, b);
      return desc ? -c : c;
    });
  } else matched.sort(byId);
  const page = matched.slice(offset, offset + limit);
  const body: Wire<CollectionResponseWithTotalSimplePublicObjectForwardPaging> = {
    total: matched.length,
    results: page.map((v) => toWire(store, v, req.properties)),
  };
  const next = offset + limit;
  if (next < matched.length && next < SEARCH_LIMITS.maxResults) body.paging = { next: { after: String(next) } };
  return body;
}

export function searchRoutes(router: Router, store: Store): void {
  router.add(
    'POST',
    '/crm/v3/objects/{objectType}/search',
    (ctx) => ({ status: 200, body: search(store, typeParam(ctx), parseSearchRequest(ctx.body)) }),
    'search',
  );
}
