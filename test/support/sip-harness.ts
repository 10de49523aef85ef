// ringpath's real SIP handlers on in-memory ports and a fake srf: a small company
// (two managers, a new-client receiver, a senior manager, quality control) with a
// tracking number and a routing scheme, for CI tests that need no drachtio-server
// and no database.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { MemoryRoundRobin } from '../../src/calls/memory/round-robin.ts';
import { loadConfig } from '../../src/config.ts';
import type { DirectoryEmployee, ResolvedTrackingNumber } from '../../src/db/repositories/directory.ts';
import type { Settings } from '../../src/db/repositories/settings.ts';
import { createLogger } from '../../src/logger.ts';
import type { ResponsibleLookup, Scheme } from '../../src/routing/types.ts';
import { memoryInboundPlanner, MemoryCallLog, MemoryCallEvents, MemoryRegistrations, memoryDirectory, memoryMirror, memorySipAccounts, memorySipLimits } from '../../src/sip/adapters/memory.ts';
import { handleInvite, handleOptions } from '../../src/sip/app.ts';
import { outboundCallRateMemory } from '../../src/sip/dial-rate.ts';
import type { CallDeps, SipMetrics } from '../../src/sip/deps.ts';
import { nonces } from '../../src/sip/digest.ts';
import { directMedia } from '../../src/sip/media.ts';
import type { SipAccountCredentials } from '../../src/sip/ports.ts';
import { handleRegister } from '../../src/sip/registrar.ts';
import { fixedSourceAttribution } from '../../src/tracking/attribution.ts';
import { FakeResponse, FakeSrf, fakeRequest, type InviteSpec, type LegScript } from './fake-sip.ts';

export const REALM = 'ringpath.local';
export const TRUNK_IP = '192.0.2.10';
export const TRACKING = '+380441234567';
export const CLIENT = '+380501234567';
export const PASSWORD = 'Correct-Horse-9!battery';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

const account = (login: string) => ({ type: 'sip_account' as const, login });

function employee(id: number, name: string, over: Partial<DirectoryEmployee> = {}): DirectoryEmployee {
  const login = name.toLowerCase();
  return {
    id,
    fullName: name,
    salesRole: 'sales_rep',
    receivesNewClients: false,
    isSeniorManager: false,
    hubspotOwnerId: `owner-${login}`,
    extension: String(100 + id),
    mainDestinations: [account(login)],
    additionalDestinations: [],
    sipLogins: [login],
    ...over,
  };
}

export const ANA = employee(1, 'Ana');
export const BORIS = employee(2, 'Boris', { receivesNewClients: true });
export const SAM = employee(3, 'Sam', { isSeniorManager: true });
export const QUINN = employee(4, 'Quinn', { salesRole: 'quality_control' });
export const EMPLOYEES = [ANA, BORIS, SAM, QUINN];

/** Responsible manager, then new clients, then the senior manager; short ring times. */
export const SCHEME: Scheme = {
  id: 1,
  steps: [
    { type: 'responsible_manager', lookupOrder: ['contact_owner', 'deal_owner'], ringTimeoutS: 0.05 },
    { type: 'new_client_distribution', mode: 'ring_all', ringTimeoutS: 0.05 },
    { type: 'senior_manager', ringTimeoutS: 0.05 },
  ],
};

export const TRACKING_NUMBER: ResolvedTrackingNumber = {
  id: 10,
  number: TRACKING,
  kind: 'static',
  poolId: null,
  siteId: null,
  schemeId: 1,
  staticSource: { name: 'Billboard', utmSource: 'billboard', utmMedium: 'offline', utmCampaign: 'kyiv', utmContent: null, utmTerm: null },
};

export const ACCOUNTS: SipAccountCredentials[] = EMPLOYEES.map((e) => ({
  id: e.id,
  employeeId: e.id,
  login: e.sipLogins[0]!,
  realm: REALM,
  ha1Md5: md5(`${e.sipLogins[0]}:${REALM}:${PASSWORD}`),
}));

