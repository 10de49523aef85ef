// Employees, schemes and settings as call handling needs them, cached so a
// burst of calls does not re-read them for every INVITE. Every change to them
// is announced by PostgreSQL (channel ringpath_directory, see migrations), and
// each process drops its cache when it hears one; the TTL is only a safety net
// for a lost listening connection.
import pg from 'pg';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { loadEmployees, loadScheme, resolveTrackingNumber, type DirectoryEmployee, type ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import { loadSettings, type Settings } from '../db/repositories/settings.ts';
import type { Scheme } from '../routing/types.ts';
import { addressMatcher } from './middleware/trunk.ts';
import { Recogniser } from '../calls/recognise.ts';
import type { CallDirectory } from './ports.ts';

const MAX_CACHED_NUMBERS = 10_000;

interface Cached<T> {
  value: Promise<T>;
  at: number;
}

export class Directory implements CallDirectory {
  private employeesCache: Cached<{ list: DirectoryEmployee[]; recogniser: Recogniser }> | undefined;
  private settingsCache: Cached<Settings> | undefined;
  private readonly schemes = new Map<number, Cached<{ scheme: Scheme; stepIds: number[] } | undefined>>();
  private readonly numbers = new Map<string, Cached<ResolvedTrackingNumber | undefined>>();
  private trunkCache: { settings: Settings; matches: (address: string) => boolean } | undefined;
  private callerIdsCache: Cached<ReadonlyMap<number, string>> | undefined;

  private listener: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly ttlMs = 30_000,
  ) {}

  /** Forget everything cached; the next call reads afresh. */
  invalidate(): void {
    this.employeesCache = undefined;
    this.settingsCache = undefined;
    this.schemes.clear();
    this.numbers.clear();
    this.trunkCache = undefined;
    this.callerIdsCache = undefined;
  }

  /** Listen for changes on a connection of its own; reconnects when it drops. */
  async listen(connectionString: string, logger: Logger): Promise<void> {
    const log = logger.child({ component: 'directory' });
    const connect = async (): Promise<void> => {
      const client = new pg.Client({ connectionString, application_name: 'ringpath-directory' });
      client.on('notification', () => this.invalidate());
      client.on('error', (err) => {
        log.warn({ err: err.message }, 'directory change listener lost; reconnecting');
        this.invalidate();
        this.listener = undefined;
        if (!this.closed) setTimeout(() => void connect().catch(() => undefined), 1000).unref();
      });
      await client.connect();
      await client.query('LISTEN ringpath_directory');
      this.listener = client;
      this.invalidate(); // anything cached before now may have missed a change
    };
    await connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
  }

  private fresh<T>(c: Cached<T> | undefined): c is Cached<T> {
    return c !== undefined && Date.now() - c.at < this.ttlMs;
  }

  private load<T>(fn: () => Promise<T>): Cached<T> {
    const value = fn();
    const entry = { value, at: Date.now() };
    value.catch(() => (entry.at = 0)); // a failed load is retried at once
    return entry;
  }

  employees(): Promise<{ list: DirectoryEmployee[]; recogniser: Recogniser }> {
    if (!this.fresh(this.employeesCache)) {
      this.employeesCache = this.load(async () => {
        const list = await loadEmployees(this.pool);
        return { list, recogniser: new Recogniser(list) };
      });
    }
    return this.employeesCache.value;
  }

  scheme(id: number): Promise<{ scheme: Scheme; stepIds: number[] } | undefined> {
    let c = this.schemes.get(id);
    if (!this.fresh(c)) {
      c = this.load(() => loadScheme(this.pool, id));
      this.schemes.set(id, c);
    }
    return c.value;
  }

  /** The tracking number dialled, or undefined when it is not one (that is cached too). */
  trackingNumber(e164: string): Promise<ResolvedTrackingNumber | undefined> {
    let c = this.numbers.get(e164);
    if (!this.fresh(c)) {
      if (this.numbers.size >= MAX_CACHED_NUMBERS) this.numbers.clear();
      c = this.load(() => resolveTrackingNumber(this.pool, e164));
      this.numbers.set(e164, c);
    }
    return c.value;
  }

  /** Whether an address may send carrier calls: the configured allowlist plus the console's setting. */
  async trunkAllows(configured: readonly string[], address: string): Promise<boolean> {
    const settings = await this.settings();
    if (this.trunkCache?.settings !== settings) {
      this.trunkCache = { settings, matches: addressMatcher([...configured, ...settings.trunk_allowed_sources]) };
    }
    return this.trunkCache.matches(address);
  }

  /** The employee's priority tracking number: the first (by id) that names them as its caller id. */
  async callerIdOf(employeeId: number): Promise<string | null> {
    if (!this.fresh(this.callerIdsCache)) {
      this.callerIdsCache = this.load(async () => {
        const { rows } = await this.pool.query<{ employee_id: number; number: string }>(
          `SELECT DISTINCT ON (caller_id_for_employee_id) caller_id_for_employee_id AS employee_id, number
             FROM tracking_numbers WHERE caller_id_for_employee_id IS NOT NULL
            ORDER BY caller_id_for_employee_id, id`,
        );
        return new Map(rows.map((r) => [Number(r.employee_id), r.number]));
      });
    }
    return (await this.callerIdsCache.value).get(employeeId) ?? null;
  }

  settings(): Promise<Settings> {
    if (!this.fresh(this.settingsCache)) this.settingsCache = this.load(() => loadSettings(this.pool));
    return this.settingsCache.value;
  }
}
