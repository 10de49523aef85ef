// The admin API's DNI settings of a site: origins, model, heartbeat, cap, the
// snippet, and source rules that reference static numbers only.
import t from 'tap';
import { testApi } from '../../support/app.ts';

const site = { name: 'Shop', domain: 'shop.example.com', fallback_number: '044 199 9999' };

t.test("a site's DNI settings: defaults, normalised origins, the snippet, updates", async (t) => {
  const api = await testApi(t, { PUBLIC_URL: 'https://calls.example.net/' });
  const created = await api.post('/api/v1/sites', site);
  t.equal(created.statusCode, 201, created.body);
  const b = created.json();
  t.same(
    [b.allowed_origins, b.attribution_model, b.heartbeat_s, b.max_sessions_per_ip, b.hold_time_s],
    [[], 'first_touch', 30, 20, 900],
    'defaults: no origin allowed, first touch, 30 s heartbeat, 20 live sessions per address, 15 min hold',
  );
  t.equal(b.snippet, `<script async src="https://calls.example.net/dni.js" data-site="${b.public_key}"></script>`, 'the tag to copy');
  t.equal((await api.get(`/api/v1/sites/${b.id}`)).json().snippet, b.snippet, "in the site's GET");

  const patched = await api.patch(`/api/v1/sites/${b.id}`, {
    allowed_origins: ['HTTPS://Shop.Example.com/', 'https://shop.example.com:443', 'http://localhost:3000'],
    attribution_model: 'last_non_direct',
    heartbeat_s: 15,
    max_sessions_per_ip: 5,
    swap_phone_texts: ['044 199 9999'],
    swap_selectors: ['.phone', 'a[href^="tel:"]'],
  });
  t.equal(patched.statusCode, 200, patched.body);
  const p = patched.json();
  t.same(p.allowed_origins, ['https://shop.example.com', 'http://localhost:3000'], 'origins as browsers send them, once each');
  t.same([p.attribution_model, p.heartbeat_s, p.max_sessions_per_ip], ['last_non_direct', 15, 5]);
  t.same(p.swap_phone_texts, ['044 199 9999']);
  t.equal(p.hold_time_s, 900, 'untouched fields kept');
  const doc = (await api.app.inject({ url: '/docs/json' })).json();
  t.ok(doc.paths['/api/v1/sites/{id}/source-rules'], 'source rules are in the OpenAPI document');
  t.ok(doc.paths['/dni/v1/sessions'], 'so is the public DNI API');
});

t.test('bad DNI settings are refused naming the field; nothing stored', async (t) => {
  const api = await testApi(t);
  // [case, body, field]
  const rows: Array<[string, Record<string, unknown>, string]> = [
    ['an origin with a path', { allowed_origins: ['https://shop.example.com/page'] }, '/allowed_origins/0'],
    ['a bare host', { allowed_origins: ['https://ok.example.com', 'shop.example.com'] }, '/allowed_origins/1'],
    ['a wildcard', { allowed_origins: ['*'] }, '/allowed_origins/0'],
    ['an unknown model', { attribution_model: 'linear' }, '/attribution_model'],
    ['a heartbeat too short', { heartbeat_s: 1 }, '/heartbeat_s'],
    ['a cap of zero', { max_sessions_per_ip: 0 }, '/max_sessions_per_ip'],
  ];
  for (const [name, extra, field] of rows) {
    const r = await api.post('/api/v1/sites', { ...site, ...extra });
    t.equal(r.statusCode, 400, `${name}: 400`);
    t.ok(r.json().errors.some((e: { field: string }) => e.field === field), `${name}: names ${field} (${r.json().detail})`);
  }
  t.equal((await api.get('/api/v1/sites')).json().total, 0, 'nothing stored');
});

t.test('source rules: a PUT of the ordered list; static numbers only', async (t) => {
  const api = await testApi(t);
  const s = (await api.post('/api/v1/sites', site)).json();
  const pool = (await api.post('/api/v1/pools', { site_id: s.id, name: 'p' })).json();
  await api.post(`/api/v1/pools/${pool.id}/numbers`, { numbers: ['+380442000000'] });
  const poolNumber = (await api.get(`/api/v1/tracking-numbers?pool_id=${pool.id}`)).json().items[0];
  const email = (await api.post('/api/v1/tracking-numbers', { number: '+380443000001', kind: 'static', source_name: 'Email' })).json();
  const partner = (await api.post('/api/v1/tracking-numbers', { number: '+380443000002', kind: 'static', source_name: 'Partner' })).json();
  const url = `/api/v1/sites/${s.id}/source-rules`;
  t.same((await api.get(url)).json(), { rules: [] }, 'none at first');

  const put = await api.put(url, {
    rules: [
      { field: 'utm_medium', value: 'email', tracking_number_id: email.id },
      { field: 'referrer_domain', value: 'partner.org', tracking_number_id: partner.id },
      { field: 'landing_path', value: '/promo', tracking_number_id: partner.id },
    ],
  });
  t.equal(put.statusCode, 200, put.body);
  t.same(put.json().rules, [
    { position: 0, field: 'utm_medium', value: 'email', tracking_number_id: email.id, number: '+380443000001' },
    { position: 1, field: 'referrer_domain', value: 'partner.org', tracking_number_id: partner.id, number: '+380443000002' },
    { position: 2, field: 'landing_path', value: '/promo', tracking_number_id: partner.id, number: '+380443000002' },
  ]);
  t.same((await api.get(url)).json(), put.json(), 'read back in order');

  const snapshot = put.json();
  // [case, rules, status, code, field]
  const bad: Array<[string, unknown[], number, string, string]> = [
    ['a pool number', [{ field: 'utm_source', value: 'x', tracking_number_id: poolNumber.id }], 422, 'TRACKING_NUMBER_NOT_STATIC', '/rules/0/tracking_number_id'],
    [
      'a missing number',
      [
        { field: 'utm_source', value: 'x', tracking_number_id: email.id },
        { field: 'utm_source', value: 'y', tracking_number_id: 999999 },
      ],
      422,
      'REFERENCE_NOT_FOUND',
      '/rules/1/tracking_number_id',
    ],
    ['an unknown field', [{ field: 'utm_colour', value: 'x', tracking_number_id: email.id }], 400, 'VALIDATION_FAILED', '/rules/0/field'],
    ['an empty value', [{ field: 'utm_source', value: '', tracking_number_id: email.id }], 400, 'VALIDATION_FAILED', '/rules/0/value'],
    ['a landing path without /', [{ field: 'landing_path', value: 'promo', tracking_number_id: email.id }], 400, 'VALIDATION_FAILED', '/rules/0/value'],
  ];
  for (const [name, rules, status, code, field] of bad) {
    const r = await api.put(url, { rules });
    t.equal(r.statusCode, status, `${name}: ${status}`);
    t.equal(r.json().code, code, `${name}: ${code}`);
    t.ok(r.json().errors.some((e: { field: string }) => e.field === field), `${name}: names ${field} (${r.json().detail})`);
    t.same((await api.get(url)).json(), snapshot, `${name}: the rules are unchanged`);
  }
  t.match((await api.put(url, { rules: [{ field: 'utm_source', value: 'x', tracking_number_id: poolNumber.id }] })).json().detail, /is a pool number/);
  t.equal((await api.put('/api/v1/sites/999999/source-rules', { rules: [] })).statusCode, 404, 'an unknown site');
  const cleared = await api.put(url, { rules: [] });
  t.same(cleared.json(), { rules: [] }, 'an empty list clears them');
});
