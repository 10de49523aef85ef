// Outgoing webhooks end to end: subscriptions made through the API, events from
// the PostgreSQL CallEvents adapter, delivery by the graphile-worker tasks to a
// receiver on 127.0.0.1 that verifies each with the standardwebhooks package.
// Retries are driven by moving their run_at to now, never by waiting.
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { Recogniser } from '../../../src/calls/recognise.ts';
import { buildCallRecord, noAttribution } from '../../../src/calls/record.ts';
import { answeredEvent, startedEvent, type CallStart } from '../../../src/outbound/events.ts';
import { announceCrmSynced } from '../../../src/outbound/crm-synced.ts';
import { storedCall } from '../../support/export-calls.ts';
import { postgresCallEvents } from '../../../src/sip/adapters/postgres.ts';
import { testApi } from '../../support/app.ts';
import { makeJobsDue, outboundConfig, pendingJobs, runDueJobs } from '../../support/outbound.ts';
import { startReceiver } from '../../support/webhook-receiver.ts';

const ALL = ['call.started', 'call.answered', 'call.ended', 'call.missed', 'call.crm_synced'];

async function world(t: Test, env: Record<string, string> = {}) {
  // the receiver listens on 127.0.0.1, which only WEBHOOK_ALLOW_PRIVATE lets a subscription name
  const api = await testApi(t, { WEBHOOK_ALLOW_PRIVATE: 'true' });
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const config = outboundConfig(env);
  const created = await api.post('/api/v1/webhooks', { url: receiver.url, event_types: ALL, description: 'crm bridge' });
  t.equal(created.statusCode, 201, 'subscription created');
  const endpoint = created.json() as { id: number; secret: string };
  receiver.secret = endpoint.secret;
  const events = postgresCallEvents(api.db.pool, () => undefined);
  const run = (opts: { now?: () => Date } = {}) => runDueJobs(api.db.pool, config, opts);
  const log = async () => (await api.get(`/api/v1/webhooks/${endpoint.id}/deliveries`)).json().items as Array<Record<string, any>>;
  return { api, receiver, endpoint, events, run, log, pool: api.db.pool };
}

function call(id = randomUUID()): CallStart {
  return { callId: id, direction: 'inbound', caller: '+380501234567', trackingNumber: '+380441234567', startedAt: new Date(), attribution: noAttribution() };
}

function finishedRecord(c: CallStart, answered: boolean) {
  return buildCallRecord(
    {
      id: c.callId,
      sipCallId: `${c.callId}@carrier`,
      direction: 'inbound',
      caller: { kind: 'number', e164: c.caller! },
      callerRaw: null,
      callee: { kind: 'number', e164: c.trackingNumber! },
      trackingNumber: { id: null, number: c.trackingNumber! },
      attribution: c.attribution,
      trace: [],
      ...(answered ? { answered: { destination: { type: 'phone' as const, number: '+380671110001' }, at: new Date(c.startedAt.getTime() + 5000) } } : {}),
      callerHungUp: false,
      startedAt: c.startedAt,
      endedAt: new Date(c.startedAt.getTime() + 65_000),
      recordingPath: null,
    },
    new Recogniser([]),
  );
}

t.test('every event is signed per Standard Webhooks, and a call\'s events arrive in order', async (t) => {
  const w = await world(t);
  const a = call();
  const b = call();
  await w.events.emit(startedEvent(a, new Date()));
  await w.events.emit(startedEvent(b, new Date()));
  await w.events.emit(answeredEvent(a, new Date(), 7));
  await w.events.finished(finishedRecord(a, true));
  await w.events.finished(finishedRecord(b, false));
  await w.run();
  t.ok(w.receiver.received.length > 0 && w.receiver.received.every((r) => r.verified), 'every delivery verifies with the secret shown at creation');
  t.same(w.receiver.received.filter((r) => r.callId === a.callId).map((r) => r.type), ['call.started', 'call.answered', 'call.ended']);
  t.same(w.receiver.received.filter((r) => r.callId === b.callId).map((r) => r.type), ['call.started', 'call.ended', 'call.missed']);
  t.equal(new Set(w.receiver.received.map((r) => r.id)).size, 6, 'each event has its own webhook-id');
  const log = await w.log();
  t.ok(log.every((d) => d.state === 'delivered' && d.attempts === 1 && d.attempt_log[0].status_code === 204), 'the log has each delivery with its attempt and response code');
  t.equal(await pendingJobs(w.pool), 0, 'no job left behind');
});

