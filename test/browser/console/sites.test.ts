// Sites in Chromium: an admin adds a site and a static tracking number, copies
// the snippet, and opens the pool utilisation chart with its recommended size;
// gives a site a pool with numbers, edits its DNI settings and source rules.
import t from 'tap';
import { consoleWorld, describedBy, logIn, shot } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD, storeCall } from '../../support/console.ts';

t.test('a site with its snippet, a static number on a scheme, and the pool chart', async (t) => {
  const w = await consoleWorld(t);
  const scheme = (await w.api('POST', '/api/v1/routing-schemes', { name: 'Main line', steps: [{ type: 'senior_manager' }] })).json().id as number;
  await consoleUser(w.db.pool, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'Sites', exact: true }).click();
  const siteForm = page.getByRole('form', { name: 'New site' });
  await siteForm.getByLabel('Name').fill('Shop');
  await siteForm.getByLabel('Domain').fill('shop.example.com');
  await siteForm.getByLabel('Fallback number').fill('not a number');
  await siteForm.getByRole('button', { name: 'Add site' }).click();
  await siteForm.getByText(/not a phone number/).waitFor();
  t.equal((await w.api('GET', '/api/v1/sites')).json().total, 0, 'a refused fallback number saves nothing');
  await siteForm.getByLabel('Fallback number').fill('044 111 0000');
  await siteForm.getByLabel(/Allowed origins/).fill('https://shop.example.com');
  await siteForm.getByRole('button', { name: 'Add site' }).click();
  const snippet = page.locator('[data-snippet]');
  await snippet.waitFor();
  const site = (await w.api('GET', '/api/v1/sites')).json().items[0] as { id: number; public_key: string };
  t.match(await snippet.textContent(), new RegExp(`<script async src="[^"]+/dni\\.js" data-site="${site.public_key}"></script>`), 'the tag to copy');

  const numberForm = page.getByRole('form', { name: 'Add static number' });
  await numberForm.getByLabel('Number').fill('044 111 0001');
  await numberForm.getByLabel('Source').fill('Billboard');
  await numberForm.getByRole('textbox', { name: 'Routing scheme' }).click();
  await page.getByRole('option', { name: 'Main line' }).click();
  await numberForm.getByRole('button', { name: 'Add static number' }).click();
  await page.getByRole('cell', { name: '+380441110001' }).waitFor();
  t.match((await w.api('GET', '/api/v1/tracking-numbers')).json().items, [{ number: '+380441110001', kind: 'static', source_name: 'Billboard', routing_scheme_id: scheme }]);

  const pool = (await w.api('POST', '/api/v1/pools', { site_id: site.id, name: 'Visitors', routing_scheme_id: scheme })).json().id as number;
  await w.api('POST', `/api/v1/pools/${pool}/numbers`, { numbers: ['+380441110011', '+380441110012'] });
  await page.getByRole('button', { name: 'Pool utilisation' }).click();
  await page.locator('[data-pool-report] svg').first().waitFor();
  t.match(await page.locator('[data-pool-report]').textContent(), /Pool of 2; busiest minute held 0; recommended size \d+\./, 'the sizing in words');
  await shot(page, 'console-sites');
});

