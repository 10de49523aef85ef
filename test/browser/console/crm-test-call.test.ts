// "Test call to the CRM" in Chromium: an admin presses "New client, answered" on
// the CRM page, the real CRM sync worker writes it to the HubSpot emulator, the
// page shows the records with links into HubSpot, the call log shows it only when
// asked for, and deleting it archives them.
import t from 'tap';
import { createHubSpotGateway } from '../../../src/crm/hubspot/client.ts';
import { replaceOwners } from '../../../src/crm/mirror/catalog.ts';
import { loadConfig } from '../../../src/config.ts';
import { startCrmWorker } from '../../../src/jobs/crm-worker.ts';
import { silentLogger } from '../../support/db.ts';
import { consoleWorld, logIn, shot } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD } from '../../support/console.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

t.test('a test call per row of the post-call table, its records linked, then deleted with them', async (t) => {
  const { emulator } = await hubspotForTest(t, { portalId: 5_550_123 });
  const env = { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url };
  const w = await consoleWorld(t, { env });
  const db = w.db.pool;
  const owner = emulator.control.addOwner({ email: 'olena@shop.example', firstName: 'Olena', lastName: 'Koval' });
  await replaceOwners(db, [{ id: owner.id, email: owner.email ?? null, firstName: 'Olena', lastName: 'Koval', archived: false }]);
  await db.query(`INSERT INTO employees (email, full_name, hubspot_owner_id) VALUES ('olena@shop.example', 'Olena Koval', $1)`, [owner.id]);
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent', DEFAULT_COUNTRY: 'UA' });
  const worker = await startCrmWorker({
    config,
    pool: db,
    logger: silentLogger,
    gateway: createHubSpotGateway(config.crm, db, silentLogger),
    options: { pollIntervalMs: 200, settleMs: 300, maxSearchLagMs: 1_000, livenessIntervalMs: 1_000 },
  });
  t.teardown(() => worker.stop());
  await consoleUser(db, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'CRM', exact: true }).click();
  const section = page.locator('[data-test-calls]');

  await section.getByRole('button', { name: 'Existing client, missed' }).click();
  await section.getByText(/run a new-client test call first/).waitFor();
  t.equal((await db.query('SELECT count(*)::int AS n FROM calls')).rows[0].n, 0, 'a refused test call stores nothing');

  await section.getByRole('button', { name: 'New client, answered' }).click();
  const card = section.locator('[data-test-call]').first();
  await card.getByText('written').waitFor();
  t.match(await card.textContent(), /New client, answered · \+38099\d{7}/, 'the row the sync applied, and the number');
  const contactLink = card.locator('[data-record="contact"] a');
  const contactId = (await contactLink.textContent())!.trim();
  t.equal(await contactLink.getAttribute('href'), `https://app.hubspot.com/contacts/5550123/record/0-1/${contactId}`, 'a link to the contact in HubSpot');
  t.match(await card.locator('[data-record="deal"] a').getAttribute('href'), /^https:\/\/app\.hubspot\.com\/contacts\/5550123\/record\/0-3\/\d+$/, 'a link to the deal');
  t.match(await card.locator('[data-record="call"] a').getAttribute('href'), /^https:\/\/app\.hubspot\.com\/contacts\/5550123\/record\/0-48\/\d+$/, 'a link to the call engagement');
  t.equal(emulator.control.record('contacts', contactId)?.archived, false, 'the contact is in HubSpot');
  await shot(page, 'console-crm-test-call');

  // the call log leaves it out until asked for
  const testId = (await card.getAttribute('data-test-call'))!;
  await page.getByRole('link', { name: 'Call log', exact: true }).click();
  await page.locator('[data-total="0"]').waitFor();
  await page.getByLabel('Show test calls to the CRM').check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator('[data-total="1"]').waitFor();
  t.match(await page.locator(`[data-call="${testId}"]`).textContent(), /Test/, 'shown, marked as a test, once asked for');
  await page.getByRole('link', { name: 'CRM', exact: true }).click();
  await card.getByText('written').waitFor();

  await card.getByRole('button', { name: 'Delete with what it wrote' }).click();
  await card.waitFor({ state: 'detached' });
  t.equal(emulator.control.record('contacts', contactId)?.archived, true, 'the contact is archived in HubSpot');
  t.equal((await db.query('SELECT count(*)::int AS n FROM calls WHERE is_test')).rows[0].n, 0, 'the test call is gone');
});
