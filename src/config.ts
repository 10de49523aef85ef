// The only reader of process.env. Every setting is parsed and checked here once;
// the rest of ringpath receives a typed, frozen Config.
import { isIP } from 'node:net';
import path from 'node:path';
import { isSupportedCountry } from './phone/index.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /** The level of the commands other than serve: LOG_LEVEL, warn when it is unset (their results are text on stdout). */
  readonly commandLogLevel: LogLevel;
  /** Connection string of an external PostgreSQL; undefined means "run the embedded one". */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Port of the embedded PostgreSQL; 0 picks a free port. */
  readonly embeddedPgPort: number;
  readonly databasePoolSize: number;
  readonly defaultCountry: string;
  readonly publicUrl: string;
  readonly adminEmail: string;
  readonly adminPassword: string | undefined;
  readonly sipRealm: string;
  /**
   * Peers (IPs or CIDRs) whose X-Forwarded-For is believed: behind them, a client's
   * address is the last one in that header they did not add. Empty: none.
   */
  readonly trustedProxies: readonly string[];
  readonly dni: DniConfig;
  readonly sip: SipConfig;
  readonly crm: CrmConfig;
  readonly outbound: OutboundConfig;
  readonly console: ConsoleConfig;
}

/** Webhooks and GA4 events leaving ringpath (src/outbound). */
export interface OutboundConfig {
  /** Deliver to private, loopback and link-local addresses too (off: refused as SSRF). */
  readonly allowPrivateDestinations: boolean;
  /** How long one delivery may take, connection to last byte. */
  readonly timeoutMs: number;
  /** Bytes of a response read (and kept in the delivery log); the rest is dropped. */
  readonly maxResponseBytes: number;
  /** Failed attempts in a row after which an endpoint is disabled. */
  readonly disableAfterFailures: number;
  /** Base URL of GA4's Measurement Protocol (tests point it at the emulator). */
  readonly ga4BaseUrl: string;
  /** Outbound jobs (webhooks, GA4) run at once by each process. */
  readonly workerConcurrency: number;
}

export interface ConsoleConfig {
  /** Failed console logins for one email before it is locked out. */
  readonly loginFailureLimit: number;
  /** How long a locked-out email stays locked, in seconds. */
  readonly lockoutS: number;
  /** How long a console session lasts without use, in seconds. */
  readonly sessionTtlS: number;
}

export interface DniConfig {
  /** Requests per client address per minute to the public DNI endpoints, counted in each process. */
  readonly rateLimitPerMinute: number;
  /** Seconds between sweeps of expired number holds. */
  readonly sweepIntervalS: number;
}

export interface CrmConfig {
  /** HubSpot private-app access token; undefined turns CRM sync off. */
  readonly hubspotToken: string | undefined;
  /** HubSpot API base URL (tests point it at the local emulator). */
  readonly hubspotBaseUrl: string;
  /** HubSpot app client secret, used to validate webhook signatures (v3). */
  readonly hubspotWebhookSecret: string | undefined;
  /** Requests per 10 seconds shared by every ringpath process. */
  readonly hubspotRateLimit: number;
  /** Search requests per second shared by every ringpath process. */
  readonly hubspotSearchRateLimit: number;
  /** Seconds between incremental mirror syncs. */
  readonly incrementalSyncS: number;
  /** Concurrent CRM jobs per process. */
  readonly workerConcurrency: number;
}

export interface SipConfig {
  /** drachtio-server's admin address; undefined turns the SIP side off. */
  readonly drachtioHost: string | undefined;
  readonly drachtioPort: number;
  readonly drachtioSecret: string;
  /** Where outbound calls go, e.g. sip:carrier.example.com:5060. */
  readonly trunkUri: string | undefined;
  /** Carrier source addresses (IPs or CIDRs) whose INVITEs are accepted. */
  readonly trunkAllowlist: readonly string[];
  /** Credentials a carrier may authenticate with instead (digest). */
  readonly trunkAuthUser: string | undefined;
  readonly trunkAuthPassword: string | undefined;
  /** rtpengine's ng control address as host:port; undefined means no media anchoring or recording. */
  readonly rtpengineNg: { host: string; port: number } | undefined;
  readonly recordingsDir: string;
  /** rtpengine-recording's output-dir, when rtpengine records with recording-method=proc. */
  readonly rtpengineRecordingDir: string;
  /** Key that signs recording links; undefined: one generated once and kept in the database. */
  readonly recordingUrlSecret: string | undefined;
  /** How long a recording link stays valid. */
  readonly recordingUrlTtlS: number;
  /** How long routing waits for the CRM mirror lookup before skipping the step. */
  readonly lookupBudgetMs: number;
  /** Failed digest authentications per source IP per 10 minutes before it is blocked. */
  readonly authFailureLimit: number;
  /** REGISTER requests per source IP per minute. */
  readonly registerRateLimit: number;
}

