// Webhooks out: batched events, signed with signature v3, retried on failure.
import { Signature } from '@hubspot/api-client';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { WebhookEvent } from '../../support/hubspot-emulator/index.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';
import { checkSignatureV3 } from '../../../src/crm/mirror/webhook-signature.ts';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  events: WebhookEvent[];
}

/** A receiver that records requests and answers with the next status from `statuses` (then 204). */
async function receiver(t: Test, statuses: number[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, events: JSON.parse(body) as WebhookEvent[] });
      res.writeHead(statuses.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hubspot/webhooks?tenant=a`;
  return { url, received, events: () => received.flatMap((r) => r.events) };
}

const SECRET = 'app-secret-123';

t.test('changes made through the API arrive as signed, batched events', async (t) => {
  const hook = await receiver(t);
  const { client, emulator } = await hubspotForTest(t, { webhook: { url: hook.url, secret: SECRET, appId: 777 } });
  const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'a@example.com', phone: '+380501234567' } });
  await emulator.control.webhooks.flush();

  t.equal(hook.received.length, 1, 'one batch');
  const [req] = hook.received;
  t.equal(req!.method, 'POST');
  t.equal(req!.url, '/hubspot/webhooks?tenant=a');
  const timestamp = req!.headers['x-hubspot-request-timestamp'];
  const signature = req!.headers['x-hubspot-signature-v3'];
  t.type(timestamp, 'string');
  t.ok(Math.abs(Date.now() - Number(timestamp)) < 10_000, 'the timestamp is in milliseconds');
  const expected = createHmac('sha256', SECRET).update(`POST${hook.url}${req!.body}${String(timestamp)}`).digest('base64');
  t.equal(signature, expected, 'v3 = base64(HMAC-SHA256(secret, method + uri + body + timestamp))');
  t.ok(
    Signature.isValid({ signatureVersion: 'v3', signature: String(signature), clientSecret: SECRET, requestBody: req!.body, url: hook.url, method: 'POST', timestamp: Number(timestamp) }),
    "the official client's validator agrees",
  );
  t.equal(req!.headers['x-hubspot-signature-version'], 'v1');

  const types = hook.events().map((e) => [e.subscriptionType, e.propertyName ?? null]);
  t.same(types, [
    ['contact.creation', null],
    ['contact.propertyChange', 'email'],
    ['contact.propertyChange', 'phone'],
    ['contact.propertyChange', 'hs_searchable_calculated_phone_number'],
  ]);
  const [creation, email] = hook.events();
  t.match(creation, { objectId: Number(contact.id), portalId: emulator.portalId, appId: 777, attemptNumber: 0, changeFlag: 'NEW', changeSource: 'INTEGRATION' });
  t.type(creation!.eventId, 'number');
  t.type(creation!.occurredAt, 'number');
  t.match(email, { propertyValue: 'a@example.com' });
});

t.test('the URI is signed with the characters HubSpot lists URL-decoded, the rest as sent', async (t) => {
  const hook = await receiver(t);
  const url = `${hook.url.replace('?tenant=a', '')}?tenant=a%3Ab%40c%2Cd&note=x%20y%2Bz`;
  const { client, emulator } = await hubspotForTest(t, { webhook: { url, secret: SECRET } });
  await client.crm.contacts.basicApi.create({ properties: { email: 'b@example.com' } });
  await emulator.control.webhooks.flush();
  const [req] = hook.received;
  const timestamp = String(req!.headers['x-hubspot-request-timestamp']);
  const decoded = url.replace('%3A', ':').replace('%40', '@').replace('%2C', ',');
  t.match(decoded, /tenant=a:b@c,d&note=x%20y%2Bz$/, '%20 and %2B are not on the list: they stay encoded');
  const expected = createHmac('sha256', SECRET).update(`POST${decoded}${req!.body}${timestamp}`).digest('base64');
  t.equal(req!.headers['x-hubspot-signature-v3'], expected);
  const check = checkSignatureV3(SECRET, { method: 'POST', uri: url, body: req!.body, signature: String(req!.headers['x-hubspot-signature-v3']), timestamp });
  t.same(check, { ok: true }, "ringpath's check accepts it");
});

t.test('UI edits, deletions and subscriptions to single properties', async (t) => {
  const hook = await receiver(t);
  const { client, emulator } = await hubspotForTest(t, {
    webhook: {
      url: hook.url,
      secret: SECRET,
      subscriptions: [{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' }, { subscriptionType: 'deal.deletion' }],
    },
  });
  const deal = emulator.control.seed('deals', { dealname: 'd', dealstage: 'appointmentscheduled' });
  await emulator.control.webhooks.flush();
  t.equal(hook.received.length, 0, 'seeding sends no webhooks by default');
  emulator.control.update('deals', deal.id, { dealname: 'renamed', dealstage: 'closedwon' });
  await client.crm.deals.basicApi.archive(deal.id);
  await emulator.control.webhooks.flush();
  t.same(
    hook.events().map((e) => [e.subscriptionType, e.propertyName ?? null, e.propertyValue ?? null, e.changeSource]),
    [
      ['deal.propertyChange', 'dealstage', 'closedwon', 'CRM_UI'],
      ['deal.deletion', null, null, 'INTEGRATION'],
    ],
    'only the subscribed property; dealname is not reported',
  );
});

t.test('failed deliveries are retried with a higher attemptNumber', async (t) => {
  const hook = await receiver(t, [500, 503]);
  const { emulator } = await hubspotForTest(t, { webhook: { url: hook.url, secret: SECRET, retryDelayMs: 10, maxAttempts: 3 } });
  emulator.control.webhooks.trigger([{ subscriptionType: 'contact.propertyChange', objectId: 42, propertyName: 'phone', propertyValue: '+1' }]);
  await emulator.control.webhooks.flush();
  t.same(hook.received.map((r) => r.events[0]?.attemptNumber), [0, 1, 2]);
  t.same(emulator.control.webhooks.deliveries().map((d) => d.status), [500, 503, 204]);
  const ids = new Set(hook.received.map((r) => r.events[0]?.eventId));
  t.equal(ids.size, 1, 'the same event each time');
  const sigs = new Set(hook.received.map((r) => r.headers['x-hubspot-signature-v3']));
  t.equal(sigs.size, 3, 'each attempt is signed afresh');
});

t.test('at most 100 events per request; an unreachable target is logged', async (t) => {
  const hook = await receiver(t);
  const { emulator } = await hubspotForTest(t, { webhook: { url: hook.url, secret: SECRET } });
  emulator.control.webhooks.trigger(Array.from({ length: 150 }, (_, i) => ({ subscriptionType: 'contact.creation' as const, objectId: i + 1 })));
  await emulator.control.webhooks.flush();
  t.same(hook.received.map((r) => r.events.length), [100, 50]);

  emulator.control.webhooks.configure({ url: 'http://127.0.0.1:1/nowhere', secret: SECRET, maxAttempts: 2, retryDelayMs: 5 });
  emulator.control.webhooks.trigger([{ subscriptionType: 'deal.creation', objectId: 1 }]);
  await emulator.control.webhooks.flush();
  const failed = emulator.control.webhooks.deliveries().slice(-2);
  t.same(failed.map((d) => d.attemptNumber), [0, 1]);
  t.ok(failed.every((d) => d.error !== undefined && d.status === undefined));
});
