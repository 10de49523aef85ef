import t from 'tap';
import { testApi } from '../../support/app.ts';

t.test('/healthz answers without a database round trip', async (t) => {
  const api = await testApi(t);
  const res = await api.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok' });
});

t.test('/readyz checks the database', async (t) => {
  const api = await testApi(t);
  const ok = await api.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { status: 'ready', checks: { database: 'ok' } });
  await api.db.pool.end();
  const down = await api.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(down.statusCode, 503, 'not ready once the database is gone');
  t.equal(down.json().status, 'not ready');
  t.not(down.json().checks.database, 'ok');
});

t.test('/metrics is Prometheus text with HTTP and process metrics', async (t) => {
  const api = await testApi(t);
  await api.get('/api/v1/sites');
  const res = await api.app.inject({ method: 'GET', url: '/metrics' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/plain/);
  t.match(res.body, /# TYPE ringpath_http_requests_total counter/);
  t.match(res.body, /ringpath_http_requests_total\{[^}]*route="\/api\/v1\/sites\/?"[^}]*status="200"[^}]*\} 1/);
  t.match(res.body, /process_cpu_user_seconds_total/);
});

t.test('the OpenAPI document lists the API and its security', async (t) => {
  const api = await testApi(t);
  const res = await api.app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(res.statusCode, 200);
  const doc = res.json();
  t.equal(doc.openapi, '3.1.0');
  t.ok(doc.paths['/api/v1/sites/'], 'sites collection documented');
  t.ok(doc.paths['/api/v1/sites/{id}'], 'site item documented');
  t.ok(doc.components.securitySchemes.apiKey);
  t.notOk(doc.paths['/metrics'], 'internal endpoints hidden');
  const ui = await api.app.inject({ method: 'GET', url: '/docs/' });
  t.equal(ui.statusCode, 200);
  t.match(ui.body, /swagger/i);
});

t.test('unknown routes and malformed JSON are problems, not crashes', async (t) => {
  const api = await testApi(t);
  const missing = await api.get('/api/v1/nothing-here');
  t.equal(missing.statusCode, 404);
  t.match(missing.headers['content-type'], /problem\+json/);
  const garbled = await api.app.inject({
    method: 'POST',
    url: '/api/v1/sites',
    headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
    payload: '{"name": ',
  });
  t.equal(garbled.statusCode, 400);
  t.match(garbled.headers['content-type'], /problem\+json/);
  const wrongType = await api.app.inject({
    method: 'POST',
    url: '/api/v1/sites',
    headers: { authorization: `Bearer ${api.key}`, 'content-type': 'text/csv' },
    payload: 'a,b',
  });
  t.equal(wrongType.statusCode, 415);
  t.equal(wrongType.json().code, 'UNSUPPORTED_MEDIA_TYPE');
});
