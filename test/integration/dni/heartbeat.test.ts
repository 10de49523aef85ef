// Holds: heartbeats extend them, expiry ends them (404), the sweep releases them,
// and allocation reuses an expired hold without waiting for the sweep.
import t from 'tap';
import { sweepExpiredHolds } from '../../../src/db/repositories/dni-sessions.ts';
import { testApi } from '../../support/app.ts';
import { PAGE, askSession, dniSite, sendHeartbeat } from '../../support/dni.ts';

/** Move a session's hold (and its number's) into the past, as time passing would. */
async function expire(db: import('pg').Pool, session: string, secondsAgo = 1): Promise<void> {
  await db.query(
    `WITH v AS (UPDATE visitor_sessions SET held_until = now() - make_interval(secs => $2) WHERE public_id = $1 RETURNING id)
     UPDATE tracking_numbers SET held_until = now() - make_interval(secs => $2) WHERE held_by_session_id = (SELECT id FROM v)`,
    [session, secondsAgo],
  );
}

t.test('a heartbeat moves the hold to now + the hold time, on the session and its number', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 2, site: { hold_time_s: 300 } });
  const open = (await askSession(api.app, { site: s.key, page: PAGE })).json();
  // as if the session had been opened four minutes ago
  await api.db.pool.query(
    `WITH v AS (UPDATE visitor_sessions SET held_until = now() + interval '60 seconds' WHERE public_id = $1 RETURNING id)
     UPDATE tracking_numbers SET held_until = now() + interval '60 seconds' WHERE held_by_session_id = (SELECT id FROM v)`,
    [open.session],
  );
  const before = Date.now();
  const hb = await sendHeartbeat(api.app, open.session);
  t.equal(hb.statusCode, 200, hb.body);
  const until = Date.parse(hb.json().held_until);
  t.ok(until - before > 290_000 && until - before < 310_000, `held for 300 s more (${until - before} ms)`);
  t.equal(hb.headers['access-control-allow-origin'], 'https://shop.example.com');
  const rows = await api.db.pool.query<{ session: Date; number: Date; beat: boolean }>(
    `SELECT v.held_until AS session, t.held_until AS number, v.last_heartbeat_at IS NOT NULL AS beat
       FROM visitor_sessions v JOIN tracking_numbers t ON t.held_by_session_id = v.id WHERE v.public_id = $1`,
    [open.session],
  );
  t.equal(rows.rows[0]!.session.toISOString(), hb.json().held_until, "the session's hold");
  t.equal(rows.rows[0]!.number.toISOString(), hb.json().held_until, "the number's hold");
  t.ok(rows.rows[0]!.beat);

  const stat = await api.post('/api/v1/tracking-numbers', { number: '+380443000002', kind: 'static', source_name: 'Email' });
  await api.put(`/api/v1/sites/${s.siteId}/source-rules`, { rules: [{ field: 'utm_medium', value: 'email', tracking_number_id: stat.json().id }] });
  const st = (await askSession(api.app, { site: s.key, page: `${PAGE}?utm_source=n&utm_medium=email` })).json();
  t.equal(st.kind, 'static');
  t.equal((await sendHeartbeat(api.app, st.session)).statusCode, 200, 'a static session takes heartbeats too');
  const fb = (await askSession(api.app, { site: s.key, page: PAGE }, { userAgent: 'curl/8.5.0' })).json();
  t.equal((await sendHeartbeat(api.app, fb.session)).statusCode, 200, 'and so does a fallback session');
});

t.test('unknown, malformed, expired and released sessions are 404, and nothing changes', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 2 });
  const expired = (await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.1' })).json();
  const released = (await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.2' })).json();
  await expire(api.db.pool, expired.session);
  await api.db.pool.query(
    `WITH v AS (UPDATE visitor_sessions SET released_at = now() WHERE public_id = $1 RETURNING id)
     UPDATE tracking_numbers SET held_by_session_id = NULL, released_at = now() WHERE held_by_session_id = (SELECT id FROM v)`,
    [released.session],
  );
  const snapshot = () => api.db.pool.query('SELECT public_id, held_until, released_at, last_heartbeat_at FROM visitor_sessions ORDER BY id');
  const before = (await snapshot()).rows;
  // [case, session id]
  const rows: Array<[string, string]> = [
    ['unknown', '3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b'],
    ['malformed', 'not-a-session'],
    ['expired', expired.session],
    ['released', released.session],
  ];
  for (const [name, id] of rows) {
    const r = await sendHeartbeat(api.app, id);
    t.equal(r.statusCode, 404, `${name}: 404`);
    t.equal(r.json().code, 'SESSION_NOT_FOUND', `${name}: SESSION_NOT_FOUND`);
    t.match(r.json().detail, /open a new session/, `${name}: says what to do`);
    t.equal(r.headers['access-control-allow-origin'], 'https://shop.example.com', `${name}: the snippet can read the 404`);
  }
  t.same((await snapshot()).rows, before, 'no session changed');
  const metrics = (await api.app.inject({ url: '/metrics' })).body;
  t.match(metrics, /ringpath_dni_refused_total\{reason="session_not_found"[^}]*\} 4\b/, 'refusals counted by reason');
});

