// Console login and security: scrypt passwords, the first admin's forced change,
// session cookies, CSRF, lockout, logout and changing one's own password.
import t from 'tap';
import { ensureFirstAdmin } from '../../../src/auth/bootstrap.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../support/db.ts';
import { testApi } from '../../support/app.ts';
import { PASSWORD, consoleUser, login, sessionCookie } from '../../support/console.ts';

t.test('the first admin logs in with the one-time password and must change it before anything else', async (t) => {
  const api = await testApi(t);
  const { oneTimePassword } = await ensureFirstAdmin(api.db.pool, loadConfig({ LOG_LEVEL: 'silent' }), silentLogger);
  const admin = await login(api.app, 'admin@ringpath.local', oneTimePassword!);
  t.match(admin.login.json(), { kind: 'employee', access_level: 'admin', must_change_password: true, email: 'admin@ringpath.local' });

  const blocked = await admin.get('/api/v1/settings');
  t.equal(blocked.statusCode, 403);
  t.equal(blocked.json().code, 'PASSWORD_CHANGE_REQUIRED');
  t.equal((await admin.send('POST', '/api/v1/employees', { email: 'x@example.com', full_name: 'X' })).statusCode, 403, 'no writes either');

  const weak = await admin.send('POST', '/api/v1/auth/password', { current_password: oneTimePassword, new_password: 'short' });
  t.equal(weak.statusCode, 400);
  t.match(weak.json().errors, [{ field: '/new_password', message: 'must have at least 12 characters' }]);
  const wrong = await admin.send('POST', '/api/v1/auth/password', { current_password: 'not it at all', new_password: 'a new long password' });
  t.equal(wrong.statusCode, 400);
  t.match(wrong.json().errors, [{ field: '/current_password' }]);

  const changed = await admin.send('POST', '/api/v1/auth/password', { current_password: oneTimePassword, new_password: 'a new long password' });
  t.equal(changed.statusCode, 204, changed.body);
  t.equal((await admin.get('/api/v1/settings')).statusCode, 200, 'the same session may work now');
  t.equal((await admin.get('/api/v1/auth/me')).json().must_change_password, false);

  const again = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'admin@ringpath.local', password: oneTimePassword } });
  t.equal(again.statusCode, 401, 'the one-time password no longer works');
  const fresh = await login(api.app, 'ADMIN@ringpath.local', 'a new long password');
  t.equal(fresh.login.json().must_change_password, false, 'the next login is not asked again (and the email is matched in any case)');
  const { rows } = await api.db.pool.query<{ password_hash: string }>(`SELECT password_hash FROM employees WHERE email = 'admin@ringpath.local'`);
  t.match(rows[0]!.password_hash, /^scrypt\$/, 'stored as a scrypt hash');
});

t.test('the session cookie is httpOnly, SameSite, scoped to the API, and Secure and Strict behind TLS', async (t) => {
  const api = await testApi(t);
  await consoleUser(api.db.pool, { email: 'a@example.com', accessLevel: 'admin', salesRole: 'head' });
  const plain = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@example.com', password: PASSWORD } });
  const cookie = plain.cookies.find((c) => c.name === 'ringpath_session')!;
  // @fastify/session's secure: 'auto' relaxes SameSite to Lax on plain HTTP
  t.match(cookie, { httpOnly: true, sameSite: 'Lax', path: '/api/v1' });
  t.notOk(cookie.secure, 'plain HTTP from a client: not Secure (the browser would drop it)');
  // test/run's inject comes from 127.0.0.1, a trusted proxy by default
  const tls = await api.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-proto': 'https' },
    payload: { email: 'a@example.com', password: PASSWORD },
  });
  t.match(tls.cookies.find((c) => c.name === 'ringpath_session'), { secure: true, sameSite: 'Strict', httpOnly: true }, 'Secure and Strict behind a TLS-terminating proxy');
  const { rows } = await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM console_sessions');
  t.equal(rows[0]!.n, 2, 'sessions live in PostgreSQL');
});

t.test('a session needs the CSRF token for every change; GETs and API keys do not', async (t) => {
  const api = await testApi(t);
  await consoleUser(api.db.pool, { email: 'a@example.com', accessLevel: 'admin', salesRole: 'head' });
  const s = await login(api.app, 'a@example.com');
  const without = await s.send('PATCH', '/api/v1/settings', { time_zone: 'Europe/Kyiv' }, { csrf: false });
  t.equal(without.statusCode, 403);
  t.equal(without.json().code, 'CSRF_TOKEN_INVALID');
  const forged = await api.app.inject({
    method: 'PATCH',
    url: '/api/v1/settings',
    headers: { cookie: s.cookie, 'x-csrf-token': 'forged' },
    payload: { time_zone: 'Europe/Kyiv' },
  });
  t.equal(forged.statusCode, 403);
  t.not((await api.get('/api/v1/settings')).json().time_zone, 'Europe/Kyiv', 'nothing was saved');
  const ok = await s.send('PATCH', '/api/v1/settings', { time_zone: 'Europe/Kyiv' });
  t.equal(ok.statusCode, 200, ok.body);
  t.equal((await api.patch('/api/v1/settings', { time_zone: 'Europe/Berlin' })).statusCode, 200, 'an API key needs no token');
});