/** A Proxy-Authorization answering a 407 challenge. */
export function proxyAuthorization(challenge: string, user: string, password: string, method: string, uri: string): string {
  const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
  const ha1 = md5(`${user}:${REALM}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const cnonce = 'c0ffee';
  const nc = '00000001';
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${user}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, cnonce="${cnonce}", qop=auth, nc=${nc}`;
}

export interface CountingMetrics extends SipMetrics {
  readonly rejections: string[];
  readonly lost: string[];
  readonly calls: string[];
  /** Dial-plan refusals, by rule. */
  readonly blocked: string[];
}

function countingMetrics(): CountingMetrics {
  const m = { rejections: [] as string[], lost: [] as string[], calls: [] as string[], blocked: [] as string[] };
  return {
    ...m,
    rejected: (code) => void m.rejections.push(code),
    callRecordLost: (direction) => void m.lost.push(direction),
    dialPlanBlocked: (rule) => void m.blocked.push(rule),
    call: (direction) => void m.calls.push(direction),
    mediaUnavailable: () => undefined,
  };
}

export interface HarnessOptions {
  /** How each called Request-URI behaves (default: answers). */
  readonly legs?: (uri: string) => LegScript;
  /** What the CRM mirror knows of callers. */
  readonly mirror?: Record<string, ResponsibleLookup>;
  readonly employees?: readonly DirectoryEmployee[];
  readonly schemes?: Scheme[];
  readonly settings?: Partial<Settings>;
  readonly callerIds?: Record<number, string>;
  readonly authFailureLimit?: number;
  /** Logins whose phones are not registered (every other account has one phone at 198.51.100.<id>). */
  readonly unregistered?: readonly string[];
}

export interface Harness {
  readonly deps: CallDeps;
  readonly srf: FakeSrf;
  readonly callLog: MemoryCallLog;
  /** The webhook events the call path emitted, in order. */
  readonly events: MemoryCallEvents;
  readonly registrations: MemoryRegistrations;
  readonly metrics: CountingMetrics;
  /** The round-robin rotation calls take their turns from. */
  readonly roundRobin: MemoryRoundRobin;
  /** Log lines written so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Hands an INVITE to the real handler; resolves when the handler is done (call stored). */
  invite(spec?: InviteSpec): Promise<{ res: FakeResponse; req: ReturnType<typeof fakeRequest> }>;
  /** Starts an INVITE and returns at once, for tests that act while it rings. */
  start(spec?: InviteSpec): { res: FakeResponse; req: ReturnType<typeof fakeRequest>; done: Promise<void> };
  options(spec?: InviteSpec): Promise<FakeResponse>;
  register(spec?: InviteSpec): Promise<FakeResponse>;
}

export function sipHarness(opts: HarnessOptions = {}): Harness {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = createLogger('info', sink);
  const config = loadConfig({ DEFAULT_COUNTRY: 'UA', TRUNK_ALLOWLIST: TRUNK_IP, TRUNK_URI: 'sip:carrier.example', SIP_REALM: REALM, LOG_LEVEL: 'silent' });
  const srf = new FakeSrf(opts.legs ?? (() => ({ kind: 'answer' })));
  const callLog = new MemoryCallLog();
  const events = new MemoryCallEvents();
  const registrations = new MemoryRegistrations(ACCOUNTS);
  for (const a of ACCOUNTS) {
    if (!opts.unregistered?.includes(a.login)) void registrations.save(a.id, [{ uri: `sip:${a.login}@198.51.100.${a.id}:5060`, expires: 3600 }], `198.51.100.${a.id}`, undefined);
  }
  const metrics = countingMetrics();
  const directory = memoryDirectory({
    employees: opts.employees ?? EMPLOYEES,
    schemes: (opts.schemes ?? [SCHEME]).map((scheme) => ({ scheme, stepIds: scheme.steps.map((_, i) => scheme.id * 100 + i) })),
    trackingNumbers: [TRACKING_NUMBER],
    ...(opts.settings ? { settings: opts.settings } : {}),
    ...(opts.callerIds ? { callerIds: opts.callerIds } : {}),
  });
  const mirror = memoryMirror(opts.mirror ?? {});
  const roundRobin = new MemoryRoundRobin();
  const deps: CallDeps = {
    srf: srf.asSrf(),
    config,
    logger,
    directory,
    accounts: memorySipAccounts(ACCOUNTS),
    registrations,
    callLog,
    mirror,
    planInbound: memoryInboundPlanner(directory, mirror, config.sip.lookupBudgetMs, roundRobin),
    media: directMedia,
    attribution: fixedSourceAttribution,
    dialRate: outboundCallRateMemory(),
    limits: memorySipLimits({ authFailureLimit: opts.authFailureLimit ?? 3, registerPerMinute: 60 }),
    nonces: nonces('a-test-secret-for-the-sip-harness'),
    metrics,
    events,
  };
  const start = (spec: InviteSpec = {}) => {
    const req = fakeRequest(spec);
    const res = new FakeResponse();
    const log = logger.child({ callId: req.get('Call-ID') });
    const done = handleInvite(req, res as never, deps, log);
    return { req, res, done };
  };
  return {
    deps,
    srf,
    callLog,
    events,
    registrations,
    metrics,
    roundRobin,
    logs,
    start,
    async invite(spec) {
      const s = start(spec);
      await s.done;
      return { req: s.req, res: s.res };
    },
    async options(spec = {}) {
      const res = new FakeResponse();
      const req = fakeRequest({ ...spec, method: 'OPTIONS' });
      await handleOptions(req, res as never, deps, logger);
      return res;
    },
    async register(spec = {}) {
      const res = new FakeResponse();
      const req = fakeRequest({ ...spec, method: 'REGISTER' });
      await handleRegister(req, res as never, deps, logger);
      return res;
    },
  };
}
