// Employees, schemes and settings as call handling needs them, cached for a
// moment so a burst of calls does not re-read them for every INVITE. Changes
// made through the API reach calls within `ttlMs` in every process.
import type { Pool } from '../db/pool.ts';
import { loadEmployees, loadScheme, type DirectoryEmployee } from '../db/repositories/directory.ts';
import { loadSettings, type Settings } from '../db/repositories/settings.ts';
import type { Scheme } from '../routing/types.ts';
import { Recogniser } from './recognise.ts';

interface Cached<T> {
  value: Promise<T>;
  at: number;
}

export class Directory {
  private employeesCache: Cached<{ list: DirectoryEmployee[]; recogniser: Recogniser }> | undefined;
  private settingsCache: Cached<Settings> | undefined;
  private readonly schemes = new Map<number, Cached<{ scheme: Scheme; stepIds: number[] } | undefined>>();

  constructor(
    private readonly pool: Pool,
    private readonly ttlMs = 2000,
  ) {}

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

  settings(): Promise<Settings> {
    if (!this.fresh(this.settingsCache)) this.settingsCache = this.load(() => loadSettings(this.pool));
    return this.settingsCache.value;
  }
}
