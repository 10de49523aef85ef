// Which number a session gets, on real PostgreSQL through the public API:
// rules, bots, returning visitors, the pool's oldest free number, exhaustion.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { CHROME, FALLBACK, PAGE, askSession, dniCounts, dniSite } from '../../support/dni.ts';

t.test('a session gets the free pool number released longest ago, never-used numbers first', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 4 });
  const [n0, n1, n2, n3] = s.numbers;
  // n0 released an hour ago, n1 a day ago, n2 never used (NULLS FIRST), n3 a minute ago
  await api.db.pool.query(
    `UPDATE tracking_numbers SET released_at = CASE number
       WHEN $1 THEN now() - interval '1 hour' WHEN $2 THEN now() - interval '1 day' WHEN $3 THEN NULL ELSE now() - interval '1 minute' END
     WHERE pool_id = $4`,
    [n0, n1, n2, s.poolId],
  );
  const got: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await askSession(api.app, { site: s.key, page: PAGE, referrer: '' }, { ip: `203.0.113.${i + 1}` });
    t.equal(r.statusCode, 200, r.body);
    t.equal(r.json().kind, 'pool');
    got.push(r.json().number);
  }
  t.same(got, [n2, n1, n0, n3], 'never used, then a day, an hour and a minute ago');
  const released = await api.db.pool.query<{ number: string; never: boolean; ago: string }>(
    `SELECT number, released_at IS NULL AS never, CASE WHEN released_at IS NULL THEN '' ELSE round(extract(epoch FROM now() - released_at) / 60)::text END AS ago
       FROM tracking_numbers WHERE pool_id = $1 ORDER BY number`,
    [s.poolId],
  );
  t.same(
    released.rows.map((r) => [r.number, r.never, r.ago]),
    [
      [n0, false, '60'],
      [n1, false, '1440'],
      [n2, true, ''],
      [n3, false, '1'],
    ],
    'taking a free number leaves its released_at as it was',
  );
  const held = await api.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tracking_numbers t JOIN visitor_sessions v ON v.id = t.held_by_session_id
      WHERE v.number = t.number AND v.kind = 'pool' AND v.released_at IS NULL`,
  );
  t.equal(held.rows[0]!.n, 4, 'each number is held by the session that shows it');
});

t.test('the answer: session, visitor, E.164 number, national display, kind, hold and heartbeat', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 1, site: { heartbeat_s: 20, hold_time_s: 600 } });
  const before = Date.now();
  const r = await askSession(api.app, { site: s.key, page: `${PAGE}?gclid=abc`, referrer: 'https://www.google.com/', ga: { client_id: '123.456', session_id: '789' } });
  t.equal(r.statusCode, 200, r.body);
  const b = r.json();
  t.match(b.session, /^[0-9a-f-]{36}$/, 'an opaque session id');
  t.match(b.visitor, /^[A-Za-z0-9_-]{16,64}$/, 'a random visitor id from the server');
  t.equal(b.number, '+380442000000');
  t.equal(b.display, '044 200 0000', 'the national format of the number’s country');
  t.equal(b.kind, 'pool');
  t.equal(b.heartbeat_s, 20);
  const held = Date.parse(b.held_until) - before;
  t.ok(held > 590_000 && held < 610_000, `held for the site's hold time (${held} ms)`);
  t.equal(r.headers['access-control-allow-origin'], 'https://shop.example.com', 'readable by the allowed origin');
  t.equal(r.headers['cache-control'], 'no-store');
  const row = await api.db.pool.query(
    `SELECT source, medium, gclid, ga_client_id, ga_session_id, referrer, landing_page, user_agent, host(ip) AS ip, visitor_key, kind::text
       FROM visitor_sessions WHERE public_id = $1`,
    [b.session],
  );
  t.same(row.rows[0], {
    source: 'google',
    medium: 'cpc',
    gclid: 'abc',
    ga_client_id: '123.456',
    ga_session_id: '789',
    referrer: 'https://www.google.com/',
    landing_page: `${PAGE}?gclid=abc`,
    user_agent: CHROME,
    ip: '127.0.0.1',
    visitor_key: b.visitor,
    kind: 'pool',
  });
  const two = await askSession(api.app, { site: s.key, page: PAGE });
  t.not(two.json().visitor, b.visitor, 'each new visitor gets an id of their own');
});

