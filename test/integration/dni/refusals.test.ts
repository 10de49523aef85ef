// Every refusal of the public DNI API: a clear problem naming what is wrong, and
// nothing stored or taken from the pool (counted in SQL before and after).
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { ORIGIN, PAGE, askSession, dniCounts, dniSite } from '../../support/dni.ts';

t.test('bad input: each case a clear 4xx naming what is wrong; nothing stored, pool untouched', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 3 });
  await dniSite(api, { site: { domain: 'other.example.com', allowed_origins: ['https://other.example.com'] } });
  const ok = { site: s.key, page: PAGE, referrer: '' };
  const before = await dniCounts(api.db.pool);
  // [case, request, status, code, field or detail fragment]
  const rows: Array<[string, () => ReturnType<typeof askSession>, number, string, string | RegExp]> = [
    ['unknown site key', () => askSession(api.app, { ...ok, site: 'pk_nope' }), 404, 'SITE_NOT_FOUND', '/site'],
    ['an origin the site does not allow', () => askSession(api.app, ok, { origin: 'https://evil.example' }), 403, 'ORIGIN_NOT_ALLOWED', /https:\/\/evil\.example/],
    ["another site's origin", () => askSession(api.app, ok, { origin: 'https://other.example.com' }), 403, 'ORIGIN_NOT_ALLOWED', /other\.example\.com/],
    ['same host, other scheme', () => askSession(api.app, ok, { origin: 'http://shop.example.com' }), 403, 'ORIGIN_NOT_ALLOWED', /http:\/\/shop/],
    ['same host, other port', () => askSession(api.app, ok, { origin: 'https://shop.example.com:8443' }), 403, 'ORIGIN_NOT_ALLOWED', /8443/],
    ['no Origin header', () => askSession(api.app, ok, { origin: null }), 403, 'ORIGIN_REQUIRED', /Origin header/],
    ['Origin: null', () => askSession(api.app, ok, { origin: 'null' }), 403, 'ORIGIN_NOT_ALLOWED', /null/],
    ['a relative page', () => askSession(api.app, { ...ok, page: '/catalog?utm_source=x' }), 400, 'PAGE_INVALID', '/page'],
    ['a javascript: page', () => askSession(api.app, { ...ok, page: 'javascript:alert(1)' }), 400, 'PAGE_INVALID', '/page'],
    ['a page that is not a URL', () => askSession(api.app, { ...ok, page: 'hello' }), 400, 'PAGE_INVALID', '/page'],
    ['a page longer than 4,096 characters', () => askSession(api.app, { ...ok, page: `${PAGE}?q=${'x'.repeat(5000)}` }), 400, 'VALIDATION_FAILED', '/page'],
    ['no page', () => askSession(api.app, { site: s.key }), 400, 'VALIDATION_FAILED', '/page'],
    ['no site', () => askSession(api.app, { page: PAGE }), 400, 'VALIDATION_FAILED', '/site'],
    ['an unknown field', () => askSession(api.app, { ...ok, colour: 'red' }), 400, 'VALIDATION_FAILED', '/colour'],
    ['webdriver not a boolean', () => askSession(api.app, { ...ok, webdriver: 'yes' }), 400, 'VALIDATION_FAILED', '/webdriver'],
    ['a malformed visitor id', () => askSession(api.app, { ...ok, visitor: 'has spaces and ;' }), 400, 'VALIDATION_FAILED', '/visitor'],
    ['an unknown ga field', () => askSession(api.app, { ...ok, ga: { cid: 1 } }), 400, 'VALIDATION_FAILED', '/ga/cid'],
    [
      'malformed JSON',
      () => api.app.inject({ method: 'POST', url: '/dni/v1/sessions', headers: { origin: ORIGIN, 'content-type': 'application/json' }, payload: '{"site": ' }),
      400,
      'INVALID_JSON',
      /line 1, column 10/,
    ],
    [
      'a JSON array',
      () => api.app.inject({ method: 'POST', url: '/dni/v1/sessions', headers: { origin: ORIGIN, 'content-type': 'application/json' }, payload: '[1,2]' }),
      400,
      'VALIDATION_FAILED',
      /object/,
    ],
    [
      'an empty body',
      () => api.app.inject({ method: 'POST', url: '/dni/v1/sessions', headers: { origin: ORIGIN, 'content-type': 'application/json' }, payload: '' }),
      400,
      'VALIDATION_FAILED',
      /object/,
    ],
    [
      'a body over 8 kB',
      () =>
        api.app.inject({
          method: 'POST',
          url: '/dni/v1/sessions',
          headers: { origin: ORIGIN, 'content-type': 'application/json' },
          payload: JSON.stringify({ ...ok, referrer: 'x'.repeat(9000) }),
        }),
      413,
      'BODY_TOO_LARGE',
      /too large/,
    ],
    [
      'a form instead of JSON',
      () =>
        api.app.inject({
          method: 'POST',
          url: '/dni/v1/sessions',
          headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          payload: `site=${s.key}`,
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /application\/json/,
    ],
  ];
  for (const [name, send, status, code, what] of rows) {
    const r = await send();
    t.equal(r.statusCode, status, `${name}: ${status}`);
    t.match(r.headers['content-type'], /application\/problem\+json/, `${name}: a problem`);
    const p = r.json();
    t.equal(p.code, code, `${name}: ${code}`);
    if (typeof what === 'string') t.ok(p.errors?.some((e: { field: string }) => e.field === what), `${name}: names ${what} (${p.detail})`);
    else t.match(p.detail, what, `${name}: ${p.detail}`);
    t.same(await dniCounts(api.db.pool), before, `${name}: nothing stored, pool untouched`);
  }
  const metrics = (await api.app.inject({ url: '/metrics' })).body;
  t.match(metrics, /ringpath_dni_refused_total\{reason="origin_refused"[^}]*\} 6\b/, 'origin refusals counted');
  t.match(metrics, /ringpath_dni_refused_total\{reason="unknown_site"[^}]*\} 1\b/, 'unknown sites counted');
  t.match(metrics, /ringpath_dni_refused_total\{reason="bad_page"[^}]*\} 3\b/, 'bad pages counted');
  t.match(metrics, /ringpath_dni_refused_total\{reason="bad_request"[^}]*\} 12\b/, 'bad requests counted');
});

