// The statements that serve many requests at once (allocation of many new visitors
// of one pool, heartbeats of many sessions) keep every rule of the single ones.
import t from 'tap';
import { allocateManyFromPool, heartbeatMany, type PoolRequest } from '../../../src/db/repositories/dni-sessions.ts';
import { readTouch } from '../../../src/dni/sources.ts';
import { testApi } from '../../support/app.ts';
import { FALLBACK, ORIGIN, PAGE, askSession, dniCounts, dniSite, sendHeartbeat } from '../../support/dni.ts';

const touch = (() => {
  const r = readTouch({ page: `${PAGE}?gclid=1` });
  if (!r.ok) throw new Error(r.message);
  return r.touch;
})();

t.test('many new visitors in one statement: cap, oldest free first, expired holds, then the fallback', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 5, site: { max_sessions_per_ip: 1 } });
  const db = api.db.pool;
  const [n0, n1, n2, n3, n4] = s.numbers;
  // n3 is held by a live session from 198.51.100.1 (so that address is at its cap of 1);
  // n4 by a session whose hold ran out five minutes ago; n1 was released a day ago, n0 and n2 an hour ago
  const hold = async (number: string, ip: string, until: string) => {
    const { rows } = await db.query<{ public_id: string }>(
      `WITH v AS (
         INSERT INTO visitor_sessions (site_id, visitor_key, kind, number, tracking_number_id, ip, held_until, source, medium, landing_page)
         SELECT $1, 'earlier', 'pool', number, id, $3::inet, now() + $4::interval, '(direct)', '(none)', $5 FROM tracking_numbers WHERE number = $2
         RETURNING id, tracking_number_id, held_until, public_id)
       UPDATE tracking_numbers t SET held_by_session_id = v.id, held_until = v.held_until FROM v WHERE t.id = v.tracking_number_id
       RETURNING v.public_id`,
      [s.siteId, number, ip, until, PAGE],
    );
    return rows[0]!.public_id;
  };
  await hold(n3!, '198.51.100.1', '10 minutes');
  const stale = await hold(n4!, '198.51.100.2', '-5 minutes');
  await db.query(`UPDATE tracking_numbers SET released_at = now() - interval '1 day' WHERE number = $1`, [n1]);
  await db.query(`UPDATE tracking_numbers SET released_at = now() - interval '1 hour' WHERE number IN ($1, $2)`, [n0, n2]);
  const before = await dniCounts(db);

  const input = (ip: string): PoolRequest => ({
    session: { siteId: s.siteId, visitor: `visitor-${ip}`, touch, gaClientId: null, gaSessionId: null, userAgent: 'ua', ip, holdTimeS: 900, maxSessionsPerIp: 1 },
    fallbackNumber: FALLBACK,
    previousNumberId: null,
    previousSessionId: null,
  });
  const ips = ['203.0.113.1', '198.51.100.1', '203.0.113.2', '203.0.113.3', '198.51.100.1', '203.0.113.4', '203.0.113.5', '203.0.113.6'];
  const out = await allocateManyFromPool(db, s.poolId!, ips.map(input));
  t.equal(out.length, ips.length, 'one answer per request');
  const shown = out.map((o) => (o.allowed ? `${o.kind}:${o.number}` : 'refused'));
  t.same(
    shown,
    [`pool:${n1}`, 'refused', `pool:${n0}`, `pool:${n2}`, 'refused', `pool:${n4}`, `fallback:${FALLBACK}`, `fallback:${FALLBACK}`],
    'in request order: a day ago, an hour ago (by id), the expired hold, then the fallback; the capped address refused twice',
  );
  const after = await dniCounts(db);
  t.equal(after.sessions, before.sessions + 6, 'six sessions stored, none for the refused');
  t.equal(after.exhausted, before.exhausted + 2, 'two exhaustions counted');
  const events = await db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM dni_events GROUP BY kind ORDER BY kind');
  t.same(events.rows, [{ kind: 'ip_cap', n: 2 }, { kind: 'pool_exhausted', n: 2 }]);
  const old = await db.query<{ at_end: boolean }>('SELECT released_at = held_until AS at_end FROM visitor_sessions WHERE public_id = $1', [stale]);
  t.same(old.rows, [{ at_end: true }], 'the expired hold’s session is released as of its end');
  const reused = await db.query<{ at_end: boolean }>(
    `SELECT t.released_at = v.held_until AS at_end FROM tracking_numbers t, visitor_sessions v WHERE t.number = $1 AND v.public_id = $2`,
    [n4, stale],
  );
  t.same(reused.rows, [{ at_end: true }], 'and its number released as of then');
  const double = await db.query(
    `SELECT tracking_number_id FROM visitor_sessions WHERE kind = 'pool' AND released_at IS NULL AND held_until > now() GROUP BY 1 HAVING count(*) > 1`,
  );
  t.same(double.rows, [], 'no number held by two live sessions');
  const holders = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tracking_numbers t JOIN visitor_sessions v ON v.id = t.held_by_session_id WHERE v.number = t.number AND v.released_at IS NULL`,
  );
  t.equal(holders.rows[0]!.n, 5, 'every number held by the session that shows it');
});

t.test('returning visitors in one statement: their previous number when they may have it, one visitor per number', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 6 });
  const db = api.db.pool;
  const id = async (number: string) => (await db.query<{ id: number }>('SELECT id FROM tracking_numbers WHERE number = $1', [number])).rows[0]!.id;
  const [n0, n1, n2, n3, n4, n5] = s.numbers as [string, string, string, string, string, string];
  /** A session of `visitor` on `number`, live or ended, holding it or not. */
  const session = async (visitor: string, number: string, opts: { live: boolean; holds: boolean }) => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO visitor_sessions (site_id, visitor_key, kind, number, tracking_number_id, ip, held_until, source, medium, landing_page)
       VALUES ($1, $2, 'pool', $3, $4, '192.0.2.1', now() + CASE WHEN $5 THEN interval '10 minutes' ELSE interval '-1 minute' END, '(direct)', '(none)', $6)
       RETURNING id`,
      [s.siteId, visitor, number, await id(number), opts.live, PAGE],
    );
    if (opts.holds) {
      await db.query(`UPDATE tracking_numbers SET held_by_session_id = $1, held_until = now() + CASE WHEN $3 THEN interval '10 minutes' ELSE interval '-1 minute' END WHERE number = $2`, [
        rows[0]!.id,
        number,
        opts.live,
      ]);
    }
    return rows[0]!.id;
  };
  const freeOne = await session('free-one', n0, { live: false, holds: false }); // n0 free again
  const takenAway = await session('taken-away', n1, { live: false, holds: false });
  await session('someone-else', n1, { live: true, holds: true }); // n1 now held by another visitor
  const ownTab = await session('own-tab', n2, { live: true, holds: true }); // n2 held by the visitor's own live session
  const ended = await session('ended', n3, { live: false, holds: true }); // n3's hold ran out, not swept
  const twoTabs = await session('two-tabs', n4, { live: false, holds: false });
  const req = async (visitor: string, number: string | null, previous: number | null, ip: string): Promise<PoolRequest> => ({
    session: { siteId: s.siteId, visitor, touch, gaClientId: null, gaSessionId: null, userAgent: 'ua', ip, holdTimeS: 900, maxSessionsPerIp: 20 },
    fallbackNumber: FALLBACK,
    previousNumberId: number === null ? null : await id(number),
    previousSessionId: previous,
  });
  const out = await allocateManyFromPool(db, s.poolId!, [
    await req('free-one', n0, freeOne, '203.0.113.1'),
    await req('taken-away', n1, takenAway, '203.0.113.2'),
    await req('own-tab', n2, ownTab, '203.0.113.3'),
    await req('ended', n3, ended, '203.0.113.4'),
    await req('two-tabs', n4, twoTabs, '203.0.113.5'),
    await req('two-tabs', n4, twoTabs, '203.0.113.6'),
    await req('new', null, null, '203.0.113.7'),
  ]);
  t.same(
    out.map((o) => (o.allowed ? o.number : 'refused')),
    [n0, n5, n2, n3, n4, FALLBACK, FALLBACK],
    'their own numbers back (free, held by their own tab, or ended); a number another visitor holds is not taken (n5 instead); ' +
      'the second tab and the new visitor find the pool empty',
  );
  const double = await db.query(
    `SELECT tracking_number_id FROM visitor_sessions WHERE kind = 'pool' AND released_at IS NULL AND held_until > now() GROUP BY 1 HAVING count(*) > 1`,
  );
  t.same(double.rows, [], 'no number held by two live sessions');
  const released = await db.query<{ id: number; released: boolean }>('SELECT id, released_at IS NOT NULL AS released FROM visitor_sessions WHERE id = ANY ($1::bigint[]) ORDER BY id', [
    [ownTab, ended],
  ]);
  t.same(released.rows.map((r) => r.released), [true, true], 'the own tab’s and the ended sessions are released');
});