/** Thrown for a setting that cannot be used; the message names the variable and what it expects. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${variable} must be ${expected} (got ${JSON.stringify(got)})`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function integer(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, def: T, allowed: readonly T[]): T {
  const raw = read(env, name);
  if (raw === undefined) return def;
  const v = raw.toLowerCase() as T;
  if (!allowed.includes(v)) throw new ConfigError(name, `one of ${allowed.join(', ')}`, raw);
  return v;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, raw);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `a URL (${protocols.join(' or ')})`, raw);
  return raw;
}

function hostPort(env: Env, name: string): { host: string; port: number } | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535) throw new ConfigError(name, 'host:port (e.g. 127.0.0.1:22222)', raw);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function cidrList(env: Env, name: string): string[] {
  const raw = read(env, name);
  if (raw === undefined) return [];
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    const [addr, bits, extra] = item.split('/');
    const family = addr ? isIP(addr) : 0;
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max))) {
      throw new ConfigError(name, 'a comma-separated list of IP addresses or CIDR ranges', item);
    }
  }
  return items;
}

/** TRUSTED_PROXIES: IPs or CIDRs, `none` for no proxy; loopback by default. */
function trustedProxies(env: Env, name: string): string[] {
  const raw = read(env, name);
  if (raw === undefined) return [...DEFAULT_TRUSTED_PROXIES];
  if (raw.toLowerCase() === 'none') return [];
  return cidrList(env, name);
}

const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '::1/128'] as const;

function sipUri(env: Env, name: string): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  if (!/^sips?:[^\s@]*@?[A-Za-z0-9.\-[\]:]+(;[^\s]*)?$/.test(raw)) throw new ConfigError(name, 'a SIP URI such as sip:carrier.example.com', raw);
  return raw;
}

function secret(env: Env, name: string): string | undefined {
  const raw = read(env, name);
  if (raw !== undefined && raw.length < 16) throw new ConfigError(name, 'at least 16 characters long', '*'.repeat(raw.length));
  return raw;
}

function email(env: Env, name: string, def: string): string {
  const raw = read(env, name);
  if (raw === undefined) return def;
  if (!/^[^\s@]+@[^\s@]+$/.test(raw)) throw new ConfigError(name, 'an email address', raw);
  return raw.toLowerCase();
}