t.test('repeated failures lock the email out, even with the right password, and say for how long', async (t) => {
  const api = await testApi(t, { CONSOLE_LOGIN_FAILURE_LIMIT: '3', CONSOLE_LOCKOUT_S: '600' });
  await consoleUser(api.db.pool, { email: 'a@example.com', accessLevel: 'employee', salesRole: 'sales_rep' });
  const attempt = (password: string) => api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@example.com', password } });
  for (let i = 1; i <= 2; i++) {
    const r = await attempt('wrong password');
    t.equal(r.statusCode, 401, `failure ${i}`);
    t.equal(r.json().code, 'LOGIN_FAILED');
  }
  const third = await attempt('wrong password');
  t.equal(third.statusCode, 429, 'the third failure locks');
  t.equal(third.json().code, 'LOCKED_OUT');
  const right = await attempt(PASSWORD);
  t.equal(right.statusCode, 429, 'the right password is refused while locked');
  t.ok(Number(right.headers['retry-after']) > 500 && Number(right.headers['retry-after']) <= 600, `Retry-After ${right.headers['retry-after']}`);
  t.equal(sessionCookie(right), undefined, 'no session');
  const unknown = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.com', password: 'x' } });
  t.equal(unknown.statusCode, 401, 'an unknown email gets the same answer as a wrong password');
  t.equal(unknown.json().detail, 'the email or the password is wrong');
});

t.test('a success clears the failures', async (t) => {
  const api = await testApi(t, { CONSOLE_LOGIN_FAILURE_LIMIT: '3' });
  await consoleUser(api.db.pool, { email: 'a@example.com', accessLevel: 'employee', salesRole: 'sales_rep' });
  const attempt = (password: string) => api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@example.com', password } });
  await attempt('wrong');
  await attempt('wrong');
  t.equal((await attempt(PASSWORD)).statusCode, 200);
  t.equal((await attempt('wrong')).statusCode, 401, 'counting starts again');
  t.equal((await attempt('wrong')).statusCode, 401);
});

t.test('logout ends the session in the store; a password change ends the other sessions', async (t) => {
  const api = await testApi(t);
  await consoleUser(api.db.pool, { email: 'a@example.com', accessLevel: 'analyst', salesRole: 'head' });
  const one = await login(api.app, 'a@example.com');
  const two = await login(api.app, 'a@example.com');
  t.equal((await one.send('POST', '/api/v1/auth/password', { current_password: PASSWORD, new_password: 'another long password' })).statusCode, 204);
  t.equal((await one.get('/api/v1/auth/me')).statusCode, 200, 'the session that changed it goes on');
  t.equal((await two.get('/api/v1/auth/me')).statusCode, 401, 'the other session ended');
  t.equal((await one.send('POST', '/api/v1/auth/logout')).statusCode, 204);
  t.equal((await one.get('/api/v1/auth/me')).statusCode, 401, 'logged out');
  const { rows } = await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM console_sessions');
  t.equal(rows[0]!.n, 0, 'no session left in the store');
});

t.test('an admin sets an employee\'s console password; the employee must change it at first login', async (t) => {
  const api = await testApi(t);
  const created = await api.post('/api/v1/employees', { email: 'olena@example.com', full_name: 'Olena Koval' });
  const id = created.json().id as number;
  const weak = await api.put(`/api/v1/employees/${id}/console-password`, { password: 'short' });
  t.equal(weak.statusCode, 400);
  t.match(weak.json().errors, [{ field: '/password', message: 'must have at least 12 characters' }]);
  const before = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'olena@example.com', password: 'short' } });
  t.equal(before.statusCode, 401, 'the refused password was not stored');
  t.equal((await api.put(`/api/v1/employees/${id}/console-password`, { password: 'temporary password 1' })).statusCode, 204);
  t.equal((await api.put('/api/v1/employees/999999/console-password', { password: 'temporary password 1' })).statusCode, 404);
  const s = await login(api.app, 'olena@example.com', 'temporary password 1');
  t.equal(s.login.json().must_change_password, true);
  t.equal((await s.get('/api/v1/calls')).json().code, 'PASSWORD_CHANGE_REQUIRED');
});

t.test('without a session or key the API answers 401; an API key cannot change a password', async (t) => {
  const api = await testApi(t);
  const anon = await api.app.inject({ method: 'GET', url: '/api/v1/settings' });
  t.equal(anon.statusCode, 401);
  const bad = await api.app.inject({ method: 'GET', url: '/api/v1/settings', headers: { authorization: 'Bearer rp_nope' } });
  t.equal(bad.statusCode, 401);
  t.match((await api.get('/api/v1/auth/me')).json(), { kind: 'api_key', full_name: 'tests', csrf_token: null });
  const r = await api.post('/api/v1/auth/password', { current_password: 'x', new_password: 'a long new password' });
  t.equal(r.statusCode, 403);
});
