// JSON as it travels on the wire, derived from the model classes that ship in
// @hubspot/api-client (ISC). The classes describe deserialised objects: dates
// are Date, `from`/`in`/`new` are renamed `_from`/`_in`/`_new`, and enums are TS enums.
// Wire<T> turns them back into what HubSpot actually sends and accepts.
import { randomUUID } from 'node:crypto';
import type { ModelError, StandardError } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import type { Reply } from './router.ts';

type WireKey<K> = K extends `_${infer Name}` ? Name : K;

export type Wire<T> = T extends Date
  ? string
  : T extends string
    ? `${T}`
    : T extends ReadonlyArray<infer U>
      ? Array<Wire<U>>
      : T extends object
        ? { [K in keyof T as WireKey<K>]: Wire<T[K]> }
        : T;

export type ErrorBody = Wire<ModelError> & { status: 'error' };

/** The body of a 429, which carries fields that ModelError does not know about. */
export type RateLimitBody = ErrorBody & {
  errorType: 'RATE_LIMIT';
  policyName: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';
  requestId: string;
};

export type ErrorDetailBody = NonNullable<ErrorBody['errors']>[number];

export interface ErrorExtras {
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: ErrorDetailBody[];
  headers?: Record<string, string>;
}

/** An error that the emulator answers with HubSpot's error body shape. */
export class HubSpotError extends Error {
  constructor(
    readonly statusCode: number,
    readonly category: string,
    message: string,
    readonly extras: ErrorExtras = {},
  ) {
    super(message);
  }

  body(correlationId: string): ErrorBody {
    const body: ErrorBody = { status: 'error', message: this.message, correlationId, category: this.category };
    if (this.extras.subCategory) body.subCategory = this.extras.subCategory;
    if (this.extras.errors) body.errors = this.extras.errors;
    if (this.extras.context) body.context = this.extras.context;
    return body;
  }
}

export const validationError = (message: string, extras?: ErrorExtras) =>
  new HubSpotError(400, 'VALIDATION_ERROR', message, extras);

export const notFoundError = (message: string, extras?: ErrorExtras) =>
  new HubSpotError(404, 'OBJECT_NOT_FOUND', message, extras);

export const conflictError = (message: string, extras?: ErrorExtras) => new HubSpotError(409, 'CONFLICT', message, extras);

/** Jackson-style complaint about a body that does not have the expected shape. */
export const badInput = (where: string, expected: string) =>
  validationError(`Invalid input JSON on line 1, column 1: ${where} must be ${expected}`);

/** One failed item of a batch (207) response. */
export type StandardErrorBody = Wire<StandardError>;

export function standardError(category: string, message: string, context: Record<string, string[]>, subCategory?: string): StandardErrorBody {
  const e: StandardErrorBody = { status: 'error', category, message, context, links: {}, errors: [] };
  if (subCategory) e.subCategory = subCategory;
  return e;
}

export interface BatchBody<T> {
  status: 'COMPLETE';
  results: T[];
  startedAt: string;
  completedAt: string;
  numErrors?: number;
  errors?: StandardErrorBody[];
}

export function batchBody<T>(results: T[], startedAt: number, errors: readonly StandardErrorBody[] = []): BatchBody<T> {
  const body: BatchBody<T> = { status: 'COMPLETE', results, startedAt: iso(startedAt), completedAt: iso(Date.now()) };
  if (errors.length > 0) {
    body.numErrors = errors.length;
    body.errors = [...errors];
  }
  return body;
}

/** 207 Multi-Status when some items failed, else the endpoint's own success status. */
export const batchReply = (okStatus: number, body: { errors?: readonly unknown[] }): Reply => ({
  status: body.errors ? 207 : okStatus,
  body,
});

export const newCorrelationId = (): string => randomUUID();

export const iso = (ms: number): string => new Date(ms).toISOString();

// Small readers for untrusted JSON bodies.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readObject(value: unknown, where: string): JsonObject {
  if (!isObject(value)) throw badInput(where, 'an object');
  return value;
}

export function readArray(value: unknown, where: string): Json[] {
  if (!Array.isArray(value)) throw badInput(where, 'an array');
  return value as Json[];
}

export function readString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw badInput(where, 'a string');
}

export function optionalString(value: unknown, where: string): string | undefined {
  return value === undefined || value === null ? undefined : readString(value, where);
}

export function optionalNumber(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw badInput(where, 'a number');
  return n;
}

export function readStringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  return readArray(value, where).map((v, i) => readString(v, `${where}[${i}]`));
}

/** Property values arrive as strings, but HubSpot also coerces numbers and booleans; null clears like ''. */
export function readPropertyValues(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  const obj = readObject(value, where);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(obj)) {
    if (v === null) out[name] = '';
    else if (typeof v === 'string') out[name] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
    else throw badInput(`${where}.${name}`, 'a string');
  }
  return out;
}
