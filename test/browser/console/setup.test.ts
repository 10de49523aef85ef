// The console in Chromium: an admin sets up employees (destinations, a SIP
// account with a generated password, the HubSpot owner picked from the
// emulator's owners) and a routing scheme, then tests the routing.
import t from 'tap';
import { consoleWorld, describedBy, logIn, shot } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD } from '../../support/console.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

t.test('creating an employee with destinations and mapping them to a HubSpot owner from the emulator', async (t) => {
  const { emulator } = await hubspotForTest(t);
  emulator.control.addOwner({ id: '501', email: 'olena@shop.example', firstName: 'Olena', lastName: 'Koval' });
  emulator.control.addOwner({ id: '502', email: 'petro@shop.example', firstName: 'Petro', lastName: 'Bondar' });
  const w = await consoleWorld(t, { env: { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url } });
  const refreshed = await w.api('POST', '/api/v1/crm/refresh', {});
  t.equal(refreshed.statusCode, 200, 'Refresh CRM data loads the owners into the mirror');
  // Petro is already mapped to someone
  t.equal((await w.api('POST', '/api/v1/employees', { email: 'p@shop.example', full_name: 'Petro Bondar', hubspot_owner_id: '502' })).statusCode, 201);
  await consoleUser(w.db.pool, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'Employees', exact: true }).click();
  await page.getByRole('button', { name: 'New employee' }).click();
  const form = page.getByRole('form', { name: 'New employee' });
  await form.getByLabel(/^Full name/).fill('Olena Koval');
  await form.getByLabel(/^Email/).fill('olena@shop.example');
  await form.getByLabel('Extension').fill('101');
  await form.getByLabel('Phone number').fill('call me maybe');

  // bad input: the message beside the field, nothing saved
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText('Fix the fields marked below; nothing was saved.').waitFor();
  t.match(await describedBy(form.getByLabel('Phone number')), /is not a phone number/, 'the phone field says what is wrong');
  await shot(page, 'console-employee-refused');
  t.equal((await w.api('GET', '/api/v1/employees')).json().total, 2, 'nothing was saved (Petro and the admin only)');

  await form.getByLabel('Phone number').fill('050 123 45 67');
  await form.getByRole('button', { name: 'Add destination' }).click();
  await form.locator('[data-destination="1"]').getByRole('textbox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'ringpath SIP account' }).click();
  await form.getByLabel('SIP login').fill('olena');
  await form.getByRole('button', { name: 'Generate' }).click();
  const generated = (await form.locator('[data-generated-password]').textContent())!;
  t.match(generated, /^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[^A-Za-z0-9]).{20}$/, 'the generated SIP password meets the policy');

  await form.getByRole('textbox', { name: 'HubSpot owner' }).click();
  const petro = page.getByRole('option', { name: /Petro Bondar.*mapped to Petro Bondar/ });
  t.equal(await petro.getAttribute('data-combobox-disabled'), 'true', 'an owner already mapped is marked and cannot be picked');
  await shot(page, 'console-employee-owner-picker');
  await page.getByRole('option', { name: /Olena Koval <olena@shop.example>/ }).click();
  await form.getByRole('checkbox', { name: 'Receives new clients' }).check();
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await shot(page, 'console-employees');

  const list = (await w.api('GET', '/api/v1/employees?limit=10')).json().items as Array<Record<string, unknown>>;
  const olena = list.find((e) => e.email === 'olena@shop.example')!;
  t.match(olena, {
    full_name: 'Olena Koval',
    extension: '101',
    hubspot_owner_id: '501',
    receives_new_clients: true,
    main_destinations: [
      { type: 'phone', number: '+380501234567' },
      { type: 'sip_account', login: 'olena' },
    ],
  });
  const { rows } = await w.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE actor_label = $1', ['boss@shop.example']);
  t.equal(rows[0]!.n, 1, 'the creation is in the audit log under the admin');
});