t.test('a returning visitor gets their previous number back when it is free', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 3 });
  const first = (await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.1' })).json();
  // their session ends; two others take numbers meanwhile
  await api.db.pool.query(`UPDATE visitor_sessions SET held_until = now() - interval '1 second' WHERE public_id = $1`, [first.session]);
  await api.db.pool.query(`UPDATE tracking_numbers SET held_until = now() - interval '1 second' WHERE number = $1`, [first.number]);
  const other = (await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.2' })).json();
  t.not(other.number, first.number, 'a new visitor takes a never-used number first');
  const back = (await askSession(api.app, { site: s.key, page: PAGE, visitor: first.visitor }, { ip: '203.0.113.1' })).json();
  t.equal(back.visitor, first.visitor, 'the visitor keeps their id');
  t.equal(back.number, first.number, 'and gets their previous number back');
  t.equal(back.kind, 'pool');

  // another page of the same visit, while their session still holds the number: the hold moves over
  const again = (await askSession(api.app, { site: s.key, page: `${PAGE}/2`, visitor: first.visitor }, { ip: '203.0.113.1' })).json();
  t.equal(again.number, first.number, 'the same number on the next page');
  const old = await api.db.pool.query<{ released: boolean }>('SELECT released_at IS NOT NULL AS released FROM visitor_sessions WHERE public_id = $1', [back.session]);
  t.ok(old.rows[0]!.released, 'the earlier session of the visit is released');
  const holder = await api.db.pool.query<{ public_id: string }>(
    'SELECT v.public_id FROM tracking_numbers t JOIN visitor_sessions v ON v.id = t.held_by_session_id WHERE t.number = $1',
    [first.number],
  );
  t.equal(holder.rows[0]!.public_id, again.session, 'the number is held by the newest session');

  // a previous number held by someone else: the oldest free one instead
  const taker = await api.db.pool.query<{ id: number }>(
    `INSERT INTO visitor_sessions (site_id, visitor_key, kind, number, tracking_number_id, held_until)
     SELECT $1, 'someone-else', 'pool', number, id, now() + interval '10 minutes' FROM tracking_numbers WHERE number = $2 RETURNING id`,
    [s.siteId, other.number],
  );
  await api.db.pool.query(`UPDATE tracking_numbers SET held_by_session_id = $1, held_until = now() + interval '10 minutes' WHERE number = $2`, [
    taker.rows[0]!.id,
    other.number,
  ]);
  await api.db.pool.query(`UPDATE visitor_sessions SET released_at = now() WHERE public_id = $1`, [other.session]);
  const busy = (await askSession(api.app, { site: s.key, page: PAGE, visitor: other.visitor }, { ip: '203.0.113.2' })).json();
  t.not(busy.number, other.number, 'their previous number is held by another session');
  t.equal(busy.kind, 'pool', 'so they get a free pool number');
});

t.test('a source rule gives its static number before the pool, and takes nothing from it', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 2 });
  const stat = await api.post('/api/v1/tracking-numbers', { number: '+380443000001', kind: 'static', source_name: 'Newsletter' });
  t.equal(stat.statusCode, 201, stat.body);
  const put = await api.put(`/api/v1/sites/${s.siteId}/source-rules`, {
    rules: [{ field: 'utm_source', value: 'newsletter', tracking_number_id: stat.json().id }],
  });
  t.equal(put.statusCode, 200, put.body);
  const before = await dniCounts(api.db.pool);
  const r = await askSession(api.app, { site: s.key, page: `${PAGE}?utm_source=Newsletter&utm_medium=email` });
  t.equal(r.statusCode, 200, r.body);
  t.equal(r.json().kind, 'static');
  t.equal(r.json().number, '+380443000001');
  t.equal(r.json().display, '044 300 0001');
  const after = await dniCounts(api.db.pool);
  t.equal(after.held, before.held, 'no pool number taken');
  t.equal(after.sessions, before.sessions + 1, 'the session is stored');
  const row = await api.db.pool.query('SELECT kind::text, tracking_number_id, number FROM visitor_sessions WHERE public_id = $1', [r.json().session]);
  t.same(row.rows[0], { kind: 'static', tracking_number_id: stat.json().id, number: '+380443000001' });
  const other = await askSession(api.app, { site: s.key, page: `${PAGE}?utm_source=google` });
  t.equal(other.json().kind, 'pool', 'a visit no rule matches gets a pool number');
  // a bot matching a rule: rules come first, and a static number takes nothing from the pool anyway
  const bot = await askSession(api.app, { site: s.key, page: `${PAGE}?utm_source=newsletter` }, { userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
  t.equal(bot.json().kind, 'static');
});