t.test('many heartbeats in one statement: each answered as the single one would be', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 3 });
  await dniSite(api, { site: { domain: 'other.example.com', allowed_origins: ['https://other.example.com'] } });
  const db = api.db.pool;
  const open = async (ip: string, ua?: string) => (await askSession(api.app, { site: s.key, page: PAGE }, { ip, ...(ua ? { userAgent: ua } : {}) })).json().session as string;
  const live = await open('203.0.113.1');
  const bot = await open('203.0.113.2', 'curl/8.5.0');
  const expired = await open('203.0.113.3');
  const released = await open('203.0.113.4');
  await db.query(
    `WITH v AS (UPDATE visitor_sessions SET held_until = now() - interval '1 second' WHERE public_id = $1 RETURNING id)
     UPDATE tracking_numbers SET held_until = now() - interval '1 second' WHERE held_by_session_id = (SELECT id FROM v)`,
    [expired],
  );
  await db.query(
    `WITH v AS (UPDATE visitor_sessions SET released_at = now() WHERE public_id = $1 RETURNING id)
     UPDATE tracking_numbers SET held_by_session_id = NULL WHERE held_by_session_id = (SELECT id FROM v)`,
    [released],
  );
  await db.query(`UPDATE visitor_sessions SET held_until = now() + interval '10 seconds'`);
  await db.query(`UPDATE visitor_sessions SET held_until = now() - interval '1 second' WHERE public_id = $1`, [expired]);
  const out = await heartbeatMany(db, [
    { publicId: live, origin: ORIGIN },
    { publicId: bot, origin: ORIGIN },
    { publicId: expired, origin: ORIGIN },
    { publicId: released, origin: ORIGIN },
    { publicId: '3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b', origin: ORIGIN },
    { publicId: live, origin: 'https://other.example.com' },
    { publicId: live, origin: ORIGIN },
  ]);
  t.same(
    out.map((o) => (o.ok ? 'ok' : o.reason)),
    ['ok', 'ok', 'not_found', 'not_found', 'not_found', 'origin', 'ok'],
    'live pool and fallback sessions extended (twice in one batch is fine); expired, released and unknown not found; a foreign origin refused',
  );
  const rows = await db.query<{ public_id: string; ext: boolean; num_ext: boolean | null }>(
    `SELECT v.public_id, v.held_until > now() + interval '800 seconds' AS ext, t.held_until > now() + interval '800 seconds' AS num_ext
       FROM visitor_sessions v LEFT JOIN tracking_numbers t ON t.held_by_session_id = v.id WHERE v.public_id = ANY ($1::uuid[])`,
    [[live, bot, expired, released]],
  );
  const by = new Map(rows.rows.map((r) => [r.public_id, r]));
  t.same([by.get(live)!.ext, by.get(live)!.num_ext], [true, true], 'the live pool session and its number: held for the hold time again');
  t.same([by.get(bot)!.ext, by.get(bot)!.num_ext], [true, null], 'the fallback session: held again, no number');
  t.equal(by.get(expired)!.ext, false, 'the expired session is not brought back');
  t.equal(by.get(released)!.ext, false, 'nor the released one');
});