t.test('a heartbeat from an origin the session’s site does not allow is refused and extends nothing', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 1 });
  await dniSite(api, { site: { domain: 'other.example.com', allowed_origins: ['https://other.example.com'] } });
  const open = (await askSession(api.app, { site: s.key, page: PAGE })).json();
  const held = async () => (await api.db.pool.query('SELECT held_until FROM visitor_sessions WHERE public_id = $1', [open.session])).rows[0];
  const before = await held();
  const other = await sendHeartbeat(api.app, open.session, { origin: 'https://other.example.com' });
  t.equal(other.statusCode, 403);
  t.equal(other.json().code, 'ORIGIN_NOT_ALLOWED');
  const none = await sendHeartbeat(api.app, open.session, { origin: null });
  t.equal(none.statusCode, 403);
  t.equal(none.json().code, 'ORIGIN_REQUIRED');
  t.same(await held(), before, 'the hold is unchanged');
});

t.test('the sweep releases expired holds: the number is free again, released when its hold ended', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 3 });
  const a = (await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.1' })).json();
  const b = (await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.2' })).json();
  const bot = (await askSession(api.app, { site: s.key, page: PAGE }, { userAgent: 'curl/8.5.0' })).json();
  await expire(api.db.pool, a.session, 120);
  await expire(api.db.pool, bot.session, 60);
  const ended = (await api.db.pool.query<{ held_until: Date }>('SELECT held_until FROM visitor_sessions WHERE public_id = $1', [a.session])).rows[0]!
    .held_until;

  const r = await sweepExpiredHolds(api.db.pool);
  t.same(r, { ran: true, numbers: 1, sessions: 2 }, 'one number and two sessions (the pool one and the fallback one) released');
  const num = await api.db.pool.query<{ held_by_session_id: number | null; released_at: Date; held_until: Date | null }>(
    'SELECT held_by_session_id, released_at, held_until FROM tracking_numbers WHERE number = $1',
    [a.number],
  );
  t.equal(num.rows[0]!.held_by_session_id, null, 'the number is free');
  t.equal(num.rows[0]!.released_at.toISOString(), ended.toISOString(), 'released_at = the end of its hold');
  const sessions = await api.db.pool.query<{ public_id: string; released_at: Date | null; held_until: Date }>(
    'SELECT public_id, released_at, held_until FROM visitor_sessions ORDER BY id',
  );
  const by = new Map(sessions.rows.map((x) => [x.public_id, x]));
  t.equal(by.get(a.session)!.released_at?.toISOString(), by.get(a.session)!.held_until.toISOString(), 'the expired session is released when its hold ended');
  t.equal(by.get(bot.session)!.released_at?.toISOString(), by.get(bot.session)!.held_until.toISOString(), 'so is an expired fallback session');
  t.equal(by.get(b.session)!.released_at, null, 'a live session is left alone');
  const still = await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tracking_numbers WHERE number = $1 AND held_by_session_id IS NOT NULL', [b.number]);
  t.equal(still.rows[0]!.n, 1, 'its number stays held');
  t.equal((await sendHeartbeat(api.app, a.session)).statusCode, 404, 'a released session takes no heartbeat');
  t.same(await sweepExpiredHolds(api.db.pool), { ran: true, numbers: 0, sessions: 0 }, 'a second sweep finds nothing');
});

t.test('only one process sweeps at a time', async (t) => {
  const api = await testApi(t);
  const c = await api.db.pool.connect();
  t.teardown(() => c.release());
  await c.query('BEGIN');
  await c.query('SELECT pg_advisory_xact_lock($1)', [0x72_70_64_6e]);
  t.same(await sweepExpiredHolds(api.db.pool), { ran: false, numbers: 0, sessions: 0 }, 'another holder of the sweep lock: this sweep stands aside');
  await c.query('ROLLBACK');
  t.equal((await sweepExpiredHolds(api.db.pool)).ran, true, 'free again: it sweeps');
});

t.test('allocation takes a number whose hold has run out without waiting for the sweep', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 1 });
  const first = (await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.1' })).json();
  t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.2' })).json().kind, 'fallback', 'one number, held: the next gets the fallback');
  await expire(api.db.pool, first.session, 30);
  const next = await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.3' });
  t.equal(next.json().kind, 'pool', 'the expired hold is taken');
  t.equal(next.json().number, first.number);
  const old = await api.db.pool.query<{ released: boolean; at_end: boolean }>(
    'SELECT released_at IS NOT NULL AS released, released_at = held_until AS at_end FROM visitor_sessions WHERE public_id = $1',
    [first.session],
  );
  t.same(old.rows[0], { released: true, at_end: true }, 'the expired session is released as of the end of its hold');
  const live = await api.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM visitor_sessions WHERE tracking_number_id IS NOT NULL AND kind = 'pool' AND released_at IS NULL AND held_until > now()`,
  );
  t.equal(live.rows[0]!.n, 1, 'one live session holds the number');
  t.equal((await sendHeartbeat(api.app, first.session)).statusCode, 404, 'the old session gets 404');
  t.equal((await sendHeartbeat(api.app, next.json().session)).statusCode, 200, 'the new one gets its heartbeat');
});
