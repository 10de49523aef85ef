// The responsible-manager lookup within its budget (src/crm/mirror-lookup.ts):
// when the budget runs out, routing moves on at once AND the query is cancelled
// in PostgreSQL (no backend left running it), and the pool stays usable.
import pg from 'pg';
import t from 'tap';
import { findByPhone, lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { createPool } from '../../../src/db/pool.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';
import { waitFor } from '../../support/process.ts';

const PHONE = '+380501234567';
const BUDGET_MS = 200;

async function seed(pool: pg.Pool): Promise<void> {
  await pool.query(`INSERT INTO crm_contacts (id, owner_id) VALUES ('c1', 'owner-1')`);
  await pool.query(`INSERT INTO crm_contact_phones (contact_id, property, raw, e164) VALUES ('c1', 'phone', $1::text, $1::text)`, [PHONE]);
  await pool.query(`INSERT INTO crm_deals (id, owner_id, is_open) VALUES ('d1', 'owner-2', true), ('d2', 'owner-3', false)`);
  await pool.query(`INSERT INTO crm_deal_contacts (deal_id, contact_id) VALUES ('d1', 'c1'), ('d2', 'c1')`);
}

const FOUND = { status: 'found', contactOwnerId: 'owner-1', dealOwnerId: 'owner-2' };

/** Backends of this database, other than `except`, running a mirror lookup. */
async function lookupsRunning(observer: pg.Client, except: number): Promise<Array<{ pid: number; state: string; wait_event_type: string | null }>> {
  const { rows } = await observer.query(
    `SELECT pid, state, wait_event_type FROM pg_stat_activity
      WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1) AND state = 'active' AND query LIKE '%crm_contact_phones%'`,
    [except],
  );
  return rows;
}

t.test('a lookup held up by a lock times out within its budget, its query is cancelled, the pool goes on', async (t) => {
  const db = await testDatabase(t);
  await seed(db.pool);
  t.same(await lookupResponsible(db.pool, PHONE, 2_000), FOUND, 'the lookup answers when nothing holds it up');
  t.same((await findByPhone(db.pool, PHONE)).map((m) => m.openDeals), [[{ id: 'd1', ownerId: 'owner-2' }]], 'only the open deal');

  const observer = new pg.Client({ connectionString: db.url });
  await observer.connect();
  t.teardown(() => observer.end());
  // another connection holds a lock the lookup must wait for, as a migration or VACUUM FULL would
  const locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  t.teardown(() => locker.end());
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE crm_contacts IN ACCESS EXCLUSIVE MODE');
  const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

  const started = performance.now();
  const pending = lookupResponsible(db.pool, PHONE, BUDGET_MS);
  await waitFor(async () => (await lookupsRunning(observer, lockerPid)).some((r) => r.wait_event_type === 'Lock'), 2_000, 'the lookup waiting on the lock');
  const result = await pending;
  const took = performance.now() - started;
  t.same(result, { status: 'timeout' }, 'the lookup reports a timeout');
  // generous for a loaded machine: without the budget it would wait as long as the lock is held, i.e. past this test
  t.ok(took < BUDGET_MS + 1_000, `and answers at the end of its budget, not of the lock (${took.toFixed(0)} ms for ${BUDGET_MS} ms)`);

  // the lock is still held, so only a cancel can have ended the backend's query
  await waitFor(async () => (await lookupsRunning(observer, lockerPid)).length === 0, 2_000, 'no lookup left running in PostgreSQL');
  t.same(await lookupsRunning(observer, lockerPid), [], 'no backend is left running the lookup');
  const { rows: locks } = await observer.query(
    `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'crm_contacts'::regclass AND mode = 'AccessExclusiveLock' AND granted AND pid = $1`,
    [lockerPid],
  );
  t.equal(locks[0].n, 1, 'while the lock is still held');

  await locker.query('ROLLBACK');
  t.same(await lookupResponsible(db.pool, PHONE, 2_000), FOUND, 'the pool is usable afterwards');
  const many = await Promise.all(Array.from({ length: 20 }, () => lookupResponsible(db.pool, PHONE, 2_000)));
  t.ok(many.every((r) => r.status === 'found'), '20 lookups at once on a pool of 5: all found');
  t.equal(db.pool.waitingCount, 0, 'nobody waits for a connection');
});

t.test('a lookup waiting for a pool connection times out, and the connection it gets later goes back to the pool', async (t) => {
  const db = await testDatabase(t);
  await seed(db.pool);
  const pool = createPool(db.url, 2, silentLogger);
  t.teardown(() => pool.end());
  const held = await Promise.all([pool.connect(), pool.connect()]);
  const result = await lookupResponsible(pool, PHONE, 100);
  t.same(result, { status: 'timeout' }, 'with every connection taken, the lookup times out');
  for (const c of held) c.release();
  await waitFor(async () => pool.idleCount === 2 && pool.waitingCount === 0, 2_000, 'both connections idle');
  t.same(await lookupResponsible(pool, PHONE, 2_000), FOUND, 'and the pool answers the next lookup');
});

t.test('a lookup that fails (not a timeout) reports failed, and its connection is not lost', async (t) => {
  const db = await testDatabase(t);
  await seed(db.pool);
  const pool = createPool(db.url, 1, silentLogger);
  t.teardown(() => pool.end());
  t.same(await lookupResponsible(pool, 'not a number', 2_000), { status: 'not_found' }, 'a number nobody can have is simply not found');
  await db.pool.query('ALTER TABLE crm_deals RENAME TO crm_deals_elsewhere');
  const result = await lookupResponsible(pool, PHONE, 2_000);
  t.equal(result.status, 'failed', 'a query that errors fails the lookup');
  await db.pool.query('ALTER TABLE crm_deals_elsewhere RENAME TO crm_deals');
  t.same(await lookupResponsible(pool, PHONE, 2_000), FOUND, 'the single connection is still there, and answers');
});
