// Warm before ready (src/calls/warm.ts): every connection of the pool open and
// kept, the call path's statements prepared on each, the directory cached.
import t from 'tap';
import { warmCallPath } from '../../../src/calls/warm.ts';
import { createPool } from '../../../src/db/pool.ts';
import { Directory } from '../../../src/sip/directory.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';
import { employee, scheme, staticNumber } from '../../support/sip-fixtures.ts';

t.test('warming opens every pool connection, prepares the call path on each, and fills the directory cache', async (t) => {
  const db = await testDatabase(t);
  const alice = await employee(db.pool, 'Alice', { newClients: true });
  const schemeId = await scheme(db.pool, 'rr', [{ type: 'new_client_distribution', mode: 'round_robin' }, { type: 'employees', employeeIds: [alice] }]);
  await staticNumber(db.pool, '+380441234567', schemeId);

  const pool = createPool(db.url, 4, silentLogger);
  t.teardown(() => pool.end());
  const reads: string[] = [];
  const directory = new Directory(pool);
  const spied = {
    employees: () => (reads.push('employees'), directory.employees()),
    settings: () => (reads.push('settings'), directory.settings()),
    scheme: (id: number) => (reads.push(`scheme ${id}`), directory.scheme(id)),
    trackingNumber: (n: string) => (reads.push(`number ${n}`), directory.trackingNumber(n)),
  };
  const warmed = await warmCallPath(pool, spied);
  t.match(warmed, { connections: 4, schemes: 1, trackingNumbers: 1 });
  t.same(reads.sort(), ['employees', `number +380441234567`, `scheme ${schemeId}`, 'settings'], 'the directory was asked for all of it');

  t.equal(pool.totalCount, 4, 'all four connections are open');
  t.equal(pool.idleCount, 4, 'and back in the pool');
  // every connection has the statements prepared: take all four at once and look
  const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect(), pool.connect()]);
  try {
    for (const c of clients) {
      const { rows } = await c.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
      t.same(
        rows.map((r) => r.name),
        ['ringpath.dni.recent_holds', 'ringpath.mirror.find_by_phone', 'ringpath.round_robin.read', 'ringpath.round_robin.save'],
        'a connection with the call path prepared',
      );
    }
  } finally {
    for (const c of clients) c.release();
  }
  t.equal(pool.options.min, 4, 'the pool keeps them: idle connections are not closed below its size');
  const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM round_robin_state');
  t.equal(rows[0].n, 0, 'preparing the rotation statements wrote nothing');
});
