// Calls to GA4 through the export job, against the local GA4 emulator, which
// accepts only bodies that meet the Measurement Protocol's documented limits.
import t, { type Test } from 'tap';
import { exportStore } from '../../../src/outbound/export-store.ts';
import { testApi } from '../../support/app.ts';
import { site, visitorSession } from '../../support/dni-fixtures.ts';
import { finishedCall, sessionAttribution, storedCall } from '../../support/export-calls.ts';
import { recordCall } from '../../../src/db/repositories/calls.ts';
import { postgresCallEvents } from '../../../src/sip/adapters/postgres.ts';
import { startGa4Emulator } from '../../support/ga4-emulator.ts';
import { makeJobsDue, outboundConfig, runDueJobs } from '../../support/outbound.ts';

const MEASUREMENT_ID = 'G-TEST1234';
const API_SECRET = 'mp-secret-1';
const CLIENT_ID = '1234567890.1718870000';

async function world(t: Test) {
  const api = await testApi(t);
  const ga4 = await startGa4Emulator({ measurementId: MEASUREMENT_ID, apiSecret: API_SECRET });
  t.teardown(() => ga4.close());
  const config = outboundConfig({ GA4_BASE_URL: ga4.url });
  const siteId = await site(api.db.pool);
  const put = await api.put(`/api/v1/sites/${siteId}/exports`, {
    ga4: { measurement_id: MEASUREMENT_ID, api_secret: API_SECRET },
    qualified_call: { min_talk_s: 30, answered: true },
  });
  t.equal(put.statusCode, 200, 'GA4 set up');
  const session = async (gaClientId: string | null) => {
    const id = await visitorSession(api.db.pool, { siteId, trackingNumberId: null, createdAt: new Date(Date.now() - 600_000), gaClientId });
    await api.db.pool.query(`UPDATE visitor_sessions SET ga_session_id = '1718870000' WHERE id = $1`, [id]);
    return id;
  };
  const exportCall = async (id: string) => {
    await exportStore.enqueue(api.db.pool, id);
    await runDueJobs(api.db.pool, config);
  };
  const exportsOf = async (id: string) => (await api.get(`/api/v1/calls/${id}`)).json().exports;
  return { api, ga4, siteId, session, exportCall, exportsOf, config, pool: api.db.pool };
}

t.test('a call from a DNI session sends exactly one valid phone_call event, timed at its start, joined to the visit', async (t) => {
  const w = await world(t);
  const startedAt = new Date(Date.now() - 3600_000);
  // stored and announced the way call handling does it: the record, then its events (which queue the export)
  const record = finishedCall({ startedAt, talkS: 10, attribution: sessionAttribution(await w.session(CLIENT_ID), { gaClientId: CLIENT_ID }) });
  await recordCall(w.pool, record, { crmSync: false });
  await postgresCallEvents(w.pool, () => undefined).finished(record);
  await runDueJobs(w.pool, w.config);
  const id = record.id;
  t.same(w.ga4.hits.map((h) => h.messages), [[]], 'one request, valid by the validation rules');
  const events = w.ga4.accepted();
  t.equal(events.length, 1, 'one event');
  t.match(events[0], {
    name: 'phone_call',
    client_id: CLIENT_ID,
    timestamp_micros: startedAt.getTime() * 1000,
    params: {
      source: 'google',
      medium: 'cpc',
      campaign: 'summer',
      tracking_number: '+380441234567',
      duration: 10,
      call_status: 'answered',
      first_time_caller: 'yes',
      ringpath_call_id: id,
      session_id: 1718870000,
    },
  });
  t.match(await w.exportsOf(id), { ga4: { state: 'sent', reason: /^phone_call; not qualified: talk time 10 s is under 30 s$/ } });
  await w.exportCall(id);
  t.equal(w.ga4.hits.length, 1, 'exporting the call again sends nothing more');
});

t.test('a qualified call sends two events: phone_call and the conversion', async (t) => {
  const w = await world(t);
  const id = await storedCall(w.pool, { startedAt: new Date(Date.now() - 60_000), talkS: 95, attribution: sessionAttribution(await w.session(CLIENT_ID), { gaClientId: CLIENT_ID }) });
  await w.exportCall(id);
  t.same(w.ga4.accepted().map((e) => e.name), ['phone_call', 'generate_lead']);
  t.match(await w.exportsOf(id), { ga4: { state: 'sent', reason: 'phone_call and generate_lead; qualified: the conversion event was sent too' } });
});

t.test('a call without a GA client id sends nothing and says why', async (t) => {
  const w = await world(t);
  const id = await storedCall(w.pool, { startedAt: new Date(), talkS: 60, attribution: sessionAttribution(await w.session(null), {}) });
  await w.exportCall(id);
  t.equal(w.ga4.hits.length, 0, 'GA4 got no request');
  t.match(await w.exportsOf(id), { ga4: { state: 'skipped', reason: /^no GA client id/ } });
});

t.test('a call older than 72 hours is skipped, with the reason', async (t) => {
  const w = await world(t);
  const id = await storedCall(w.pool, { startedAt: new Date(Date.now() - 73 * 3600_000), talkS: 60, attribution: sessionAttribution(await w.session(CLIENT_ID), { gaClientId: CLIENT_ID }) });
  await w.exportCall(id);
  t.equal(w.ga4.hits.length, 0);
  t.match(await w.exportsOf(id), { ga4: { state: 'skipped', reason: 'older than the 72 hours GA4 accepts' } });
});

t.test('GA4 failing is retried by the queue; the call shows why meanwhile', async (t) => {
  const w = await world(t);
  w.ga4.failNext(1, 503);
  const id = await storedCall(w.pool, { startedAt: new Date(), talkS: 5, attribution: sessionAttribution(await w.session(CLIENT_ID), { gaClientId: CLIENT_ID }) });
  await w.exportCall(id);
  t.match(await w.exportsOf(id), { ga4: { state: 'pending', reason: 'attempt 1 failed: GA4 answered HTTP 503; retrying' } });
  t.equal(await makeJobsDue(w.pool), 1, 'the retry waits in the queue');
  await runDueJobs(w.pool, outboundConfig({ GA4_BASE_URL: w.ga4.url }));
  t.equal(w.ga4.accepted().length, 1, 'sent on the retry, once');
  t.match(await w.exportsOf(id), { ga4: { state: 'sent' } });
});

t.test('the calls list shows each call\'s export status', async (t) => {
  const w = await world(t);
  const id = await storedCall(w.pool, { startedAt: new Date(), talkS: 60, attribution: sessionAttribution(await w.session(null), {}) });
  await w.exportCall(id);
  const list = (await w.api.get('/api/v1/calls')).json();
  t.match(list.items.find((c: { id: string }) => c.id === id), { exports: { ga4: { state: 'skipped' }, google_ads: null } });
});
