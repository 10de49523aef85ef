// In-memory adapters of call handling's ports, for tests and tools that run the
// SIP handlers without PostgreSQL. They keep the same rules as the PostgreSQL
// adapters: logins case-insensitive, expired contacts invisible, the lockout
// counted per source address by rate-limiter-flexible.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { MemoryRoundRobin } from '../../calls/memory/round-robin.ts';
import { planInboundCall, type PlanDeps } from '../../calls/plan.ts';
import type { CallRecord } from '../../calls/record.ts';
import { Recogniser } from '../../calls/recognise.ts';
import type { DirectoryEmployee, ResolvedTrackingNumber } from '../../db/repositories/directory.ts';
import { SETTINGS_DEFAULTS, type Settings } from '../../db/repositories/settings.ts';
import type { ResponsibleLookup, Scheme } from '../../routing/types.ts';
import { addressMatcher } from '../middleware/trunk.ts';
import type { InboundPlanner } from '../deps.ts';
import { lockoutRules, type SipLimits } from '../limits.ts';
import type { CallDirectory, CallEvents, CallLog, MirrorLookup, Registration, Registrations, SipAccountCredentials, SipAccounts } from '../ports.ts';
import { finishedEvents, type CallEvent } from '../../outbound/events.ts';
import { applyLiveChange, liveCallChange, type LiveCall } from '../../calls/live.ts';

export function memorySipAccounts(accounts: readonly SipAccountCredentials[]): SipAccounts {
  return { find: async (login) => accounts.find((a) => a.login.toLowerCase() === login.toLowerCase()) };
}

export class MemoryRegistrations implements Registrations {
  private readonly byAccount = new Map<number, Map<string, Registration & { updatedAt: number }>>();
  private seq = 0;

  constructor(
    private readonly accounts: readonly SipAccountCredentials[],
    private readonly now: () => number = Date.now,
  ) {}

  async contactsOf(login: string): Promise<Registration[]> {
    const account = this.accounts.find((a) => a.login.toLowerCase() === login.toLowerCase());
    const contacts = account ? [...(this.byAccount.get(account.id)?.values() ?? [])] : [];
    return contacts
      .filter((c) => c.expiresAt.getTime() > this.now())
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map(({ contactUri, sourceAddress, expiresAt }) => ({ contactUri, sourceAddress, expiresAt }));
  }

  async save(accountId: number, contacts: ReadonlyArray<{ uri: string; expires: number }>, source: string, _userAgent?: string): Promise<void> {
    const bound = this.byAccount.get(accountId) ?? new Map();
    this.byAccount.set(accountId, bound);
    for (const c of contacts) {
      if (c.expires <= 0) bound.delete(c.uri);
      else bound.set(c.uri, { contactUri: c.uri, sourceAddress: source, expiresAt: new Date(this.now() + c.expires * 1000), updatedAt: ++this.seq });
    }
  }

  async removeAll(accountId: number): Promise<void> {
    this.byAccount.delete(accountId);
  }
}

export class MemoryCallLog implements CallLog {
  readonly calls: CallRecord[] = [];
  /** Set to make the next writes fail, as a lost database would. */
  failWith: Error | undefined;

  async record(call: CallRecord): Promise<void> {
    if (this.failWith) throw this.failWith;
    if (!this.calls.some((c) => c.id === call.id)) this.calls.push(call);
  }
}

/** Call events kept in order, as a webhook subscriber to every type would receive them, and the calls in progress they leave. */
export class MemoryCallEvents implements CallEvents {
  readonly events: CallEvent[] = [];
  /** The calls in progress, as the console's live view lists them. */
  live: LiveCall[] = [];

  async emit(event: CallEvent): Promise<void> {
    this.events.push(event);
    this.live = applyLiveChange(this.live, liveCallChange(event), new Date());
  }

  async finished(record: CallRecord): Promise<void> {
    for (const event of finishedEvents(record, record.recordingPath)) await this.emit(event);
  }

  /** The event types of one call, in the order they were emitted. */
  typesOf(callId: string): string[] {
    return this.events.filter((e) => e.data.call_id === callId).map((e) => e.type);
  }
}

export interface MemoryDirectoryData {
  readonly employees: readonly DirectoryEmployee[];
  readonly schemes?: ReadonlyArray<{ scheme: Scheme; stepIds: number[] }>;
  readonly trackingNumbers?: readonly ResolvedTrackingNumber[];
  readonly settings?: Partial<Settings>;
  /** employee id → their priority tracking number */
  readonly callerIds?: Readonly<Record<number, string>>;
}

export function memoryDirectory(data: MemoryDirectoryData): CallDirectory {
  const employees = { list: data.employees, recogniser: new Recogniser(data.employees) };
  const settings: Settings = { ...structuredClone(SETTINGS_DEFAULTS), ...data.settings };
  return {
    employees: async () => employees,
    scheme: async (id) => data.schemes?.find((s) => s.scheme.id === id),
    trackingNumber: async (e164) => data.trackingNumbers?.find((t) => t.number === e164),
    trunkAllows: async (configured, address) => addressMatcher([...configured, ...settings.trunk_allowed_sources])(address),
    settings: async () => settings,
    callerIdOf: async (employeeId) => data.callerIds?.[employeeId] ?? null,
  };
}

/** A mirror that answers from a table of callers (absent: not found). */
export function memoryMirror(byCaller: Readonly<Record<string, ResponsibleLookup>>): MirrorLookup {
  return { responsible: async (e164) => byCaller[e164] ?? { status: 'not_found' } };
}

/** The SIP limits with rate-limiter-flexible's memory store, with the PostgreSQL adapter's rules. */
export function memorySipLimits(opts: { authFailureLimit: number; registerPerMinute: number }): SipLimits {
  return lockoutRules(
    new RateLimiterMemory({ keyPrefix: 'auth', points: opts.authFailureLimit, duration: 600, blockDuration: 600 }),
    new RateLimiterMemory({ keyPrefix: 'register', points: opts.registerPerMinute, duration: 60 }),
    opts.authFailureLimit,
  );
}

/** A database that is not there: the in-memory planner always hands planInboundCall its lookup. */
const NO_DATABASE = new Proxy({}, {
  get() {
    throw new Error('the in-memory planner has no database');
  },
}) as PlanDeps['pool'];

/**
 * Inbound calls planned exactly as production plans them (planInboundCall), with
 * the CRM mirror and the round-robin rotation in memory.
 */
export function memoryInboundPlanner(
  directory: CallDirectory,
  mirror: MirrorLookup,
  lookupBudgetMs: number,
  roundRobin: MemoryRoundRobin = new MemoryRoundRobin(),
): InboundPlanner {
  const deps: PlanDeps = { pool: NO_DATABASE, sources: directory, lookupBudgetMs, roundRobin };
  return (call) => planInboundCall(deps, { ...call, lookupUnderWay: call.lookupUnderWay ?? (call.caller ? mirror.responsible(call.caller) : undefined) }, 'advance');
}