t.test('building a routing scheme in the step editor and testing it', async (t) => {
  const w = await consoleWorld(t);
  const anna = (await w.api('POST', '/api/v1/employees', { email: 'anna@shop.example', full_name: 'Anna Shevchenko', main_destinations: [{ type: 'phone', number: '+380501110001' }] })).json().id;
  await w.api('POST', '/api/v1/employees', { email: 'boris@shop.example', full_name: 'Boris Melnyk', main_destinations: [{ type: 'phone', number: '+380501110002' }] });
  await consoleUser(w.db.pool, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'Routing schemes', exact: true }).click();
  const editor = page.getByRole('form', { name: 'Routing schemes' });
  await editor.getByLabel(/^Scheme name/).fill('Main line');
  // the first step is the responsible manager; add "Employees" and move it first
  await editor.getByRole('button', { name: 'Add a step' }).click();
  const step2 = editor.locator('[data-step="1"]');
  await step2.getByRole('textbox', { name: 'Employees' }).click();
  await page.getByRole('option', { name: 'Anna Shevchenko' }).click();
  await page.keyboard.press('Escape');
  await step2.getByRole('checkbox', { name: 'Only during working hours' }).check();
  await step2.getByLabel('Time zone').fill('Europe/Kyiv');
  await step2.getByRole('button', { name: 'Move up: 2' }).click();
  t.match(await editor.locator('[data-step="0"]').textContent(), /^1\. Employees/, 'the employees step is now first');
  await editor.getByRole('button', { name: 'Save scheme' }).click();
  await page.getByText('Scheme saved.').waitFor().catch(async (e) => {
    await shot(page, 'console-routing-failed');
    throw e;
  });
  await shot(page, 'console-routing');

  const schemes = (await w.api('GET', '/api/v1/routing-schemes')).json().items as Array<{ id: number; steps: unknown[] }>;
  t.equal(schemes.length, 1);
  t.match(schemes[0]!.steps, [
    { type: 'employees', employee_ids: [anna], ring_strategy: 'sequential', schedule: { time_zone: 'Europe/Kyiv', intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] } },
    { type: 'responsible_manager' },
  ]);
  await w.api('POST', '/api/v1/tracking-numbers', { number: '+380441110001', kind: 'static', source_name: 'Billboard', routing_scheme_id: schemes[0]!.id });

  const test = page.getByRole('form', { name: 'Test routing' });
  await test.getByLabel('Caller').fill('050 999 88 77');
  await test.getByLabel('Tracking number').fill('044 111 0001');
  await test.getByLabel(/^At/).fill('2026-06-15T10:30:00+03:00');
  await test.getByRole('button', { name: 'Show the plan' }).click();
  const plan = test.locator('[data-simulation]');
  await plan.waitFor();
  const text = (await plan.textContent())!;
  t.match(text, /static: Billboard/, 'the attribution');
  t.match(text, /Anna Shevchenko/, 'the plan rings Anna within working hours');
  t.match(text, /step 1, employees/);
  await shot(page, 'console-test-routing');

  await test.getByLabel('Tracking number').fill('044 000 0000');
  await test.getByRole('button', { name: 'Show the plan' }).click();
  await test.getByText(/not a tracking number/).waitFor();
  t.pass('an unknown tracking number is named beside the field');
});

t.test('importing employees from CSV reports each refused row beside its line; export downloads them', async (t) => {
  const w = await consoleWorld(t);
  await consoleUser(w.db.pool, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'Employees', exact: true }).click();
  const csv = ['email,full_name,extension,phones', 'olena@shop.example,Olena Koval,101,050 123 45 67', 'petro@shop.example,Petro Bondar,101,', 'ivan@shop.example,Ivan,,call me'].join('\n');
  await page.locator('input[type=file]').setInputFiles({ name: 'team.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('1 created, 2 refused.').waitFor();
  t.match(await page.locator('[data-rejected-line="3"]').textContent(), /Line 3 \(petro@shop\.example\): extension: is already used by another employee/);
  t.match(await page.locator('[data-rejected-line="4"]').textContent(), /Line 4 \(ivan@shop\.example\): phones\[1\]: /);
  await page.locator('[data-employee="olena@shop.example"]').waitFor();
  t.equal((await w.api('GET', '/api/v1/employees')).json().total, 2, 'Olena and the admin: refused rows stored nothing');
  await shot(page, 'console-employees-import');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const { readFile } = await import('node:fs/promises');
  const text = await readFile((await (await download).path())!, 'utf8');
  t.match(text, /olena@shop\.example,Olena Koval,101,employee,sales_rep,no,no,,\+380501234567,/);
});
