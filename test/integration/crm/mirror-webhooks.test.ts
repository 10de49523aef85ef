// HubSpot webhooks into the mirror: real signed deliveries from the emulator,
// and requests with bad or stale signatures, which change nothing.
import net from 'node:net';
import t from 'tap';
import { lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { runFullSync } from '../../../src/crm/mirror/full-sync.ts';
import { applyWebhookQueue, pendingWebhookRecords } from '../../../src/crm/mirror/webhook-queue.ts';
import { buildApp } from '../../../src/http/app.ts';
import { silentLogger } from '../../support/db.ts';
import { signatureV3 } from '../../support/hubspot-emulator/index.ts';
import { expectedResponsible, mirrorForTest, seedPortal } from './mirror-fixtures.ts';

const SECRET = 'app-client-secret';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

t.test('signed deliveries from HubSpot: changes are re-read, deletions apply at once', async (t) => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const m = await mirrorForTest(t, { env: { PORT: String(port), PUBLIC_URL: publicUrl, HUBSPOT_WEBHOOK_SECRET: SECRET } });
  const app = await buildApp({ config: m.config, pool: m.db.pool, logger: silentLogger });
  t.teardown(() => app.close());
  await app.listen({ port, host: '127.0.0.1' });
  const { contacts, owners } = seedPortal(m.emulator, 12);
  await runFullSync(m.ctx);
  const c = m.emulator.control;
  c.webhooks.configure({ url: `${publicUrl}/webhooks/hubspot`, secret: SECRET, batchWindowMs: 10 });

  c.update('contacts', contacts[1]!.id, { hubspot_owner_id: owners[9]! });
  await c.webhooks.flush();
  t.same(c.webhooks.deliveries().map((d) => d.status), [200], 'HubSpot got 200');
  t.equal(await pendingWebhookRecords(m.db.pool), 1, 'one record queued to be re-read');
  c.requests.clear();
  t.same(await applyWebhookQueue(m.ctx), { applied: 1, archived: 0 });
  t.same(c.requests.byRoute(), { 'POST /crm/v3/objects/contacts/batch/read': 1 }, 're-read with one batch read');
  t.same(await lookupResponsible(m.db.pool, contacts[1]!.phone, 2_000), { status: 'found', contactOwnerId: owners[9] });
  t.equal(await pendingWebhookRecords(m.db.pool), 0);

  const withDeal = contacts[0]!; // contact 0 has an open deal
  const openDeal = c.associations('contacts', withDeal.id, 'deals').map((a) => a.toId).find((id) => c.record('deals', id)?.properties.dealstage === 'appointmentscheduled')!;
  c.archive('deals', openDeal);
  c.archive('contacts', contacts[2]!.id);
  await c.webhooks.flush();
  t.same(await lookupResponsible(m.db.pool, withDeal.phone, 2_000), { status: 'found', contactOwnerId: withDeal.ownerId }, 'the deleted deal is gone from lookups at once');
  t.same(await lookupResponsible(m.db.pool, contacts[2]!.phone, 2_000), { status: 'not_found' }, 'so is the deleted contact');

  c.update('deals', c.seed('deals', { dealname: 'later', pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: owners[3]! }, {
    associations: [{ toType: 'contacts', toId: contacts[4]!.id }],
  }).id, { dealname: 'renamed' });
  await c.webhooks.flush();
  await applyWebhookQueue(m.ctx);
  t.same(await lookupResponsible(m.db.pool, contacts[4]!.phone, 2_000), { ...expectedResponsible(contacts[4]!), dealOwnerId: owners[3] }, 'a new deal arrives with its contacts');
});

