// What GET /employees/{id} returns can be PATCHed back unchanged; a wrong method on a
// known path is 405 with Allow.
import t from 'tap';
import { testApi } from '../../support/app.ts';

const STRONG = 'Str0ng!Passw0rd#';

t.test('a GET body sent back in a PATCH unchanged is accepted and changes nothing', async (t) => {
  const api = await testApi(t);
  const created = await api.post('/api/v1/employees', {
    email: 'ana@example.com',
    full_name: 'Ana',
    extension: '101',
    is_senior_manager: true,
    main_destinations: [{ type: 'phone', number: '050 123 45 67' }, { type: 'sip_account', login: 'ana.desk', password: STRONG }],
    additional_destinations: [{ type: 'sip_uri', uri: 'ana@pbx.example.com' }],
  });
  t.equal(created.statusCode, 201, created.body);
  const got = (await api.get(`/api/v1/employees/${created.json().id}`)).json();
  const back = await api.patch(`/api/v1/employees/${got.id}`, got);
  t.equal(back.statusCode, 200, back.body);
  const { updated_at: _a, ...before } = got;
  const { updated_at: _b, ...after } = back.json();
  t.same(after, before, 'everything but updated_at is as it was, the SIP account included');
  const { rows } = await api.db.pool.query('SELECT id FROM sip_accounts');
  t.same(rows.map((r) => r.id), [got.main_destinations[1].sip_account_id], 'the SIP account was kept, not re-created');
});

t.test('a read-only field sent with another value is a 400 naming it', async (t) => {
  const api = await testApi(t);
  const created = await api.post('/api/v1/employees', { email: 'ana@example.com', full_name: 'Ana', main_destinations: [{ type: 'sip_account', login: 'ana.desk', password: STRONG }] });
  const got = (await api.get(`/api/v1/employees/${created.json().id}`)).json();
  const cases: Array<[string, object, string]> = [
    ['another id', { ...got, id: got.id + 1 }, '/id'],
    ['another created_at', { ...got, created_at: '2001-01-01T00:00:00.000Z' }, '/created_at'],
    ['another updated_at', { ...got, full_name: 'Ana B.', updated_at: '2001-01-01T00:00:00.000Z' }, '/updated_at'],
    [
      "another SIP account's id",
      { ...got, main_destinations: [{ ...got.main_destinations[0], sip_account_id: got.main_destinations[0].sip_account_id + 100 }] },
      '/main_destinations/0/sip_account_id',
    ],
    ['an id for a login with no account yet', { main_destinations: [{ type: 'sip_account', login: 'new.one', password: STRONG, sip_account_id: 1 }] }, '/main_destinations/0/sip_account_id'],
  ];
  for (const [name, body, field] of cases) {
    const r = await api.patch(`/api/v1/employees/${got.id}`, body);
    t.equal(r.statusCode, 400, name);
    t.match(r.json(), { code: 'READ_ONLY_FIELD', errors: [{ field, message: /^is read-only/ }] }, name);
  }
  t.same((await api.get(`/api/v1/employees/${got.id}`)).json(), got, 'nothing was changed by the refused requests');
});

t.test('a wrong method on a known path answers 405 with Allow', async (t) => {
  const api = await testApi(t);
  const cases: Array<[string, string, string]> = [
    ['PUT', '/api/v1/employees/1', 'DELETE, GET, HEAD, PATCH'],
    ['DELETE', '/api/v1/employees', 'GET, HEAD, POST'],
    ['GET', '/api/v1/employees/1/senior-manager', 'POST'],
    ['POST', '/healthz', 'GET, HEAD'],
  ];
  for (const [method, url, allow] of cases) {
    const r = await api.app.inject({ method: method as 'PUT', url, headers: { authorization: `Bearer ${api.key}` } });
    t.equal(r.statusCode, 405, `${method} ${url}`);
    t.equal(r.headers.allow, allow, `${method} ${url}: Allow`);
    t.match(r.json(), { code: 'METHOD_NOT_ALLOWED', detail: new RegExp(`does not answer ${method}`) });
  }
  const unknown = await api.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
  t.equal(unknown.statusCode, 404, 'an unknown path is still 404');
  t.equal(unknown.headers.allow, undefined);
});
