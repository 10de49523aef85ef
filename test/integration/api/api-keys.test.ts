// /api/v1/api-keys: create, list and revoke API keys over the API.
import t from 'tap';
import { testApi } from '../../support/app.ts';

t.test('a key created over the API works at once, is listed without its secret, and stops working when revoked', async (t) => {
  const api = await testApi(t);
  const created = await api.post('/api/v1/api-keys', { name: ' zapier ' });
  t.equal(created.statusCode, 201, created.body);
  const body = created.json();
  t.match(body, { id: Number, name: 'zapier', prefix: /^[0-9a-f]{12}$/, last_used_at: null, revoked_at: null, key: /^rp_[0-9a-f]{12}_[\w-]{43}$/ });
  t.equal(body.key.split('_')[1], body.prefix, 'the prefix is the public part of the key');

  const auth = { authorization: `Bearer ${body.key}` };
  const withNewKey = await api.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: auth });
  t.equal(withNewKey.statusCode, 200, 'the new key authenticates');
  const list = withNewKey.json();
  t.equal(list.total, 2, 'the tests key and the new one');
  t.same(
    list.items.map((k: { name: string }) => k.name),
    ['tests', 'zapier'],
    'oldest first',
  );
  // rp_<prefix>_<secret>: the secret is base64url, so it may hold underscores of its own
  const secret = (body.key as string).split('_').slice(2).join('_');
  t.ok(secret.length >= 20, 'the secret is the whole rest of the key');
  t.notOk(withNewKey.body.includes(secret), 'no secret in the list');
  t.notOk('key' in list.items[1], 'no key field in the list');
  t.type(list.items[1].last_used_at, 'string', 'the use is recorded');

  const revoked = await api.del(`/api/v1/api-keys/${body.id}`);
  t.equal(revoked.statusCode, 200, revoked.body);
  t.match(revoked.json(), { id: body.id, name: 'zapier', revoked_at: String });
  const after = await api.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: auth });
  t.equal(after.statusCode, 401, 'the revoked key is refused');

  const again = await api.del(`/api/v1/api-keys/${body.id}`);
  t.equal(again.statusCode, 200, 'revoking again is no error');
  t.equal(again.json().revoked_at, revoked.json().revoked_at, 'and keeps the first revocation time');
  const listed = (await api.get('/api/v1/api-keys')).json();
  t.equal(listed.items[1].revoked_at, revoked.json().revoked_at, 'a revoked key stays listed');
});

t.test('bad input to /api-keys is a 4xx naming what is wrong, and stores nothing', async (t) => {
  const api = await testApi(t);
  const unknown = await api.del('/api/v1/api-keys/999');
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { code: 'NOT_FOUND', detail: 'API key 999 does not exist' });

  const blank = await api.post('/api/v1/api-keys', { name: '   ' });
  t.equal(blank.statusCode, 400);
  t.match(blank.json(), { code: 'VALIDATION_FAILED', errors: [{ field: '/name' }] });

  const missing = await api.post('/api/v1/api-keys', {});
  t.equal(missing.statusCode, 400);
  t.match(missing.body, /name/);

  const long = await api.post('/api/v1/api-keys', { name: 'x'.repeat(101) });
  t.equal(long.statusCode, 400);

  const { rows } = await api.db.pool.query('SELECT count(*)::int AS n FROM api_keys');
  t.equal(rows[0].n, 1, 'only the tests key');
});

t.test('the API key routes are documented in /docs', async (t) => {
  const api = await testApi(t);
  const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
  for (const [path, method] of [['/api/v1/api-keys/', 'get'], ['/api/v1/api-keys/', 'post'], ['/api/v1/api-keys/{id}', 'delete']] as const) {
    const op = doc.paths[path]?.[method];
    t.ok(op?.summary && op?.description, `${method.toUpperCase()} ${path} has a summary and a description`);
  }
});
