// GET /dni/v1/amp: the JSON amp-call-tracking reads, under AMP's CORS rules.
import t from 'tap';
import { ampPage } from '../../../src/http/routes/dni.ts';
import { testApi } from '../../support/app.ts';
import { CHROME, FALLBACK, ORIGIN, dniCounts, dniSite } from '../../support/dni.ts';

const CACHE = 'https://shop-example-com.cdn.ampproject.org';

t.test('the page an AMP request is for', async (t) => {
  // [Referer, __amp_source_origin, page]
  const rows: Array<[string | undefined, string | undefined, string | undefined]> = [
    ['https://shop.example.com/amp/phones?utm_source=x', ORIGIN, 'https://shop.example.com/amp/phones?utm_source=x'],
    [`${CACHE}/c/s/shop.example.com/amp/phones?gclid=1`, ORIGIN, 'https://shop.example.com/amp/phones?gclid=1'],
    [`${CACHE}/c/shop.example.com/amp/p`, ORIGIN, 'http://shop.example.com/amp/p'],
    [`${CACHE}/v/s/shop.example.com/amp/p`, ORIGIN, 'https://shop.example.com/'],
    ['not a url', ORIGIN, 'https://shop.example.com/'],
    [undefined, ORIGIN, 'https://shop.example.com/'],
    [undefined, undefined, undefined],
  ];
  for (const [referer, source, page] of rows) t.equal(ampPage(referer, source), page, `${referer} ${source} → ${page}`);
});

t.test('an AMP page gets a pool number with the headers AMP requires', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 2 });
  const get = (headers: Record<string, string>, query = `site=${s.key}&__amp_source_origin=${encodeURIComponent(ORIGIN)}`) =>
    api.app.inject({ method: 'GET', url: `/dni/v1/amp?${query}`, headers: { 'user-agent': CHROME, ...headers } });

  const direct = await get({ origin: ORIGIN, referer: 'https://shop.example.com/amp/phones?gclid=abc' });
  t.equal(direct.statusCode, 200, direct.body);
  t.same(direct.json(), { phoneNumber: '+380442000000', formattedPhoneNumber: '044 200 0000' });
  t.equal(direct.headers['access-control-allow-origin'], ORIGIN);
  t.equal(direct.headers['access-control-allow-credentials'], 'true');
  t.equal(direct.headers['amp-access-control-allow-source-origin'], ORIGIN);
  t.match(String(direct.headers['access-control-expose-headers']), /AMP-Access-Control-Allow-Source-Origin/);
  const row = await api.db.pool.query('SELECT kind::text, source, medium, landing_page FROM visitor_sessions');
  t.same(row.rows, [{ kind: 'pool', source: 'google', medium: 'cpc', landing_page: 'https://shop.example.com/amp/phones?gclid=abc' }], 'the session is stored with the page’s source');

  const cached = await get({ origin: CACHE, referer: `${CACHE}/c/s/shop.example.com/amp/phones` });
  t.equal(cached.statusCode, 200, 'served from the AMP cache');
  t.equal(cached.json().phoneNumber, '+380442000001');
  t.equal(cached.headers['access-control-allow-origin'], CACHE);
  t.equal(cached.headers['amp-access-control-allow-source-origin'], ORIGIN);

  const exhausted = await get({ origin: ORIGIN, referer: 'https://shop.example.com/amp' });
  t.same(exhausted.json(), { phoneNumber: FALLBACK, formattedPhoneNumber: '044 199 9999' }, 'an exhausted pool gives the fallback');
});

t.test('AMP refusals: 4xx with a problem; nothing stored, pool untouched', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 2 });
  const before = await dniCounts(api.db.pool);
  const src = encodeURIComponent(ORIGIN);
  // [case, query, headers, status, code]
  const rows: Array<[string, string, Record<string, string>, number, string]> = [
    ['unknown site', `site=pk_nope&__amp_source_origin=${src}`, { origin: ORIGIN }, 404, 'SITE_NOT_FOUND'],
    ['no site', `__amp_source_origin=${src}`, { origin: ORIGIN }, 400, 'VALIDATION_FAILED'],
    ['a source origin the site does not allow', `site=${s.key}&__amp_source_origin=${encodeURIComponent('https://evil.example')}`, { origin: CACHE }, 403, 'ORIGIN_NOT_ALLOWED'],
    ['another origin', `site=${s.key}`, { origin: 'https://evil.example' }, 403, 'ORIGIN_NOT_ALLOWED'],
    ['an AMP cache without a source origin', `site=${s.key}`, { origin: CACHE }, 403, 'ORIGIN_NOT_ALLOWED'],
    ['a look-alike cache', `site=${s.key}&__amp_source_origin=${src}`, { origin: 'https://shop-example-com.cdn.ampproject.org.evil.example' }, 403, 'ORIGIN_NOT_ALLOWED'],
    ['no Origin and no AMP-Same-Origin', `site=${s.key}&__amp_source_origin=${src}`, {}, 403, 'ORIGIN_REQUIRED'],
  ];
  for (const [name, query, headers, status, code] of rows) {
    const r = await api.app.inject({ method: 'GET', url: `/dni/v1/amp?${query}`, headers: { 'user-agent': CHROME, ...headers } });
    t.equal(r.statusCode, status, `${name}: ${status}`);
    t.equal(r.json().code, code, `${name}: ${code} (${r.json().detail})`);
    t.same(await dniCounts(api.db.pool), before, `${name}: nothing stored, pool untouched`);
  }
  const same = await api.app.inject({
    method: 'GET',
    url: `/dni/v1/amp?site=${s.key}&__amp_source_origin=${src}`,
    headers: { 'user-agent': CHROME, 'amp-same-origin': 'true' },
  });
  t.equal(same.statusCode, 200, 'AMP-Same-Origin: true with an allowed source origin is served');
  const bot = await api.app.inject({
    method: 'GET',
    url: `/dni/v1/amp?site=${s.key}`,
    headers: { origin: ORIGIN, 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
  });
  t.same(bot.json(), { phoneNumber: FALLBACK, formattedPhoneNumber: '044 199 9999' }, 'a crawler gets the fallback');
});