function host(env: Env, name: string, def: string): string {
  const raw = read(env, name);
  if (raw === undefined) return def;
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(raw)) throw new ConfigError(name, 'a host name or IP address', raw);
  return raw;
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const port = integer(env, 'PORT', 8080, 1, 65535);
  const hostName = host(env, 'HOST', '127.0.0.1');
  const country = (read(env, 'DEFAULT_COUNTRY') ?? 'US').toUpperCase();
  if (!isSupportedCountry(country)) {
    throw new ConfigError('DEFAULT_COUNTRY', 'an ISO 3166-1 alpha-2 country code such as US, GB or UA', country);
  }
  const adminPassword = read(env, 'ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new ConfigError('ADMIN_PASSWORD', 'at least 12 characters long', '*'.repeat(adminPassword.length));
  }
  const config: Config = {
    port,
    host: hostName,
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    commandLogLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', 'warn', LOG_LEVELS),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(cwd, read(env, 'DATA_DIR') ?? 'data'),
    embeddedPgPort: integer(env, 'EMBEDDED_PG_PORT', 0, 0, 65535),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    defaultCountry: country,
    publicUrl: (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://${hostName}:${port}`).replace(/\/+$/, ''),
    adminEmail: email(env, 'ADMIN_EMAIL', 'admin@ringpath.local'),
    adminPassword,
    sipRealm: host(env, 'SIP_REALM', 'ringpath.local'),
    trustedProxies: trustedProxies(env, 'TRUSTED_PROXIES'),
    dni: {
      rateLimitPerMinute: integer(env, 'DNI_RATE_LIMIT', 300, 1, 1_000_000),
      sweepIntervalS: integer(env, 'DNI_SWEEP_S', 15, 1, 3600),
    },
    sip: {
      drachtioHost: read(env, 'DRACHTIO_HOST') === undefined ? undefined : host(env, 'DRACHTIO_HOST', ''),
      drachtioPort: integer(env, 'DRACHTIO_PORT', 9022, 1, 65535),
      drachtioSecret: read(env, 'DRACHTIO_SECRET') ?? 'cymru',
      trunkUri: sipUri(env, 'TRUNK_URI'),
      trunkAllowlist: cidrList(env, 'TRUNK_ALLOWLIST'),
      trunkAuthUser: read(env, 'TRUNK_AUTH_USER'),
      trunkAuthPassword: read(env, 'TRUNK_AUTH_PASSWORD'),
      rtpengineNg: hostPort(env, 'RTPENGINE_NG'),
      recordingsDir: path.resolve(cwd, read(env, 'RECORDINGS_DIR') ?? path.join(read(env, 'DATA_DIR') ?? 'data', 'recordings')),
      rtpengineRecordingDir: path.resolve(
        cwd,
        read(env, 'RTPENGINE_RECORDING_DIR') ??
          path.join(read(env, 'RECORDINGS_DIR') ?? path.join(read(env, 'DATA_DIR') ?? 'data', 'recordings'), 'incoming'),
      ),
      recordingUrlSecret: secret(env, 'RECORDING_URL_SECRET'),
      recordingUrlTtlS: integer(env, 'RECORDING_URL_TTL_S', 30 * 86400, 60, 365 * 86400),
      lookupBudgetMs: integer(env, 'LOOKUP_BUDGET_MS', 50, 1, 5000),
      authFailureLimit: integer(env, 'SIP_AUTH_FAILURE_LIMIT', 5, 1, 1000),
      registerRateLimit: integer(env, 'SIP_REGISTER_RATE_LIMIT', 60, 1, 100000),
    },
    crm: {
      hubspotToken: read(env, 'HUBSPOT_TOKEN'),
      hubspotBaseUrl: (url(env, 'HUBSPOT_BASE_URL', ['http:', 'https:']) ?? 'https://api.hubapi.com').replace(/\/+$/, ''),
      hubspotWebhookSecret: read(env, 'HUBSPOT_WEBHOOK_SECRET'),
      hubspotRateLimit: integer(env, 'HUBSPOT_RATE_LIMIT', 100, 1, 1000),
      hubspotSearchRateLimit: integer(env, 'HUBSPOT_SEARCH_RATE_LIMIT', 4, 1, 50),
      incrementalSyncS: integer(env, 'CRM_INCREMENTAL_SYNC_S', 60, 5, 86400),
      workerConcurrency: integer(env, 'CRM_WORKER_CONCURRENCY', 4, 1, 50),
    },
    outbound: {
      allowPrivateDestinations: oneOf(env, 'WEBHOOK_ALLOW_PRIVATE', 'false', ['true', 'false']) === 'true',
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      maxResponseBytes: integer(env, 'WEBHOOK_MAX_RESPONSE_BYTES', 65_536, 0, 10_485_760),
      disableAfterFailures: integer(env, 'WEBHOOK_DISABLE_AFTER', 20, 1, 10_000),
      ga4BaseUrl: (url(env, 'GA4_BASE_URL', ['http:', 'https:']) ?? 'https://www.google-analytics.com').replace(/\/+$/, ''),
      workerConcurrency: integer(env, 'OUTBOUND_WORKER_CONCURRENCY', 4, 1, 50),
    },
    console: {
      loginFailureLimit: integer(env, 'CONSOLE_LOGIN_FAILURE_LIMIT', 5, 1, 1000),
      lockoutS: integer(env, 'CONSOLE_LOCKOUT_S', 900, 1, 86400),
      sessionTtlS: integer(env, 'CONSOLE_SESSION_TTL_S', 8 * 3600, 60, 30 * 86400),
    },
  };
  if ((config.sip.trunkAuthUser === undefined) !== (config.sip.trunkAuthPassword === undefined)) {
    throw new ConfigError('TRUNK_AUTH_PASSWORD', 'set together with TRUNK_AUTH_USER (both or neither)', config.sip.trunkAuthPassword ? '(set)' : '');
  }
  return Object.freeze(config);
}