t.test('a subscription gets only the event types it asked for', async (t) => {
  const w = await world(t);
  const other = await w.api.post('/api/v1/webhooks', { url: w.receiver.url, event_types: ['call.missed'] });
  t.equal(other.statusCode, 201);
  const a = call();
  await w.events.finished(finishedRecord(a, false));
  await w.run();
  const types = w.receiver.received.map((r) => r.type).sort();
  t.same(types, ['call.ended', 'call.missed', 'call.missed'], 'the first endpoint got both, the second only call.missed');
});

t.test('a 500 is retried later with the same webhook-id, and the call\'s later events wait behind it', async (t) => {
  const w = await world(t);
  w.receiver.script = [500];
  const a = call();
  await w.events.emit(startedEvent(a, new Date()));
  await w.events.finished(finishedRecord(a, true));
  await w.run();
  t.same(w.receiver.received.map((r) => [r.type, r.answered]), [['call.started', 500]], 'call.ended was not sent ahead of the failed call.started');
  const [ended, started] = await w.log();
  t.match(started, { event_type: 'call.started', state: 'pending', attempts: 1, last_error: 'HTTP 500', attempt_log: [{ status_code: 500, error: 'HTTP 500' }] });
  t.ok(started!.next_attempt_at, 'a retry is scheduled');
  t.match(ended, { event_type: 'call.ended', state: 'pending', attempts: 0 });
  await w.run();
  t.equal(w.receiver.received.length, 1, 'nothing is sent before the retry is due');

  t.equal(await makeJobsDue(w.pool), 1, 'one retry was waiting');
  await w.run();
  t.same(w.receiver.received.map((r) => [r.type, r.answered]), [['call.started', 500], ['call.started', 204], ['call.ended', 204]]);
  t.equal(w.receiver.received[0]!.id, w.receiver.received[1]!.id, 'the retry carries the same webhook-id');
  t.same((await w.log()).map((d) => [d.event_type, d.state, d.attempts]), [['call.ended', 'delivered', 1], ['call.started', 'delivered', 2]]);
});

t.test('a receiver that does not answer in time is retried', async (t) => {
  const w = await world(t, { WEBHOOK_TIMEOUT_MS: '300' });
  w.receiver.script = ['hang'];
  const a = call();
  await w.events.emit(startedEvent(a, new Date()));
  await w.run();
  const [first] = await w.log();
  t.match(first, { state: 'pending', attempts: 1, last_error: 'timed out after 300 ms', attempt_log: [{ status_code: null, error: 'timed out after 300 ms' }] });
  await makeJobsDue(w.pool);
  await w.run();
  t.match((await w.log())[0], { state: 'delivered', attempts: 2 });
});

t.test('a delivery can be replayed, with the same webhook-id', async (t) => {
  const w = await world(t);
  const a = call();
  await w.events.emit(startedEvent(a, new Date()));
  await w.run();
  const [d] = await w.log();
  const replay = await w.api.post(`/api/v1/webhooks/${w.endpoint.id}/deliveries/${d!.id}/replay`, {});
  t.equal(replay.statusCode, 202, 'replay accepted');
  await w.run();
  t.equal(w.receiver.received.length, 2, 'sent again');
  t.equal(w.receiver.received[1]!.id, w.receiver.received[0]!.id);
  t.ok(w.receiver.received[1]!.verified, 'signed anew');
  t.match((await w.log())[0], { state: 'delivered', attempt_log: [{ status_code: 204 }, { status_code: 204 }] });
  t.equal((await w.api.post(`/api/v1/webhooks/${w.endpoint.id}/deliveries/999999/replay`, {})).statusCode, 404, 'an unknown delivery is 404');
});