t.test('the body may come as text/plain (no preflight); it is still JSON', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 1 });
  const r = await api.app.inject({
    method: 'POST',
    url: '/dni/v1/sessions',
    headers: { origin: ORIGIN, 'content-type': 'text/plain;charset=UTF-8', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0' },
    payload: JSON.stringify({ site: s.key, page: PAGE, referrer: '' }),
  });
  t.equal(r.statusCode, 200, r.body);
  t.equal(r.json().kind, 'pool');
});

t.test('CORS preflight: allowed origins get the methods and headers; any other origin a 403', async (t) => {
  const api = await testApi(t);
  await dniSite(api, { pool: 1 });
  const before = await dniCounts(api.db.pool);
  for (const url of ['/dni/v1/sessions', '/dni/v1/sessions/3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b/heartbeat']) {
    const pre = (origin?: string) =>
      api.app.inject({
        method: 'OPTIONS',
        url,
        headers: { ...(origin ? { origin } : {}), 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await pre(ORIGIN);
    t.equal(ok.statusCode, 204, `${url}: allowed origin 204`);
    t.equal(ok.headers['access-control-allow-origin'], ORIGIN);
    t.match(String(ok.headers['access-control-allow-methods']), /POST/);
    t.match(String(ok.headers['access-control-allow-headers']), /Content-Type/i);
    t.match(String(ok.headers.vary), /Origin/);
    const evil = await pre('https://evil.example');
    t.equal(evil.statusCode, 403, `${url}: other origin 403`);
    t.equal(evil.json().code, 'ORIGIN_NOT_ALLOWED');
    t.equal(evil.headers['access-control-allow-origin'], undefined, `${url}: no CORS headers for it`);
    const none = await pre();
    t.equal(none.statusCode, 403, `${url}: no origin 403`);
    t.equal(none.json().code, 'ORIGIN_REQUIRED');
  }
  t.same(await dniCounts(api.db.pool), before, 'preflights store nothing');
  const refused = await askSession(api.app, { site: 'pk_x', page: PAGE }, { origin: 'https://evil.example' });
  t.equal(refused.headers['access-control-allow-origin'], undefined, 'a refused origin cannot read the answer');
});

t.test('a site’s origins apply at once after an admin change', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 2 });
  t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { origin: 'https://www.shop.example.com' })).statusCode, 403);
  const patch = await api.patch(`/api/v1/sites/${s.siteId}`, { allowed_origins: [ORIGIN, 'https://www.shop.example.com'] });
  t.equal(patch.statusCode, 200, patch.body);
  const r = await askSession(api.app, { site: s.key, page: PAGE }, { origin: 'https://www.shop.example.com' });
  t.equal(r.statusCode, 200, 'the new origin is allowed');
  t.equal(r.headers['access-control-allow-origin'], 'https://www.shop.example.com');
});