/** Rows for the README's configuration table, kept next to the parser they describe. */
export const CONFIG_DOC: ReadonlyArray<readonly [name: string, def: string, meaning: string]> = [
  ['PORT', '8080', 'HTTP port of the API, console and metrics'],
  ['HOST', '127.0.0.1', 'address the HTTP server binds to'],
  ['LOG_LEVEL', 'info', 'pino level: fatal, error, warn, info, debug, trace or silent; `serve` logs to stdout, the other commands to stderr (warn when unset)'],
  ['DATABASE_URL', '(unset)', 'PostgreSQL connection string; unset runs an embedded PostgreSQL'],
  ['DATA_DIR', './data', 'where the embedded PostgreSQL keeps its files'],
  ['EMBEDDED_PG_PORT', '0', 'port of the embedded PostgreSQL on 127.0.0.1; 0 picks a free one'],
  ['DATABASE_POOL_SIZE', '10', 'connections in the PostgreSQL pool'],
  ['DEFAULT_COUNTRY', 'US', 'country (ISO 3166-1 alpha-2) used to read national phone numbers'],
  ['PUBLIC_URL', 'http://HOST:PORT', 'base URL used in links ringpath hands out'],
  ['ADMIN_EMAIL', 'admin@ringpath.local', 'email of the first console admin, created on an empty database'],
  ['ADMIN_PASSWORD', '(unset)', 'password of the first admin (12+ characters); unset prints a one-time password to the log once'],
  ['SIP_REALM', 'ringpath.local', 'digest realm of the SIP accounts'],
  [
    'TRUSTED_PROXIES',
    '127.0.0.0/8,::1/128',
    "reverse proxies (IPs or CIDRs, comma-separated, or none) whose X-Forwarded-For gives the client's address; every per-address rule uses that address",
  ],
  ['DNI_RATE_LIMIT', '300', 'requests per client address per minute to the public DNI endpoints (/dni/v1), counted in each process'],
  ['DNI_SWEEP_S', '15', 'seconds between sweeps that release number holds whose time has run out'],
  ['DRACHTIO_HOST', '(unset)', 'drachtio-server admin address; unset runs ringpath without its SIP side'],
  ['DRACHTIO_PORT', '9022', 'drachtio-server admin port'],
  ['DRACHTIO_SECRET', 'cymru', 'drachtio-server admin secret'],
  ['TRUNK_URI', '(unset)', 'carrier trunk for outbound calls, e.g. sip:carrier.example.com'],
  ['TRUNK_ALLOWLIST', '(unset)', 'carrier source IPs or CIDRs, comma-separated, whose INVITEs are accepted'],
  ['TRUNK_AUTH_USER', '(unset)', 'digest user a carrier may authenticate inbound calls with (with TRUNK_AUTH_PASSWORD)'],
  ['TRUNK_AUTH_PASSWORD', '(unset)', 'digest password for TRUNK_AUTH_USER'],
  ['RTPENGINE_NG', '(unset)', 'rtpengine ng control address host:port; unset means no media anchoring or recording'],
  ['RECORDINGS_DIR', 'DATA_DIR/recordings', 'where call recordings (WAV) are kept'],
  ['RTPENGINE_RECORDING_DIR', 'RECORDINGS_DIR/incoming', "rtpengine-recording's output-dir (recording-method=proc)"],
  ['RECORDING_URL_SECRET', '(unset)', 'key (16+ characters) that signs recording links; unset: one generated once and kept in the database'],
  ['RECORDING_URL_TTL_S', '2592000', 'seconds a signed recording link in the API stays valid (default 30 days); HubSpot gets a stable token URL'],
  ['LOOKUP_BUDGET_MS', '50', 'how long routing waits for the CRM mirror before moving to the next step'],
  ['SIP_AUTH_FAILURE_LIMIT', '5', 'failed SIP digest authentications per source IP per 10 minutes before it is blocked'],
  ['SIP_REGISTER_RATE_LIMIT', '60', 'REGISTER requests per source IP per minute'],
  ['HUBSPOT_TOKEN', '(unset)', 'HubSpot private-app access token; unset turns CRM sync off (calls are still tracked and routed)'],
  ['HUBSPOT_BASE_URL', 'https://api.hubapi.com', 'HubSpot API base URL'],
  ['HUBSPOT_WEBHOOK_SECRET', '(unset)', 'HubSpot app client secret that signs webhooks (v3); unset refuses webhooks'],
  ['HUBSPOT_RATE_LIMIT', '100', 'HubSpot requests per 10 seconds, shared by every ringpath process'],
  ['HUBSPOT_SEARCH_RATE_LIMIT', '4', 'HubSpot search requests per second, shared by every ringpath process'],
  ['CRM_INCREMENTAL_SYNC_S', '60', 'seconds between incremental syncs of the CRM mirror'],
  ['CRM_WORKER_CONCURRENCY', '4', 'CRM sync jobs run at once by each ringpath process'],
  ['WEBHOOK_ALLOW_PRIVATE', 'false', 'true lets webhooks and GA4 reach private, loopback and link-local addresses (refused by default: SSRF)'],
  ['WEBHOOK_TIMEOUT_MS', '10000', 'how long one webhook delivery or GA4 request may take'],
  ['WEBHOOK_MAX_RESPONSE_BYTES', '65536', 'bytes of a response read and kept in the delivery log; the rest is dropped'],
  ['WEBHOOK_DISABLE_AFTER', '20', 'failed delivery attempts in a row after which a webhook endpoint is disabled'],
  ['GA4_BASE_URL', 'https://www.google-analytics.com', "base URL of GA4's Measurement Protocol"],
  ['OUTBOUND_WORKER_CONCURRENCY', '4', 'webhook and GA4 jobs run at once by each ringpath process'],
  ['CONSOLE_LOGIN_FAILURE_LIMIT', '5', 'failed console logins for one email, counted across every process, before it is locked out'],
  ['CONSOLE_LOCKOUT_S', '900', 'seconds a locked-out console email stays locked'],
  ['CONSOLE_SESSION_TTL_S', '28800', 'seconds a console session lasts without use (default 8 hours)'],
];
