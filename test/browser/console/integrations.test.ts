// API keys and webhooks in Chromium: an admin creates a key (shown once, with a
// copy button) and revokes it; subscribes an endpoint (its secret shown once),
// finds it disabled with the reason, enables it again, replays a failed
// delivery from its log, and deletes it.
import t from 'tap';
import { webhookStore } from '../../../src/outbound/webhook-store.ts';
import { consoleWorld, logIn, shot } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD, storeCall } from '../../support/console.ts';

t.test('an API key: refused without a name, created and shown once, then revoked', async (t) => {
  const w = await consoleWorld(t);
  await consoleUser(w.db.pool, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'API keys', exact: true }).click();
  const form = page.getByRole('form', { name: 'Create API key' });
  await form.getByRole('button', { name: 'Create API key' }).click();
  await form.getByText('must not be empty').waitFor();
  t.equal((await w.api('GET', '/api/v1/api-keys')).json().total, 1, 'a key without a name is not stored (only the tests key exists)');

  await form.getByLabel('Name').fill('zapier');
  await form.getByRole('button', { name: 'Create API key' }).click();
  const shown = (await page.locator('[data-key]').textContent())!.trim();
  await page.getByRole('button', { name: 'Copy' }).waitFor();
  const me = await w.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${shown}` } });
  t.equal(me.statusCode, 200, 'the key shown once authenticates');
  const row = page.locator('[data-api-key="zapier"]');
  t.match(await row.textContent(), /Active/, 'listed as active');
  await shot(page, 'console-api-keys');

  await page.getByRole('button', { name: 'I have copied it' }).click();
  t.equal(await page.locator('[data-key]').count(), 0, 'the key is gone from the page once hidden');
  await row.getByRole('button', { name: 'Revoke zapier' }).click();
  await page.getByText('API key "zapier" revoked: it authenticates nothing from now on.').waitFor();
  await row.getByText(/^Revoked /).waitFor();
  const after = await w.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${shown}` } });
  t.equal(after.statusCode, 401, 'the revoked key no longer authenticates');
});

t.test('a webhook: refused URL beside its field, secret shown once, re-enabled, a delivery replayed, deleted', async (t) => {
  const w = await consoleWorld(t);
  const db = w.db.pool;
  await consoleUser(db, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  const form = page.getByRole('form', { name: 'Subscribe an endpoint' });
  await form.getByLabel('Endpoint URL').fill('ftp://crm.example.com/hook');
  await form.getByRole('button', { name: 'Subscribe an endpoint' }).click();
  await form.getByText('must be http or https (got ftp)').waitFor();
  t.equal((await w.api('GET', '/api/v1/webhooks')).json().total, 0, 'a refused URL saves nothing');

  await form.getByLabel('Endpoint URL').fill('https://crm.example.com/hook');
  await form.getByLabel('call.missed').check();
  await form.getByLabel('Note').fill('crm bridge');
  await form.getByRole('button', { name: 'Subscribe an endpoint' }).click();
  const secret = (await page.locator('[data-secret]').textContent())!.trim();
  t.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/, 'the signing secret, shown once');
  const hook = (await w.api('GET', '/api/v1/webhooks')).json().items[0] as { id: number; event_types: string[]; description: string };
  t.same(hook.event_types.slice().sort(), ['call.ended', 'call.missed'], 'the events ticked');
  t.equal(hook.description, 'crm bridge', 'the note typed');

  // ringpath gave up on the endpoint after a failed delivery
  const callId = await storeCall(db, { caller: '+380501110001' });
  const now = new Date().toISOString();
  await webhookStore.enqueue(db, { type: 'call.missed', timestamp: now, data: { call_id: callId, direction: 'inbound', caller: '+380501110001', tracking_number: null, started_at: now } });
  const delivery = (await db.query<{ id: string }>('SELECT id FROM webhook_deliveries WHERE endpoint_id = $1', [hook.id])).rows[0]!.id;
  await webhookStore.failed(db, Number(delivery), hook.id, 'HTTP 500');
  await webhookStore.disable(db, hook.id, 'every attempt failed for 5 days');
  await page.reload();
  const card = page.locator('[data-webhook="https://crm.example.com/hook"]');
  await card.getByText('Disabled: every attempt failed for 5 days').waitFor();
  t.equal(await page.locator('[data-secret]').count(), 0, 'the secret is not shown again');

  await card.getByRole('button', { name: 'Delivery log' }).click();
  const line = card.locator(`[data-delivery="${delivery}"]`);
  t.match(await line.textContent(), /call\.missed.*failed.*1.*endpoint disabled: every attempt failed for 5 days/, 'the failed delivery with its error');
  await line.getByRole('button', { name: 'Replay' }).click();
  await page.getByText(/is disabled \(every attempt failed for 5 days\); enable it first/).waitFor();

  await card.getByRole('button', { name: 'Enable again' }).click();
  await page.getByText('Enabled again; its failures are cleared.').waitFor();
  await card.getByText('Enabled', { exact: true }).waitFor();
  await card.getByRole('button', { name: 'Delivery log' }).click();
  await line.getByRole('button', { name: 'Replay' }).click();
  await page.getByText('Queued again, with the same webhook-id.').waitFor();
  await line.getByText('pending').waitFor();
  t.equal((await db.query('SELECT state FROM webhook_deliveries WHERE id = $1', [delivery])).rows[0].state, 'pending', 'the delivery is queued again');
  await shot(page, 'console-webhooks');

  await card.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('Subscription deleted with its delivery log.').waitFor();
  await card.waitFor({ state: 'detached' });
  t.equal((await w.api('GET', '/api/v1/webhooks')).json().total, 0, 'deleted');
});
