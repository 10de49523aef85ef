// Session-level PostgreSQL advisory locks, so that among several ringpath
// processes only one runs each kind of sync at a time. A crashed holder's
// session ends and its lock with it.
import type { Pool, PoolClient, Queryable } from '../../db/pool.ts';

/** full: the (long) full sync. incremental: incremental passes and webhook re-reads. */
export type SyncLockName = 'full' | 'incremental';

const NAMESPACE = 0x52_50_43_4d; // "RPCM"
const LOCK_ID: Readonly<Record<SyncLockName, number>> = { full: 1, incremental: 2 };

export interface SyncLock {
  release(): Promise<void>;
}

/** The lock, or undefined when another session holds it (with `wait`: once the other session lets go). */
export async function tryLock(pool: Pool, name: SyncLockName, opts: { wait?: boolean } = {}): Promise<SyncLock | undefined> {
  const client: PoolClient = await pool.connect();
  let held = false;
  try {
    if (opts.wait) {
      await client.query('SELECT pg_advisory_lock($1, $2)', [NAMESPACE, LOCK_ID[name]]);
      held = true;
    } else {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [NAMESPACE, LOCK_ID[name]]);
      held = rows[0]?.locked === true;
    }
  } finally {
    if (!held) client.release();
  }
  if (!held) return undefined;
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [NAMESPACE, LOCK_ID[name]]);
        client.release();
      } catch (err) {
        client.release(err instanceof Error ? err : true); // a broken connection: drop it, its session (and lock) ends
      }
    },
  };
}

/** Runs fn under the lock; `{ ran: false }` when another process holds it (unless told to wait for it). */
export async function withLock<T>(
  pool: Pool,
  name: SyncLockName,
  fn: () => Promise<T>,
  opts: { wait?: boolean } = {},
): Promise<{ ran: true; value: T } | { ran: false }> {
  const lock = await tryLock(pool, name, opts);
  if (!lock) return { ran: false };
  try {
    return { ran: true, value: await fn() };
  } finally {
    await lock.release();
  }
}

/** Whether some session holds the lock now (for the sync status). */
export async function isLocked(db: Queryable, name: SyncLockName): Promise<boolean> {
  const { rows } = await db.query<{ held: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                      AND classid = $1::int::oid AND objid = $2::int::oid AND objsubid = 2) AS held`,
    [NAMESPACE, LOCK_ID[name]],
  );
  return rows[0]?.held === true;
}
