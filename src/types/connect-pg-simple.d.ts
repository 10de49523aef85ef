// The part of connect-pg-simple ringpath uses (it ships no types).
declare module 'connect-pg-simple' {
  import type { Pool } from 'pg';
  interface PGStoreOptions {
    pool: Pool;
    tableName?: string;
    createTableIfMissing?: boolean;
    ttl?: number;
    pruneSessionInterval?: false | number;
    errorLog?: (...args: unknown[]) => void;
  }
  interface PGStore {
    get(sid: string, cb: (err: unknown, session?: unknown) => void): void;
    set(sid: string, session: unknown, cb: (err?: unknown) => void): void;
    destroy(sid: string, cb: (err?: unknown) => void): void;
    close(): Promise<void>;
  }
  type PGStoreClass = new (options: PGStoreOptions) => PGStore;
  export default function connectPgSimple(session: { Store: unknown }): PGStoreClass;
}