t.test('an endpoint that keeps failing is disabled, and the admin sees why', async (t) => {
  const w = await world(t, { WEBHOOK_DISABLE_AFTER: '3' });
  w.receiver.script = [503, 503, 503];
  const a = call();
  await w.events.emit(startedEvent(a, new Date()));
  await w.events.finished(finishedRecord(a, true));
  await w.run();
  await makeJobsDue(w.pool);
  await w.run();
  await makeJobsDue(w.pool);
  await w.run();
  const endpoint = (await w.api.get(`/api/v1/webhooks/${w.endpoint.id}`)).json();
  t.match(endpoint, { enabled: false, consecutive_failures: 3, disabled_reason: '3 delivery attempts in a row failed; the last: HTTP 503' });
  t.ok(endpoint.disabled_at, 'with when');
  t.same((await w.log()).map((d) => [d.event_type, d.state]), [['call.ended', 'failed'], ['call.started', 'failed']], 'its undelivered events failed with it');
  t.match((await w.log())[0], { last_error: /^endpoint disabled: 3 delivery attempts/ });
  await w.events.emit(startedEvent(call(), new Date()));
  t.equal((await w.log()).length, 2, 'a disabled endpoint gets no new events');
  t.equal((await w.api.post(`/api/v1/webhooks/${w.endpoint.id}/deliveries/1/replay`, {})).statusCode, 409, 'nor replays');

  const enabled = await w.api.patch(`/api/v1/webhooks/${w.endpoint.id}`, { enabled: true });
  t.match(enabled.json(), { enabled: true, disabled_reason: null, consecutive_failures: 0 }, 'turning it back on clears the failures');
});

t.test('a delivery failing for three days is given up and its endpoint disabled', async (t) => {
  const w = await world(t);
  w.receiver.script = [500, 500];
  let now = new Date();
  const clock = () => now;
  await w.events.emit(startedEvent(call(), now));
  await w.run({ now: clock });
  now = new Date(now.getTime() + 3 * 86_400_000 - 1000);
  await makeJobsDue(w.pool);
  await w.run({ now: clock });
  const [d] = await w.log();
  t.match(d, { state: 'failed', attempts: 2, last_error: 'gave up after 2 attempts over 3 days; the last: HTTP 500' });
  t.match((await w.api.get(`/api/v1/webhooks/${w.endpoint.id}`)).json(), { enabled: false, disabled_reason: /^a delivery failed for 3 days \(msg_[0-9a-f]+\); the last: HTTP 500$/ });
});

t.test('destinations on private, loopback or link-local addresses are refused unless the setting allows them', async (t) => {
  // subscribed while the setting allowed it; delivered after it was turned off
  const w = await world(t, { WEBHOOK_ALLOW_PRIVATE: 'false' });
  await w.events.emit(startedEvent(call(), new Date()));
  await w.run();
  t.equal(w.receiver.received.length, 0, 'nothing reached the receiver on 127.0.0.1');
  t.match((await w.log())[0], { state: 'pending', attempt_log: [{ status_code: null, error: 'destination refused: 127.0.0.1 is a loopback address' }] });

  const strict = await testApi(t);
  const refused = await strict.post('/api/v1/webhooks', { url: w.receiver.url, event_types: ['call.ended'] });
  t.equal(refused.statusCode, 400, 'without the setting, subscribing a loopback address is refused');
  t.match(refused.json().errors, [{ field: '/url', message: /^is refused: 127\.0\.0\.1 is a loopback address/ }]);
});

t.test('call.crm_synced carries the HubSpot records the sync wrote', async (t) => {
  const w = await world(t);
  const id = await storedCall(w.pool, { startedAt: new Date(), talkS: 20, attribution: noAttribution() });
  await w.pool.query(`UPDATE calls SET crm_sync_state = 'synced', crm_contact_id = '101', crm_deal_id = '202', crm_call_id = '303' WHERE id = $1`, [id]);
  await announceCrmSynced(w.pool, id);
  await w.run();
  t.match(w.receiver.received, [{ type: 'call.crm_synced', callId: id, verified: true }]);
  const [d] = await w.log();
  t.equal(d!.event_type, 'call.crm_synced');
  const { rows } = await w.pool.query<{ payload: { data: Record<string, unknown> } }>('SELECT payload FROM webhook_deliveries WHERE id = $1', [d!.id]);
  t.same(rows[0]!.payload.data.crm, { contact_id: '101', deal_id: '202', call_id: '303' });
});
