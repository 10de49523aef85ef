// Allocation is atomic across ringpath processes: 200 concurrent session requests
// against a pool of 150 numbers, split between this test's ringpath HTTP app and a
// second, real `ringpath serve` process on the same database.
import t from 'tap';
import { freePort } from '../../../src/util/net.ts';
import { testApi } from '../../support/app.ts';
import { CHROME, FALLBACK, ORIGIN, PAGE, dniSite } from '../../support/dni.ts';
import { startRingpath, waitFor } from '../../support/process.ts';

const POOL = 150;
const REQUESTS = 200;

t.test('two processes, 200 concurrent requests, 150 numbers: 150 distinct live holds and 50 fallbacks', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: POOL, site: { max_sessions_per_ip: 10000 } });

  // process one: this test's process, listening on 127.0.0.1
  const one = await api.app.listen({ host: '127.0.0.1', port: 0 });
  // process two: `ringpath serve` on the same database
  const port = await freePort();
  const two = startRingpath(['serve'], {
    DATABASE_URL: api.db.url,
    HOST: '127.0.0.1',
    PORT: String(port),
    DEFAULT_COUNTRY: 'UA',
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: 'a-long-enough-password',
  });
  t.teardown(async () => {
    if (two.child.exitCode === null) {
      two.child.kill('SIGTERM');
      await Promise.race([two.exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (two.child.exitCode === null) two.child.kill('SIGKILL');
    }
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 60_000, 'the second process to be ready');
  t.not(two.child.pid, process.pid, 'the second server is another process');
  const servers = [one, `http://127.0.0.1:${port}`];

  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const server = servers[i % 2]!;
      const res = await fetch(`${server}/dni/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, 'user-agent': CHROME, 'x-forwarded-for': `198.51.100.${1 + (i % 200)}` },
        body: JSON.stringify({ site: s.key, page: `${PAGE}?n=${i}`, referrer: '' }),
      });
      return { server, status: res.status, body: (await res.json()) as { kind: string; number: string; session: string } };
    }),
  );
  t.same(
    answers.filter((a) => a.status !== 200).map((a) => a.body),
    [],
    'every request answered 200',
  );
  const pool = answers.filter((a) => a.body.kind === 'pool');
  const fallback = answers.filter((a) => a.body.kind === 'fallback');
  t.equal(pool.length, POOL, '150 pool numbers given');
  t.equal(new Set(pool.map((a) => a.body.number)).size, POOL, 'all 150 distinct');
  t.same(new Set(pool.map((a) => a.body.number)), new Set(s.numbers), 'the whole pool');
  t.equal(fallback.length, REQUESTS - POOL, '50 fallbacks');
  t.ok(fallback.every((a) => a.body.number === FALLBACK), 'each the fallback number');
  for (const server of servers) {
    const served = pool.filter((a) => a.server === server).length;
    t.ok(served >= REQUESTS / 2 - (REQUESTS - POOL), `${server} gave ${served} pool numbers (each process gives at least 50)`);
  }

  const db = api.db.pool;
  const double = await db.query(
    `SELECT tracking_number_id, count(*)::int AS n FROM visitor_sessions
      WHERE kind = 'pool' AND released_at IS NULL AND held_until > now()
      GROUP BY tracking_number_id HAVING count(*) > 1`,
  );
  t.same(double.rows, [], 'no number is held by two live sessions');
  const live = await db.query<{ sessions: number; numbers: number; matched: number }>(
    `SELECT (SELECT count(*)::int FROM visitor_sessions WHERE kind = 'pool' AND released_at IS NULL AND held_until > now()) AS sessions,
            (SELECT count(DISTINCT tracking_number_id)::int FROM visitor_sessions WHERE kind = 'pool' AND released_at IS NULL AND held_until > now()) AS numbers,
            (SELECT count(*)::int FROM tracking_numbers t JOIN visitor_sessions v ON v.id = t.held_by_session_id
              WHERE v.number = t.number AND v.tracking_number_id = t.id AND v.released_at IS NULL) AS matched`,
  );
  t.same(live.rows[0], { sessions: POOL, numbers: POOL, matched: POOL }, '150 live sessions hold 150 numbers, each held by the session that shows it');
  const exhausted = await db.query<{ count: number; events: number; fallbacks: number }>(
    `SELECT (SELECT exhausted_count::int FROM pools WHERE id = $1) AS count,
            (SELECT count(*)::int FROM dni_events WHERE kind = 'pool_exhausted') AS events,
            (SELECT count(*)::int FROM visitor_sessions WHERE kind = 'fallback' AND fallback_reason = 'pool_exhausted') AS fallbacks`,
    [s.poolId],
  );
  t.same(exhausted.rows[0], { count: 50, events: 50, fallbacks: 50 }, 'the 50 exhaustions counted once each');
});
