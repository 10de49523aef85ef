// /api/v1/crm: refresh, full sync, sync status and phone properties, against the emulator.
import t from 'tap';
import { lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { testApi } from '../../support/app.ts';
import { hubspotForTest, sleep } from '../../support/hubspot-emulator/testing.ts';
import { seedPortal, uaNumber } from './mirror-fixtures.ts';

async function crmApi(t: Parameters<typeof testApi>[0]) {
  const { emulator } = await hubspotForTest(t);
  const api = await testApi(t, { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url, HUBSPOT_RATE_LIMIT: '190' });
  return { emulator, api };
}

t.test('with no token every CRM route answers 409 with a clear problem', async (t) => {
  const api = await testApi(t);
  for (const [method, url] of [['POST', '/api/v1/crm/refresh'], ['POST', '/api/v1/crm/full-sync'], ['GET', '/api/v1/crm/sync-status'], ['GET', '/api/v1/crm/phone-properties']] as const) {
    const r = method === 'GET' ? await api.get(url) : await api.post(url, {});
    t.equal(r.statusCode, 409, `${method} ${url}`);
    t.match(r.json(), { code: 'CRM_SYNC_OFF', detail: 'CRM sync is off: set HUBSPOT_TOKEN' });
  }
  t.equal((await api.app.inject({ method: 'GET', url: '/api/v1/crm/sync-status' })).statusCode, 401, 'and the API key is still required');
});

t.test('Refresh CRM data: owners, pipelines and stages', async (t) => {
  const { emulator, api } = await crmApi(t);
  seedPortal(emulator, 3);
  emulator.control.addPipeline({
    id: 'renewals',
    label: 'Renewals',
    stages: [{ id: 'r-open', label: 'Open' }, { id: 'r-won', label: 'Won', isClosed: true, probability: 1 }, { id: 'r-lost', label: 'Lost', isClosed: true, probability: 0 }],
  });
  const r = await api.post('/api/v1/crm/refresh', {});
  t.equal(r.statusCode, 200);
  t.same(r.json(), { owners: 10, pipelines: 2, stages: 10, phone_properties: 3, deals_reopened_or_closed: 0 });
  const { rows } = await api.db.pool.query('SELECT id, is_closed, is_won FROM crm_stages WHERE pipeline_id = $1 ORDER BY position', ['renewals']);
  t.same(rows, [
    { id: 'r-open', is_closed: false, is_won: null },
    { id: 'r-won', is_closed: true, is_won: true },
    { id: 'r-lost', is_closed: true, is_won: false },
  ]);
});

t.test('full sync: 202, one at a time, followed through the sync status', async (t) => {
  const { emulator, api } = await crmApi(t);
  const portal = seedPortal(emulator, 250);
  emulator.control.faults.latency(30);
  const started = await api.post('/api/v1/crm/full-sync', {});
  t.equal(started.statusCode, 202);
  t.match(started.json(), { status: 'started' });
  const again = await api.post('/api/v1/crm/full-sync', {});
  t.equal(again.statusCode, 409, 'a second one while it runs');
  t.match(again.json(), { code: 'FULL_SYNC_RUNNING' });

  let status = (await api.get('/api/v1/crm/sync-status')).json();
  t.match(status, { filled: false, full_sync: { active: true } });
  // the run marks the mirror filled, then lets go of its lock: wait for both
  for (let i = 0; i < 200 && !(status.filled && status.full_sync.active === false); i++) {
    await sleep(50);
    status = (await api.get('/api/v1/crm/sync-status')).json();
  }
  t.match(status, {
    filled: true,
    full_sync: { status: 'done', active: false, processed: 250 + portal.deals, total: 250 + portal.deals, phase: null, error: null },
    incremental_sync: { contacts: { high_water: /^\d{4}-/ }, deals: { high_water: /^\d{4}-/ } },
    webhooks: { pending: 0 },
    counts: { contacts: 250, deals: portal.deals, open_deals: 84, owners: 10, pipelines: 1, stages: 7, unreadable_phones: 0 },
  });
});

t.test('HubSpot down: refresh answers 503 and changes nothing', async (t) => {
  const { emulator, api } = await crmApi(t);
  await emulator.control.faults.down(undefined, '503');
  const r = await api.post('/api/v1/crm/refresh', {});
  t.equal(r.statusCode, 503);
  t.match(r.json(), { code: 'CRM_UNAVAILABLE', detail: /HubSpot is not answering .*503.*try again later/ });
  const { rows } = await api.db.pool.query('SELECT count(*)::int AS n FROM crm_pipelines');
  t.equal(rows[0]?.n, 0);
});

t.test('extra phone properties: configured, then read by the next full sync', async (t) => {
  const { emulator, api } = await crmApi(t);
  t.same((await api.get('/api/v1/crm/phone-properties')).json().items.map((p: { name: string }) => p.name).sort(), ['hs_whatsapp_phone_number', 'mobilephone', 'phone']);
  const bad = await api.put('/api/v1/crm/phone-properties', { custom: ['Work Phone'] });
  t.equal(bad.statusCode, 400, 'property names are checked');
  const put = await api.put('/api/v1/crm/phone-properties', { custom: ['work_phone'] });
  t.equal(put.statusCode, 200);
  t.ok(put.json().items.some((p: { name: string; origin: string }) => p.name === 'work_phone' && p.origin === 'custom'));

  emulator.control.defineProperty('contacts', { name: 'work_phone' });
  const owner = emulator.control.addOwner({ email: 'o@example.com' }).id;
  const work = uaNumber(7, 5);
  emulator.control.seed('contacts', { work_phone: work.written, hubspot_owner_id: owner });
  t.equal((await api.post('/api/v1/crm/full-sync', {})).statusCode, 202);
  for (let i = 0; i < 100 && !(await api.get('/api/v1/crm/sync-status')).json().filled; i++) await sleep(50);
  t.same(await lookupResponsible(api.db.pool, work.e164, 2_000), { status: 'found', contactOwnerId: owner }, 'a caller found by the custom property');
});

t.test('closing the app pauses a running full sync; it is resumable', async (t) => {
  const { emulator, api } = await crmApi(t);
  seedPortal(emulator, 400);
  emulator.control.faults.latency(100);
  t.equal((await api.post('/api/v1/crm/full-sync', {})).statusCode, 202);
  await sleep(700);
  await api.app.close();
  const { rows } = await api.db.pool.query<{ status: string; cursor: string | null }>("SELECT status, cursor FROM crm_sync_cursors WHERE name = 'full'");
  t.equal(rows[0]?.status, 'failed', 'stopped, with its cursor kept');
  t.match(rows[0]?.cursor, /"phase":"contacts"/);
});

t.test('the sync status shows a full sync as running as soon as POST /crm/full-sync has answered 202', async (t) => {
  const { emulator, api } = await crmApi(t);
  seedPortal(emulator, 5);
  // a first sync runs to the end: the status then says done
  t.equal((await api.post('/api/v1/crm/full-sync', {})).statusCode, 202);
  for (let i = 0; i < 200 && !((await api.get('/api/v1/crm/sync-status')).json().full_sync.status === 'done'); i++) await sleep(50);
  for (let i = 0; i < 200 && (await api.get('/api/v1/crm/sync-status')).json().full_sync.active; i++) await sleep(50);
  t.match((await api.get('/api/v1/crm/sync-status')).json(), { full_sync: { status: 'done', active: false } });

  // the next one gets no answer from HubSpot until released: it has not reached its first page
  emulator.control.faults.holdAnswers();
  t.teardown(() => emulator.control.faults.release());
  t.equal((await api.post('/api/v1/crm/full-sync', {})).statusCode, 202);
  const status = (await api.get('/api/v1/crm/sync-status')).json();
  t.match(status, { full_sync: { status: 'running', active: true, error: null } }, 'running, not the previous run\'s "done"');
  emulator.control.faults.release();
  for (let i = 0; i < 200 && (await api.get('/api/v1/crm/sync-status')).json().full_sync.status === 'running'; i++) await sleep(50);
  t.match((await api.get('/api/v1/crm/sync-status')).json(), { full_sync: { status: 'done' } }, 'and it finishes once HubSpot answers');
});
