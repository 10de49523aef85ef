// One sync at a time per client number, across every worker and process: two calls
// from a new number must not both create a contact. A session advisory lock on a
// connection the sync keeps for its whole run; it goes away with the connection,
// so a killed process holds nothing.
import type { Pool, PoolClient } from '../../db/pool.ts';

/** Thrown when the lock stays taken too long; the job is retried later. */
export class SyncBusyError extends Error {
  readonly retryable = true;
  constructor(what: string) {
    super(`another CRM sync for ${what} is still running`);
    this.name = 'SyncBusyError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs fn on a connection holding the lock named `name`; waits up to `waitMs` for it. */
export async function withSyncLock<T>(pool: Pool, name: string, waitMs: number, fn: (db: PoolClient) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  let locked = false;
  let broken: unknown;
  try {
    const deadline = Date.now() + waitMs;
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      const { rows } = await db.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`, [`ringpath:crm-sync:${name}`]);
      locked = rows[0]?.ok === true;
      if (locked) break;
      if (Date.now() >= deadline) throw new SyncBusyError(name);
      await sleep(delay);
    }
    return await fn(db);
  } catch (err) {
    broken = err;
    throw err;
  } finally {
    if (locked) {
      await db.query('ROLLBACK').catch(() => undefined);
      const unlocked = await db
        .query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`ringpath:crm-sync:${name}`])
        .then(() => true, () => false);
      // A connection whose lock could not be released must not go back to the pool.
      db.release(unlocked ? undefined : (broken instanceof Error ? broken : true));
    } else {
      db.release();
    }
  }
}