t.test("a site's pool with numbers, its DNI settings (a refusal beside its field, then a save) and a source rule", async (t) => {
  const w = await consoleWorld(t);
  const scheme = (await w.api('POST', '/api/v1/routing-schemes', { name: 'Main line', steps: [{ type: 'senior_manager' }] })).json().id as number;
  await w.api('POST', '/api/v1/employees', { email: 'anna@shop.example', full_name: 'Anna Shevchenko', main_destinations: [{ type: 'phone', number: '+380441110012' }] });
  const site = (await w.api('POST', '/api/v1/sites', { name: 'Shop', domain: 'shop.example.com', fallback_number: '044 111 0000' })).json().id as number;
  const billboard = (await w.api('POST', '/api/v1/tracking-numbers', { number: '044 111 0001', kind: 'static', source_name: 'Billboard', routing_scheme_id: scheme })).json().id as number;
  await consoleUser(w.db.pool, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'Sites', exact: true }).click();

  // the pool, on the scheme, and two numbers: one is an employee's phone, which the API warns about
  const poolForm = page.getByRole('form', { name: 'Create pool' });
  await poolForm.getByLabel('Pool name').fill('Visitors');
  await poolForm.getByRole('textbox', { name: 'Routing scheme' }).click();
  await page.getByRole('option', { name: 'Main line' }).click();
  await poolForm.getByRole('button', { name: 'Create pool' }).click();
  const numbersForm = page.getByRole('form', { name: 'Add to pool' });
  await numbersForm.getByLabel(/^Numbers/).fill('044 111 0011\nnot a number');
  await numbersForm.getByRole('button', { name: 'Add to pool' }).click();
  await numbersForm.getByText(/not a phone number/).waitFor();
  const pools = (await w.api('GET', '/api/v1/pools')).json();
  t.match(pools.items, [{ site_id: site, name: 'Visitors', routing_scheme_id: scheme, size: 0 }], 'the pool on its scheme; a refused entry adds nothing');
  await numbersForm.getByLabel(/^Numbers/).fill('044 111 0011\n044 111 0012');
  await numbersForm.getByRole('button', { name: 'Add to pool' }).click();
  await numbersForm.locator('[data-warning="NUMBER_IS_EMPLOYEE_DESTINATION"]').waitFor();
  t.match(await numbersForm.locator('[data-warning]').textContent(), /\+380441110012 is also a destination of employee "Anna Shevchenko"/, 'the warning the API returned');
  await page.locator('[data-pool-summary]').getByText('Visitors: 2 numbers; routing scheme: Main line').waitFor();
  t.same((await w.api('GET', `/api/v1/pools/${pools.items[0].id}`)).json().numbers.sort(), ['+380441110011', '+380441110012']);

  // the DNI settings: a refused fallback number is named beside its field and saves nothing
  const settings = page.getByRole('form', { name: 'DNI settings' });
  await settings.getByLabel('Fallback number').fill('not a number');
  await settings.getByLabel(/Allowed origins/).fill('https://shop.example.com');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await settings.getByText(/not a phone number/).waitFor();
  t.match(await describedBy(settings.getByLabel('Fallback number')), /not a phone number/, 'the refusal is beside the fallback number');
  t.match((await w.api('GET', `/api/v1/sites/${site}`)).json(), { fallback_number: '+380441110000', allowed_origins: [] }, 'a refusal saves nothing');
  await settings.getByLabel('Fallback number').fill('044 111 0009');
  await settings.getByLabel('Hold time, s').fill('600');
  await settings.getByLabel(/^Phone numbers to swap/).fill('044 111 0000\n(044) 111-00-00');
  await settings.getByLabel(/^CSS selectors to swap/).fill('.header-phone\nfooter a[href^="tel:"]');
  await settings.getByRole('textbox', { name: 'Attribution model' }).click();
  await page.getByRole('option', { name: 'Last touch', exact: true }).click();
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await settings.locator('[data-saved]').waitFor();
  t.equal(await settings.getByText(/not a phone number/).count(), 0, 'the refusal is gone');
  t.match((await w.api('GET', `/api/v1/sites/${site}`)).json(), {
    fallback_number: '+380441110009',
    hold_time_s: 600,
    allowed_origins: ['https://shop.example.com'],
    swap_phone_texts: ['044 111 0000', '(044) 111-00-00'],
    swap_selectors: ['.header-phone', 'footer a[href^="tel:"]'],
    attribution_model: 'last_touch',
  });

  // a source rule: visits of the spring campaign see the billboard number
  const rules = page.getByRole('form', { name: 'Source rules' });
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await rules.getByRole('textbox', { name: 'Visit field' }).click();
  await page.getByRole('option', { name: 'Campaign' }).click();
  await rules.getByLabel('Value').fill('spring');
  await rules.getByRole('textbox', { name: 'Static number' }).click();
  await page.getByRole('option', { name: '+380441110001 · Billboard' }).click();
  await rules.getByRole('button', { name: 'Save rules' }).click();
  await rules.locator('[data-saved]').waitFor();
  t.match((await w.api('GET', `/api/v1/sites/${site}/source-rules`)).json(), { rules: [{ position: 0, field: 'utm_campaign', value: 'spring', tracking_number_id: billboard, number: '+380441110001' }] });
  await shot(page, 'console-sites-dni');
});

t.test('reports: calls by source, answered and missed per employee, call-back times, as charts', async (t) => {
  const w = await consoleWorld(t);
  const db = w.db.pool;
  const anna = (await w.api('POST', '/api/v1/employees', { email: 'anna@shop.example', full_name: 'Anna Shevchenko' })).json().id as number;
  const ago = (h: number) => new Date(Date.now() - h * 3600_000);
  await storeCall(db, { caller: '+380501110001', source: 'google / cpc', answeredByEmployeeId: anna, startedAt: ago(30) });
  await storeCall(db, { caller: '+380501110002', source: 'Billboard', disposition: 'missed', responsibleEmployeeId: anna, startedAt: ago(5) });
  await storeCall(db, { caller: '+380501110003', source: 'google / cpc', answeredByEmployeeId: anna, startedAt: ago(2) });
  await consoleUser(db, { email: 'analyst@shop.example', accessLevel: 'analyst', salesRole: 'head' });
  await logIn(w, 'analyst@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  await page.locator('[data-report="by-source"] .recharts-bar-rectangle').first().waitFor();
  t.ok((await page.locator('[data-report="by-source"] .recharts-legend-item').allTextContents()).some((s) => s.includes('google / cpc')), 'the sources are in the legend');
  t.equal((await page.locator('[data-employee-rate="Anna Shevchenko"] td').nth(1).textContent())?.trim(), '67%', "Anna's answered rate");
  t.match(await page.locator('[data-callback-summary]').textContent(), /^0 called back, 1 not yet/);
  await shot(page, 'console-reports');
});