t.test('bots, crawlers, headless browsers and webdriver get the fallback; the pool is untouched', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 2 });
  // [case, user agent, webdriver]
  const rows: Array<[string, string | null, boolean]> = [
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', false],
    ['Bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', false],
    ['headless Chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36', false],
    ['curl', 'curl/8.5.0', false],
    ['python-requests', 'python-requests/2.31.0', false],
    ['a normal Chrome driven by webdriver', CHROME, true],
    ['no User-Agent', null, false],
  ];
  for (const [name, ua, webdriver] of rows) {
    const before = await dniCounts(api.db.pool);
    const r = await askSession(api.app, { site: s.key, page: PAGE, webdriver }, { userAgent: ua });
    t.equal(r.statusCode, 200, `${name}: 200`);
    t.equal(r.json().kind, 'fallback', `${name}: the fallback number`);
    t.equal(r.json().number, FALLBACK, `${name}: ${FALLBACK}`);
    const after = await dniCounts(api.db.pool);
    t.equal(after.held, before.held, `${name}: no pool number taken`);
    t.equal(after.exhausted, before.exhausted, `${name}: not counted as exhaustion`);
    t.equal(after.events, before.events + 1, `${name}: one 'bot' event`);
  }
  const reasons = await api.db.pool.query<{ fallback_reason: string; n: number }>(
    'SELECT fallback_reason, count(*)::int AS n FROM visitor_sessions GROUP BY fallback_reason',
  );
  t.same(reasons.rows, [{ fallback_reason: 'bot', n: rows.length }]);
  const events = await api.db.pool.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM dni_events GROUP BY kind');
  t.same(events.rows, [{ kind: 'bot', n: rows.length }]);
  const human = await askSession(api.app, { site: s.key, page: PAGE, webdriver: false });
  t.equal(human.json().kind, 'pool', 'a browser gets a pool number');
  const metrics = (await api.app.inject({ url: '/metrics' })).body;
  t.match(metrics, new RegExp(`ringpath_dni_bots_total\\{[^}]*\\} ${rows.length}\\b`), 'bots counted in /metrics');
  t.match(metrics, new RegExp(`ringpath_dni_sessions_total\\{kind="fallback"[^}]*\\} ${rows.length}\\b`), 'fallback sessions counted');
  t.match(metrics, /ringpath_dni_sessions_total\{kind="pool"[^}]*\} 1\b/, 'pool sessions counted');
});

t.test('an exhausted pool gives the fallback, counts the exhaustion and records the event', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 2 });
  for (let i = 0; i < 2; i++) t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { ip: `203.0.113.${i + 1}` })).json().kind, 'pool');
  const before = await dniCounts(api.db.pool);
  const r = await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.9' });
  t.equal(r.statusCode, 200);
  t.equal(r.json().kind, 'fallback');
  t.equal(r.json().number, FALLBACK);
  const after = await dniCounts(api.db.pool);
  t.equal(after.held, before.held, 'nothing more held');
  t.equal(after.exhausted, before.exhausted + 1, 'pools.exhausted_count + 1');
  const ev = await api.db.pool.query<{ kind: string }>('SELECT kind FROM dni_events');
  t.same(ev.rows, [{ kind: 'pool_exhausted' }], "a 'pool_exhausted' event");
  const row = await api.db.pool.query('SELECT kind::text, fallback_reason, tracking_number_id FROM visitor_sessions WHERE public_id = $1', [r.json().session]);
  t.same(row.rows[0], { kind: 'fallback', fallback_reason: 'pool_exhausted', tracking_number_id: null });
  const pool = await api.get(`/api/v1/pools/${s.poolId}`);
  t.equal(pool.json().exhausted_count, 1, 'the admin API shows the count');
  t.match((await api.app.inject({ url: '/metrics' })).body, /ringpath_dni_pool_exhausted_total\{[^}]*\} 1\b/, 'counted in /metrics');
});

t.test('a site without a pool gives its fallback number', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api);
  const r = await askSession(api.app, { site: s.key, page: PAGE });
  t.equal(r.statusCode, 200, r.body);
  t.same([r.json().kind, r.json().number], ['fallback', FALLBACK]);
  const row = await api.db.pool.query('SELECT fallback_reason FROM visitor_sessions');
  t.same(row.rows, [{ fallback_reason: 'no_pool' }]);
  t.equal((await dniCounts(api.db.pool)).events, 0, 'no exhaustion event for a site without a pool');
});

t.test('the stored source follows the site’s attribution model for a returning visitor', async (t) => {
  const api = await testApi(t);
  // [model, first visit, second visit, stored source/medium after the second]
  const rows: Array<[string, [string, string], [string, string], string]> = [
    ['first_touch', [`${PAGE}`, 'https://www.google.com/'], [`${PAGE}`, 'https://partner.org/'], 'google/organic'],
    ['first_touch', [`${PAGE}`, 'https://www.google.com/'], [`${PAGE}?gclid=1`, ''], 'google/cpc'],
    ['last_touch', [`${PAGE}?gclid=1`, ''], [`${PAGE}`, ''], '(direct)/(none)'],
    ['last_non_direct', [`${PAGE}?gclid=1`, ''], [`${PAGE}`, ''], 'google/cpc'],
    ['last_non_direct', [`${PAGE}?gclid=1`, ''], [`${PAGE}`, 'https://www.facebook.com/'], 'facebook.com/social'],
  ];
  let i = 0;
  for (const [model, [p1, r1], [p2, r2], want] of rows) {
    const s = await dniSite(api, { pool: 2, numbersFrom: 10 * i, site: { attribution_model: model, domain: `shop${i++}.example.com` } });
    const one = (await askSession(api.app, { site: s.key, page: p1, referrer: r1 })).json();
    const two = (await askSession(api.app, { site: s.key, page: p2, referrer: r2, visitor: one.visitor })).json();
    const row = await api.db.pool.query<{ sm: string }>(`SELECT source || '/' || medium AS sm FROM visitor_sessions WHERE public_id = $1`, [two.session]);
    t.equal(row.rows[0]!.sm, want, `${model}: ${p1} ${r1} then ${p2} ${r2} → ${want}`);
  }
});
