// What call handling reads and writes, as typed ports. Each has a PostgreSQL
// adapter (adapters/postgres.ts), used in production, and an in-memory one
// (adapters/memory.ts), so the SIP handlers run in CI without a database or a
// drachtio-server and the decisions they take can be asserted there.
import type { CallRecord } from '../calls/record.ts';
import type { Recogniser } from '../calls/recognise.ts';
import type { DirectoryEmployee, ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import type { Registration, SipAccountCredentials } from '../db/repositories/registrations.ts';
import type { Settings } from '../db/repositories/settings.ts';
import type { CallEvent } from '../outbound/events.ts';
import type { ResponsibleLookup, Scheme } from '../routing/types.ts';

export type { Registration, SipAccountCredentials };

/** SIP accounts (digest credentials), found by login case-insensitively. */
export interface SipAccounts {
  find(login: string): Promise<SipAccountCredentials | undefined>;
}

/** Registered contacts of SIP accounts, shared by every process. */
export interface Registrations {
  /** Live contacts of a login, most recently refreshed first. */
  contactsOf(login: string): Promise<Registration[]>;
  /** Add or refresh contacts; `expires` 0 removes one. */
  save(accountId: number, contacts: ReadonlyArray<{ uri: string; expires: number }>, source: string, userAgent: string | undefined): Promise<void>;
  removeAll(accountId: number): Promise<void>;
}

/** Where finished calls are stored, each with its post-call CRM job when `crmSync`. */
export interface CallLog {
  record(call: CallRecord): Promise<void>;
}

/** Employees, schemes, tracking numbers and settings as call handling reads them (cached in production). */
export interface CallDirectory {
  employees(): Promise<{ list: readonly DirectoryEmployee[]; recogniser: Recogniser }>;
  scheme(id: number): Promise<{ scheme: Scheme; stepIds: number[] } | undefined>;
  trackingNumber(e164: string): Promise<ResolvedTrackingNumber | undefined>;
  /** Whether an address may send carrier calls: the configured allowlist plus the settings'. */
  trunkAllows(configured: readonly string[], address: string): Promise<boolean>;
  settings(): Promise<Settings>;
  /** The employee's priority tracking number (their outbound caller id), if one is set. */
  callerIdOf(employeeId: number): Promise<string | null>;
}

/** The responsible-manager lookup in the local CRM mirror, bounded by its time budget. */
export interface MirrorLookup {
  responsible(e164: string): Promise<ResponsibleLookup>;
}

/**
 * Where the call path announces calls to webhook subscribers (src/outbound):
 * call.started and call.answered as they happen, and call.ended (plus call.missed)
 * once the record is built. A failure here never affects the call.
 */
export interface CallEvents {
  emit(event: CallEvent): Promise<void>;
  finished(record: CallRecord): Promise<void>;
}