t.test('bad, stale or missing signatures: 401, and nothing changes', async (t) => {
  const m = await mirrorForTest(t, { env: { HUBSPOT_WEBHOOK_SECRET: SECRET } });
  const app = await buildApp({ config: m.config, pool: m.db.pool, logger: silentLogger });
  t.teardown(() => app.close());
  const { contacts } = seedPortal(m.emulator, 3);
  await runFullSync(m.ctx);
  const uri = `${m.config.publicUrl}/webhooks/hubspot`;
  const body = JSON.stringify([
    { eventId: 1, subscriptionType: 'contact.deletion', objectId: Number(contacts[0]!.id), occurredAt: Date.now(), changeFlag: 'DELETED' },
    { eventId: 2, subscriptionType: 'contact.propertyChange', objectId: Number(contacts[1]!.id), propertyName: 'phone', propertyValue: 'x' },
  ]);
  const send = (headers: Record<string, string>, payload = body) =>
    app.inject({ method: 'POST', url: '/webhooks/hubspot', headers: { 'content-type': 'application/json', ...headers }, payload });
  const signed = (secret: string, ts: number, payload = body) => ({
    'x-hubspot-signature-v3': signatureV3(secret, 'POST', uri, payload, ts),
    'x-hubspot-request-timestamp': String(ts),
  });
  const unchanged = async () => {
    t.equal(await pendingWebhookRecords(m.db.pool), 0, 'nothing queued');
    t.same(await lookupResponsible(m.db.pool, contacts[0]!.phone, 2_000), expectedResponsible(contacts[0]!), 'nothing deleted');
  };

  const wrong = await send(signed('not-the-secret', Date.now()));
  t.equal(wrong.statusCode, 401);
  t.match(wrong.json(), { code: 'WEBHOOK_SIGNATURE_INVALID', detail: /does not match/ });
  await unchanged();

  const stale = await send(signed(SECRET, Date.now() - 6 * 60_000));
  t.equal(stale.statusCode, 401, 'a correct signature, six minutes old');
  t.match(stale.json(), { detail: /36\d s old/ });
  await unchanged();

  t.equal((await send({})).statusCode, 401, 'no signature at all');
  const tampered = await send(signed(SECRET, Date.now()), body.replace('"x"', '"y"'));
  t.equal(tampered.statusCode, 401, 'a body changed after signing');
  await unchanged();

  const good = await send(signed(SECRET, Date.now()));
  t.equal(good.statusCode, 200, 'no API key needed: the signature authenticates');
  t.same(good.json(), { queued: 1, deleted: 1, ignored: 0 });
  t.same(await lookupResponsible(m.db.pool, contacts[0]!.phone, 2_000), { status: 'not_found' }, 'the signed deletion applied');
  const notJson = 'not json';
  const bad = await send(signed(SECRET, Date.now(), notJson), notJson);
  t.equal(bad.statusCode, 400, 'signed, but not JSON');
  t.match(bad.json(), { code: 'INVALID_JSON', detail: /line 1, column \d+/ });
});

t.test('webhooks while CRM sync is off, or without a secret to check them', async (t) => {
  const m = await mirrorForTest(t);
  const noSecret = await buildApp({ config: m.config, pool: m.db.pool, logger: silentLogger });
  t.teardown(() => noSecret.close());
  const r = await noSecret.inject({ method: 'POST', url: '/webhooks/hubspot', headers: { 'content-type': 'application/json' }, payload: '[]' });
  t.equal(r.statusCode, 401);
  t.match(r.json(), { detail: /set HUBSPOT_WEBHOOK_SECRET/ });

  const off = await buildApp({ config: { ...m.config, crm: { ...m.config.crm, hubspotToken: undefined } }, pool: m.db.pool, logger: silentLogger });
  t.teardown(() => off.close());
  const r2 = await off.inject({ method: 'POST', url: '/webhooks/hubspot', headers: { 'content-type': 'application/json' }, payload: '[]' });
  t.equal(r2.statusCode, 409);
  t.match(r2.json(), { code: 'CRM_SYNC_OFF', detail: 'CRM sync is off: set HUBSPOT_TOKEN' });
});
