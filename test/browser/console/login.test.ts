// The console in Chromium: the first admin's first login with the forced
// password change, and the lockout after repeated failures.
import t from 'tap';
import { ensureFirstAdmin } from '../../../src/auth/bootstrap.ts';
import { loadConfig } from '../../../src/config.ts';
import { consoleWorld, describedBy, logIn, shot } from '../../support/console-browser.ts';
import { silentLogger } from '../../support/db.ts';

t.test('first login: the one-time password leads to the forced change, then to the home checklist', async (t) => {
  const w = await consoleWorld(t);
  const { oneTimePassword } = await ensureFirstAdmin(w.db.pool, loadConfig({ LOG_LEVEL: 'silent' }), silentLogger);
  await logIn(w, 'admin@ringpath.local', oneTimePassword!, 'console-login');
  const page = w.page;
  await page.getByRole('heading', { name: 'Change your password' }).waitFor();
  t.ok(await page.getByText('You are using a password someone else chose').isVisible(), 'says why');

  // a bad new password: the message beside the field, nothing saved
  await page.getByLabel('Current password').fill(oneTimePassword!);
  await page.getByLabel(/^New password( \*)?$/).fill('short');
  await page.getByLabel('New password again').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  const fieldError = page.getByText('must have at least 12 characters');
  await fieldError.waitFor();
  t.match(await describedBy(page.getByLabel(/^New password( \*)?$/)), /must have at least 12 characters/, 'the message is beside the field and tied to it for screen readers');
  await shot(page, 'console-forced-change-refused');
  const still = await w.db.pool.query<{ must_change_password: boolean }>(`SELECT must_change_password FROM employees WHERE email = 'admin@ringpath.local'`);
  t.equal(still.rows[0]!.must_change_password, true, 'nothing was saved');

  await page.getByLabel(/^New password( \*)?$/).fill('my own long password');
  await page.getByLabel('New password again').fill('my own long password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'Setting up ringpath' }).waitFor();
  await page.locator('[data-item]').first().waitFor();
  const items = await page.evaluate(`[...document.querySelectorAll('[data-item]')].map((e) => [e.getAttribute('data-item'), e.getAttribute('data-done')])`);
  t.same(
    items,
    [
      ['trunk', 'false'],
      ['tracking_numbers', 'false'],
      ['employees', 'false'],
      ['hubspot', 'false'],
      ['routing_scheme', 'false'],
      ['snippet', 'false'],
    ],
    'the checklist shows every step as still to do',
  );
  await shot(page, 'console-home');

  // the language switch: every text from the catalogue
  await page.getByText('УК').click();
  await page.getByRole('heading', { name: 'Налаштування ringpath' }).waitFor();
  t.ok(await page.getByRole('button', { name: 'Вийти' }).isVisible(), 'Ukrainian');
  await shot(page, 'console-home-uk');
  await page.getByText('EN', { exact: true }).click();

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in to ringpath' }).waitFor();
  await logIn(w, 'admin@ringpath.local', 'my own long password');
  await page.getByRole('heading', { name: 'Setting up ringpath' }).waitFor();
  t.pass('the new password logs in straight to the home page');
});

t.test('lockout: after the failures the console says how long the email is locked, even for the right password', async (t) => {
  const w = await consoleWorld(t, { env: { CONSOLE_LOGIN_FAILURE_LIMIT: '3', ADMIN_PASSWORD: 'the admin password' } });
  await ensureFirstAdmin(w.db.pool, loadConfig({ LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'the admin password' }), silentLogger);
  const page = w.page;
  await logIn(w, 'admin@ringpath.local', 'guess one');
  await page.getByText('The email or the password is wrong.').waitFor();
  await logIn(w, 'admin@ringpath.local', 'guess two');
  await page.getByText('The email or the password is wrong.').waitFor();
  await logIn(w, 'admin@ringpath.local', 'guess three');
  await page.getByText(/Too many failed logins\. Try again in 15 min\./).waitFor();
  await logIn(w, 'admin@ringpath.local', 'the admin password');
  await page.getByText(/Too many failed logins/).waitFor();
  await shot(page, 'console-lockout');
  t.notOk(await page.getByRole('heading', { name: 'Change your password' }).isVisible(), 'the right password does not get in while locked');
});

t.test('the login and the menu work from the keyboard alone, with a visible focus', async (t) => {
  const w = await consoleWorld(t, { env: { ADMIN_PASSWORD: 'the admin password' } });
  await ensureFirstAdmin(w.db.pool, loadConfig({ LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'the admin password' }), silentLogger);
  await w.db.pool.query('UPDATE employees SET must_change_password = false');
  const page = w.page;
  await page.goto(w.url + '/');
  await page.getByRole('heading', { name: 'Log in to ringpath' }).waitFor();
  t.equal(await page.evaluate('document.activeElement && document.activeElement.getAttribute("type")'), 'email', 'the email field has the focus at once');
  await page.keyboard.type('admin@ringpath.local');
  await page.keyboard.press('Tab');
  await page.keyboard.type('the admin password');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Setting up ringpath' }).waitFor();
  // Tab through the page until the "Call log" menu entry has the focus, then open it with Enter
  let focused = '';
  for (let i = 0; i < 20 && focused !== 'Call log'; i++) {
    await page.keyboard.press('Tab');
    focused = (await page.evaluate('(document.activeElement && document.activeElement.textContent || "").trim()')) as string;
  }
  t.equal(focused, 'Call log', 'the menu is reachable with Tab');
  const outline = (await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')) as string;
  t.not(outline, 'none', `the focused entry shows a focus ring (${outline})`);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Call log' }).waitFor();
  t.pass('Enter opens it');
});