t.test('the live-session cap per address: 429, one ip_cap event, nothing else stored, pool untouched', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 5, site: { max_sessions_per_ip: 2 } });
  for (let i = 0; i < 2; i++) t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { ip: '198.51.100.7' })).statusCode, 200);
  const before = await dniCounts(api.db.pool);
  const r = await askSession(api.app, { site: s.key, page: PAGE }, { ip: '198.51.100.7' });
  t.equal(r.statusCode, 429);
  t.equal(r.json().code, 'TOO_MANY_SESSIONS');
  t.match(r.json().detail, /already has 2 live sessions/);
  const after = await dniCounts(api.db.pool);
  t.same(after, { ...before, events: before.events + 1 }, 'no session, no number: only the event');
  const ev = await api.db.pool.query<{ kind: string }>('SELECT kind FROM dni_events');
  t.same(ev.rows, [{ kind: 'ip_cap' }]);
  const bot = await askSession(api.app, { site: s.key, page: PAGE }, { ip: '198.51.100.7', userAgent: 'curl/8.5.0' });
  t.equal(bot.statusCode, 429, 'the cap holds for bots too');
  t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { ip: '198.51.100.8' })).statusCode, 200, 'another address is not capped');
  // an expired session no longer counts
  await api.db.pool.query(`UPDATE visitor_sessions SET held_until = now() - interval '1 second' WHERE host(ip) = '198.51.100.7'`);
  t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { ip: '198.51.100.7' })).statusCode, 200, 'expired sessions do not count');
  t.match((await api.app.inject({ url: '/metrics' })).body, /ringpath_dni_refused_total\{reason="ip_cap"[^}]*\} 2\b/);
});

t.test('the per-address rate limit: 429 with Retry-After, nothing stored, other addresses unaffected', async (t) => {
  const api = await testApi(t, { DNI_RATE_LIMIT: '3' });
  const s = await dniSite(api, { pool: 5 });
  for (let i = 0; i < 3; i++) t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { ip: '198.51.100.20' })).statusCode, 200);
  const before = await dniCounts(api.db.pool);
  const r = await askSession(api.app, { site: s.key, page: PAGE }, { ip: '198.51.100.20' });
  t.equal(r.statusCode, 429);
  t.equal(r.json().code, 'RATE_LIMITED');
  t.match(r.json().detail, /at most 3 a minute/);
  t.ok(Number(r.headers['retry-after']) > 0, 'Retry-After says when');
  t.equal(r.headers['access-control-allow-origin'], ORIGIN, 'the snippet can read it');
  const hb = await api.app.inject({ method: 'POST', url: '/dni/v1/sessions/3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b/heartbeat', headers: { origin: ORIGIN, 'x-forwarded-for': '198.51.100.20' } });
  t.equal(hb.statusCode, 429, 'heartbeats count against the same limit');
  t.same(await dniCounts(api.db.pool), before, 'nothing stored, pool untouched');
  t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { ip: '198.51.100.21' })).statusCode, 200, 'another address is not limited');
  t.match((await api.app.inject({ url: '/metrics' })).body, /ringpath_dni_refused_total\{reason="rate_limited"[^}]*\} 2\b/);
});

t.test("the client address: X-Forwarded-For from a trusted proxy only, the proxy's own entries skipped", async (t) => {
  // [case, env, X-Forwarded-For, stored address]
  const rows: Array<[string, Record<string, string>, string, string]> = [
    ['default: loopback is a trusted proxy', {}, '198.51.100.30', '198.51.100.30'],
    ['a client-made entry before the real one is ignored', {}, '1.2.3.4, 198.51.100.31', '198.51.100.31'],
    ['the last untrusted address of a proxy chain', { TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' }, '198.51.100.32, 10.1.2.3', '198.51.100.32'],
    ['TRUSTED_PROXIES=none: the header is ignored', { TRUSTED_PROXIES: 'none' }, '198.51.100.33', '127.0.0.1'],
    ['a proxy that is not the peer is not trusted', { TRUSTED_PROXIES: '192.0.2.1' }, '198.51.100.34', '127.0.0.1'],
  ];
  for (const [name, env, xff, stored] of rows) {
    const api = await testApi(t, env);
    const s = await dniSite(api, { pool: 1 });
    const r = await askSession(api.app, { site: s.key, page: PAGE }, { ip: xff });
    t.equal(r.statusCode, 200, `${name}: 200`);
    const ip = await api.db.pool.query<{ ip: string }>('SELECT host(ip) AS ip FROM visitor_sessions WHERE public_id = $1', [r.json().session]);
    t.equal(ip.rows[0]!.ip, stored, `${name}: ${stored}`);
  }
});
