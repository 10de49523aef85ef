// The CRM port (SPEC §6): the operations the post-call executor needs from a CRM,
// in the matrix's own terms (types.ts). References between writes are already
// resolved to CRM ids here; associations are made inline with each create, so a
// record and its links cost one request. Every create carries the ringpath call id
// and the write key, which is how a write whose answer was lost is found again.
//
// Adapters throw errors that say whether trying again later can help
// (`retryable`); see CrmFailure.
import type { CreateCall, CreateDeal, CreateTask, CrmProperties, UpsertContact, WriteKey } from './types.ts';

export type CrmObjectType = 'contact' | 'deal' | 'call' | 'task';

/** Existing CRM records a new record is linked to. */
export interface LinkedRecords {
  readonly contactId: string | null;
  readonly dealId: string | null;
}

export type NewContact = Omit<UpsertContact, 'kind'>;

export interface NewDeal extends Omit<CreateDeal, 'kind' | 'associateWith'> {
  readonly contactId: string | null;
}

export interface NewCall extends Omit<CreateCall, 'kind' | 'associations'> {
  readonly associations: LinkedRecords;
}

export interface NewTask extends Omit<CreateTask, 'kind' | 'associations'> {
  readonly associations: LinkedRecords;
}

export interface RecordUpdate {
  readonly id: string;
  readonly properties: CrmProperties;
  /** undefined: leave the owner; null: unassign. */
  readonly ownerId?: string | null;
}

/** One input's result in a batch: the record's id, or why this input failed. */
export type BatchItem = { readonly id: string } | { readonly error: unknown };

/**
 * Batch variants take up to 100 inputs and answer one item per input, in input order.
 * One input is sent as a single request to the single-record endpoint. A request that
 * fails as a whole throws.
 */
export interface CrmPort {
  /** Creates the custom properties ringpath writes when they are missing; once per process. */
  ensureSchema(): Promise<void>;

  createContact(input: NewContact): Promise<string>;
  createDeal(input: NewDeal): Promise<string>;
  createCall(input: NewCall): Promise<string>;
  createTask(input: NewTask): Promise<string>;
  updateContact(input: RecordUpdate): Promise<void>;
  updateDeal(input: RecordUpdate): Promise<void>;

  createContacts(inputs: readonly NewContact[]): Promise<BatchItem[]>;
  createDeals(inputs: readonly NewDeal[]): Promise<BatchItem[]>;
  createCalls(inputs: readonly NewCall[]): Promise<BatchItem[]>;
  createTasks(inputs: readonly NewTask[]): Promise<BatchItem[]>;
  updateContacts(inputs: readonly RecordUpdate[]): Promise<BatchItem[]>;
  updateDeals(inputs: readonly RecordUpdate[]): Promise<BatchItem[]>;

  /** The record a create for (call id, write key) made, if the CRM has it (searched, so subject to indexing lag). */
  findCreated(type: CrmObjectType, callId: string, key: WriteKey): Promise<string | undefined>;
}

/** What adapters throw: `retryable` says whether the same request can succeed later. */
export interface CrmFailure extends Error {
  readonly retryable: boolean;
  readonly status?: number | undefined;
  readonly category?: string | undefined;
  /** The CRM asked not to be called for this long (477 Retry-After, daily limit): the job runs again then. */
  readonly deferMs?: number | undefined;
}

export function isCrmFailure(err: unknown): err is CrmFailure {
  return err instanceof Error && typeof (err as { retryable?: unknown }).retryable === 'boolean';
}

/** Permanent: the CRM refused the request and the same request will be refused again. */
export function isPermanentFailure(err: unknown): err is CrmFailure {
  return isCrmFailure(err) && !err.retryable;
}

/** What a failed attempt leads to. */
export type FailedAttempt = { readonly next: 'dead-letter'; readonly why: 'refused' | 'last-attempt' } | { readonly next: 'retry' } | { readonly next: 'defer'; readonly ms: number };

/**
 * Pure: a refusal is dead-lettered at once; a "come back later" is deferred (it is
 * no failure of ours, so it does not use up attempts); anything else is retried
 * with the queue's backoff until the last attempt.
 */
export function afterFailure(err: unknown, attempt: { readonly attempts: number; readonly maxAttempts: number }): FailedAttempt {
  if (isPermanentFailure(err)) return { next: 'dead-letter', why: 'refused' };
  if (isCrmFailure(err) && err.deferMs !== undefined && err.deferMs > 0) return { next: 'defer', ms: err.deferMs };
  if (attempt.attempts >= attempt.maxAttempts) return { next: 'dead-letter', why: 'last-attempt' };
  return { next: 'retry' };
}

/** The CRM's answer lacks a record the request should have made (an adapter bug or a CRM change). */
export class CrmProtocolError extends Error implements CrmFailure {
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'CrmProtocolError';
  }
}
