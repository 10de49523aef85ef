// Bad input to the webhook and export settings API: a clear 4xx naming the
// field, and nothing stored.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { site } from '../../support/dni-fixtures.ts';

const SECRET_32 = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

t.test('webhook subscriptions refuse bad input, naming the field, and store nothing', async (t) => {
  const api = await testApi(t);
  const good = { url: 'https://hooks.example.com/ringpath', event_types: ['call.ended'] };
  // [case, body, field]
  const rows: Array<[string, unknown, string]> = [
    ['not a URL', { ...good, url: 'hooks example' }, '/url'],
    ['not http(s)', { ...good, url: 'ftp://hooks.example.com/x' }, '/url'],
    ['credentials in the URL', { ...good, url: 'https://u:p@hooks.example.com/x' }, '/url'],
    ['an unknown event type', { ...good, event_types: ['call.exploded'] }, '/event_types/0'],
    ['no event types', { ...good, event_types: [] }, '/event_types'],
    ['a secret of the wrong length', { ...good, secret: `whsec_${Buffer.alloc(16, 1).toString('base64')}` }, '/secret'],
    ['a secret without whsec_', { ...good, secret: Buffer.alloc(32, 1).toString('base64') }, '/secret'],
    ['an unknown field', { ...good, retries: 3 }, ''],
  ];
  for (const [name, body, field] of rows) {
    const res = await api.post('/api/v1/webhooks', body);
    t.equal(res.statusCode, 400, `${name}: 400`);
    const problem = res.json();
    t.equal(problem.code, 'VALIDATION_FAILED', name);
    if (field) t.ok(problem.errors.some((e: { field: string }) => e.field === field), `${name}: names ${field} (${JSON.stringify(problem.errors)})`);
  }
  const { rows: stored } = await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_endpoints');
  t.equal(stored[0]?.n, 0, 'nothing stored');

  const ok = await api.post('/api/v1/webhooks', { ...good, secret: SECRET_32 });
  t.equal(ok.statusCode, 201, 'a secret of its own, of the right length, is taken');
  t.equal(ok.json().secret, SECRET_32);
  const read = await api.get(`/api/v1/webhooks/${ok.json().id}`);
  t.notOk('secret' in read.json(), 'the secret is shown only once');
  const patch = await api.patch(`/api/v1/webhooks/${ok.json().id}`, { url: 'gopher://x' });
  t.equal(patch.statusCode, 400, 'a bad URL is refused on change too');
  t.equal((await api.get(`/api/v1/webhooks/${ok.json().id}`)).json().url, good.url, 'and the stored one is kept');
  t.equal((await api.get('/api/v1/webhooks/999')).statusCode, 404);
});

t.test('site export settings refuse bad input, naming the field, and store nothing', async (t) => {
  const api = await testApi(t);
  const siteId = await site(api.db.pool);
  const ga4 = { measurement_id: 'G-TEST1234', api_secret: 'mp-secret' };
  const ads = { feed_user: 'google-ads', feed_password: 'feed-password-0123456789' };
  // [case, body, field]
  const rows: Array<[string, unknown, string]> = [
    ['a bad measurement id', { ga4: { ...ga4, measurement_id: 'UA-12345-1' } }, '/ga4/measurement_id'],
    ['no API secret at first', { ga4: { measurement_id: 'G-TEST1234' } }, '/ga4/api_secret'],
    ['a reserved event name', { ga4: { ...ga4, event_name: 'session_start' } }, '/ga4/event_name'],
    ['an event name too long', { ga4: { ...ga4, conversion_event: 'x'.repeat(41) } }, '/ga4/conversion_event'],
    ['a negative talk time', { qualified_call: { min_talk_s: -1 } }, '/qualified_call/min_talk_s'],
    ['an unknown time zone', { google_ads: { ...ads, time_zone: 'Mars/Olympus' } }, '/google_ads/time_zone'],
    ['a short feed password', { google_ads: { ...ads, feed_password: 'short' } }, '/google_ads/feed_password'],
    ['a bad currency', { google_ads: { ...ads, currency: 'hryvnia' } }, '/google_ads/currency'],
  ];
  for (const [name, body, field] of rows) {
    const res = await api.put(`/api/v1/sites/${siteId}/exports`, body);
    t.equal(res.statusCode, 400, `${name}: 400`);
    t.ok(res.json().errors?.some((e: { field: string }) => e.field === field), `${name}: names ${field} (${JSON.stringify(res.json().errors)})`);
  }
  const { rows: stored } = await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM site_exports');
  t.equal(stored[0]?.n, 0, 'nothing stored');
  t.equal((await api.put('/api/v1/sites/9999/exports', { ga4 })).statusCode, 404, 'an unknown site is 404');

  const set = await api.put(`/api/v1/sites/${siteId}/exports`, { ga4 });
  t.match(set.json(), { ga4: { measurement_id: 'G-TEST1234', api_secret_set: true, event_name: 'phone_call', conversion_event: 'generate_lead' } });
  t.notOk(JSON.stringify(set.json()).includes('mp-secret'), 'the API secret is write-only');
  const bad = await api.put(`/api/v1/sites/${siteId}/exports`, { ga4: { measurement_id: 'nope' }, qualified_call: { min_talk_s: 5 } });
  t.equal(bad.statusCode, 400);
  t.match((await api.get(`/api/v1/sites/${siteId}/exports`)).json(), { ga4: { measurement_id: 'G-TEST1234' }, qualified_call: { min_talk_s: 30 } }, 'a refused change changes nothing');
});