t.test('concurrent requests to one process: every rule holds when they are served together', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 30 });
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => askSession(api.app, { site: s.key, page: PAGE }, { ip: `203.0.113.${i + 1}` })));
  t.ok(answers.every((a) => a.statusCode === 200), 'all answered');
  const pool = answers.filter((a) => a.json().kind === 'pool').map((a) => a.json().number as string);
  t.equal(pool.length, 30, '30 pool numbers');
  t.equal(new Set(pool).size, 30, 'all distinct');
  t.equal(answers.filter((a) => a.json().kind === 'fallback').length, 10, '10 fallbacks');
  const beats = await Promise.all(answers.map((a) => sendHeartbeat(api.app, a.json().session)));
  t.ok(beats.every((b) => b.statusCode === 200), 'every heartbeat answered 200');
  const missing = await Promise.all(
    Array.from({ length: 10 }, (_, i) => sendHeartbeat(api.app, `3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a${String(i).padStart(2, '0')}`)),
  );
  t.ok(missing.every((b) => b.statusCode === 404), 'unknown sessions among them are 404');
  const double = await api.db.pool.query(
    `SELECT tracking_number_id FROM visitor_sessions WHERE kind = 'pool' AND released_at IS NULL AND held_until > now() GROUP BY 1 HAVING count(*) > 1`,
  );
  t.same(double.rows, [], 'no number held by two live sessions');
});
