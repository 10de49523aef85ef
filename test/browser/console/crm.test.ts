// The CRM page in Chromium, against the HubSpot emulator: "Refresh CRM data",
// a full sync followed to the end on its progress bar, and a dead-lettered call
// sync retried.
import t from 'tap';
import { consoleWorld, logIn, shot } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD, storeCall } from '../../support/console.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

t.test('refresh, full sync progress and retrying a failed call sync', async (t) => {
  const { emulator } = await hubspotForTest(t);
  emulator.control.addOwner({ id: '501', email: 'olena@shop.example', firstName: 'Olena', lastName: 'Koval' });
  const w = await consoleWorld(t, { env: { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url } });
  const failed = await storeCall(w.db.pool, { caller: '+380501110001' });
  await w.db.pool.query(`UPDATE calls SET crm_sync_state = 'failed', crm_sync_error = 'HubSpot answered 400: property ringpath_source does not exist' WHERE id = $1`, [failed]);
  await consoleUser(w.db.pool, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'CRM', exact: true }).click();

  await page.getByRole('button', { name: 'Refresh CRM data' }).click();
  await page.getByText('Owners, pipelines and stages reloaded.').waitFor();
  t.equal((await w.db.pool.query('SELECT count(*)::int AS n FROM crm_owners')).rows[0].n, 1, 'the owner is in the mirror');

  await page.getByRole('button', { name: 'Start a full sync' }).click();
  await page.locator('[data-progress="100"]').waitFor();
  await page.getByText(/Full sync: done/).waitFor();
  t.pass('the progress bar follows the full sync to its end');

  const row = page.locator(`[data-failed-call="${failed}"]`);
  t.match(await row.textContent(), /property ringpath_source does not exist/, 'the dead letter with its reason');
  await shot(page, 'console-crm');
  await row.getByRole('button', { name: 'Retry' }).click();
  await page.getByText('Queued again.').waitFor();
  t.equal((await w.db.pool.query('SELECT crm_sync_state FROM calls WHERE id = $1', [failed])).rows[0].crm_sync_state, 'pending', 'queued again');
  await row.waitFor({ state: 'detached' });
});
