// Sites in Chromium: an admin adds a site and a static tracking number, copies
// the snippet, and opens the pool utilisation chart with its recommended size.
import t from 'tap';
import { consoleWorld, logIn, shot } from '../../support/console-browser.ts';
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
