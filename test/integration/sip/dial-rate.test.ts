// The per-account rate of new outbound calls in PostgreSQL: every ringpath process
// on one database sees one counter (sip_rate_limits, its own key prefix).
import t from 'tap';
import { createPool } from '../../../src/db/pool.ts';
import { sipLimits } from '../../../src/sip/limits.ts';
import { outboundCallRatePostgres } from '../../../src/sip/dial-rate.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';

t.test('postgres: two adapters on two pools of one database share one counter per account', async (t) => {
  const db = await testDatabase(t);
  const other = createPool(db.url, 2, silentLogger);
  t.teardown(() => other.end().catch(() => undefined));
  const a = outboundCallRatePostgres(db.pool);
  const b = outboundCallRatePostgres(other);

  t.same(await a.allow('olena', 3), { allowed: true, retryAfterS: 0 }, 'call 1 through process a');
  t.same(await b.allow('olena', 3), { allowed: true, retryAfterS: 0 }, 'call 2 through process b');
  t.same(await a.allow('olena', 3), { allowed: true, retryAfterS: 0 }, 'call 3 through process a');
  const fourth = await b.allow('olena', 3);
  t.equal(fourth.allowed, false, 'call 4 through process b is refused: the count is shared');
  t.ok(fourth.retryAfterS >= 1 && fourth.retryAfterS <= 60, `retry after ${fourth.retryAfterS} s, within the minute`);
  t.equal((await a.allow('taras', 3)).allowed, true, 'another account has its own count');

  const { rows } = await db.pool.query<{ key: string; points: number }>(`SELECT key, points FROM sip_rate_limits WHERE key LIKE 'dial:%' ORDER BY key`);
  t.same(rows, [{ key: 'dial:olena', points: 4 }, { key: 'dial:taras', points: 1 }], 'kept in sip_rate_limits under the dial: prefix');
});

t.test('postgres: concurrent calls of one account are counted exactly, none lost', async (t) => {
  const db = await testDatabase(t);
  const other = createPool(db.url, 5, silentLogger);
  t.teardown(() => other.end().catch(() => undefined));
  const adapters = [outboundCallRatePostgres(db.pool), outboundCallRatePostgres(other)];
  const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => adapters[i % 2]!.allow('olena', 7)));
  t.equal(verdicts.filter((v) => v.allowed).length, 7, 'exactly the limit allowed out of 20 at once');
});

t.test('postgres: the dial counter does not touch the REGISTER limit of the same key', async (t) => {
  const db = await testDatabase(t);
  const rate = outboundCallRatePostgres(db.pool);
  const limits = sipLimits(db.pool, { authFailureLimit: 5, registerPerMinute: 1 });
  t.equal((await rate.allow('203.0.113.7', 1)).allowed, true);
  t.equal((await rate.allow('203.0.113.7', 1)).allowed, false);
  t.equal((await limits.allowRegister('203.0.113.7')).allowed, true, 'a REGISTER from an address with the same text is counted apart');
});
