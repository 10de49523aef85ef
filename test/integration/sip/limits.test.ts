// The SIP lockout and REGISTER rate on PostgreSQL, as production keeps them;
// counters written through one pool are seen through another (processes share
// them through the database).
import t from 'tap';
import { createPool } from '../../../src/db/pool.ts';
import { sipLimits } from '../../../src/sip/limits.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';
import { LIMIT, lockoutCases } from '../../support/sip-limits-cases.ts';

const db = await testDatabase(t);
const opts = { authFailureLimit: LIMIT, registerPerMinute: 2 };

await lockoutCases(t, async () => sipLimits(db.pool, opts));

t.test('a lockout counted through one pool is seen through another', async (t) => {
  const other = createPool(db.url, 2, silentLogger);
  t.teardown(() => other.end());
  const a = sipLimits(db.pool, opts);
  const b = sipLimits(other, opts);
  for (let i = 0; i < LIMIT; i++) await a.authFailed('198.51.100.1');
  t.equal(await b.lockedOut('198.51.100.1'), true);
});
