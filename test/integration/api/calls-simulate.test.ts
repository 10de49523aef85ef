// POST /api/v1/calls/simulate: the attribution and routing plan of a call that is
// never placed. Nothing rings, nothing is stored, the round robin does not move.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { numberPool, site, visitorSession } from '../../support/dni-fixtures.ts';
import { employee, scheme, sipUriDestination, staticNumber } from '../../support/sip-fixtures.ts';

const URL = '/api/v1/calls/simulate';
const POOL_A = '+380441110001';
const POOL_B = '+380441110002';
const FALLBACK = '+380449990000';
const BILLBOARD = '+380449990001';
const CALLER = '+380501234567';
const AT = '2026-06-15T10:30:00+03:00'; // 07:30Z
const at = (iso: string) => new Date(iso);

t.test('POST /api/v1/calls/simulate', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const ana = await employee(db, 'Ana', { newClients: true });
  const bo = await employee(db, 'Bo', { newClients: true });
  await sipUriDestination(db, ana, 'sip:ana@pbx.example.com');
  await sipUriDestination(db, bo, 'sip:bo@pbx.example.com');
  const rr = await scheme(db, 'new clients', [{ type: 'new_client_distribution', mode: 'round_robin', timeoutS: 15 }]);
  const siteId = await site(db, { fallback: FALLBACK, holdTimeS: 600 });
  const { ids } = await numberPool(db, siteId, [POOL_A, POOL_B], rr);
  await staticNumber(db, FALLBACK, rr, 'Website');
  await staticNumber(db, BILLBOARD, rr, 'Billboard A1');
  const holder = await visitorSession(db, {
    siteId, trackingNumberId: ids[0]!, number: POOL_A, createdAt: at('2026-06-15T07:00:00Z'), heldUntil: at('2026-06-15T08:00:00Z'),
    source: 'google', medium: 'cpc', utmCampaign: 'brand', utmTerm: 'sofa', gclid: 'g-1', gaClientId: 'GA1.1.7',
    referrer: 'https://www.google.com/', landingPage: 'https://shop.example.com/?gclid=g-1',
  });
  const gone = await visitorSession(db, {
    siteId, trackingNumberId: ids[1]!, number: POOL_B, createdAt: at('2026-06-15T07:00:00Z'), heldUntil: at('2026-06-15T07:25:00Z'),
    releasedAt: at('2026-06-15T07:25:00Z'), source: 'facebook.com', medium: 'social',
  });

  t.test('a pool number held by a session: exact, with its source, the number and the plan', async (t) => {
    const res = await api.post(URL, { from: '050 123 45 67', to: '044 111 0001', at: AT });
    t.equal(res.statusCode, 200, res.body);
    const body = res.json();
    t.same(body.attribution, {
      confidence: 'exact',
      label: 'google / cpc',
      visitor_session_id: holder,
      source: 'google',
      medium: 'cpc',
      campaign: 'brand',
      content: null,
      term: 'sofa',
      gclid: 'g-1',
      gbraid: null,
      wbraid: null,
      fbclid: null,
      msclkid: null,
      ga_client_id: 'GA1.1.7',
      referrer: 'https://www.google.com/',
      landing_page: 'https://shop.example.com/?gclid=g-1',
    });
    t.match(body, {
      simulated: true,
      at: '2026-06-15T07:30:00.000Z',
      caller: CALLER,
      tracking_number: { id: ids[0], number: POOL_A, kind: 'pool', site_id: siteId, source_name: null, fallback_for_site_id: null },
      routing: { scheme_id: rr, scheme_found: true, crm_lookup: null, responsible_manager_id: null, rings_anyone: true },
    });
    t.same(body.routing.steps, [
      {
        order: 1, step: 1, step_type: 'new_client_distribution', action: 'ring', ring_timeout_s: 15,
        targets: [{ employee_id: ana, employee_name: 'Ana', destinations: ['sip:ana@pbx.example.com'] }],
        reason: body.routing.steps[0].reason, skip_code: null, excluded: [],
      },
      {
        order: 2, step: 1, step_type: 'new_client_distribution', action: 'ring', ring_timeout_s: 15,
        targets: [{ employee_id: bo, employee_name: 'Bo', destinations: ['sip:bo@pbx.example.com'] }],
        reason: body.routing.steps[1].reason, skip_code: null, excluded: [],
      },
    ]);
    t.same(body.routing.round_robin, [{ step: 1, first_employee_id: ana }]);
    t.match(body.lines.join('\n'), `attribution: exact: google / cpc, visitor session ${holder}`);
  });

  t.test('each kind of number gets its confidence', async (t) => {
    // [case, to, confidence, label, session]
    const rows: Array<[string, string, string, string, number | null]> = [
      ['released 5 minutes ago, within the 10-minute hold time', POOL_B, 'recent', 'facebook.com / social', gone],
      ['the site\'s fallback number', FALLBACK, 'fallback', 'unattributed (pool exhausted)', null],
      ['a static number', BILLBOARD, 'static', 'Billboard A1', null],
    ];
    for (const [name, to, confidence, label, session] of rows) {
      const res = await api.post(URL, { from: CALLER, to, at: AT });
      t.equal(res.statusCode, 200, `${name}: ${res.body}`);
      t.match(res.json().attribution, { confidence, label, visitor_session_id: session }, name);
    }
    const later = (await api.post(URL, { from: CALLER, to: POOL_B, at: '2026-06-15T07:36:00Z' })).json();
    t.match(later.attribution, { confidence: 'none', visitor_session_id: null }, 'past the hold time: none');
    const fallback = (await api.post(URL, { from: CALLER, to: FALLBACK, at: AT })).json();
    t.equal(fallback.tracking_number.fallback_for_site_id, siteId);
  });

  t.test('a withheld caller and no `at`: routed as now', async (t) => {
    const before = Date.now();
    const res = await api.post(URL, { from: 'anonymous', to: BILLBOARD });
    t.equal(res.statusCode, 200, res.body);
    t.equal(res.json().caller, null);
    t.ok(Date.parse(res.json().at) >= before - 1000, 'at is the current time');
  });

  t.test('nothing moves: no call stored, the round robin and the sessions as they were', async (t) => {
    await db.query('INSERT INTO round_robin_state (step_id, last_employee_id) SELECT id, $1 FROM routing_steps WHERE scheme_id = $2', [ana, rr]);
    const sessions = async () => (await db.query('SELECT id, held_until, released_at, last_heartbeat_at FROM visitor_sessions ORDER BY id')).rows;
    const before = await sessions();
    for (let i = 0; i < 2; i++) {
      const body = (await api.post(URL, { from: CALLER, to: POOL_A, at: AT })).json();
      t.equal(body.routing.steps[0].targets[0].employee_id, bo, `run ${i + 1}: Bo's turn, after Ana`);
    }
    t.same((await db.query('SELECT last_employee_id FROM round_robin_state')).rows, [{ last_employee_id: ana }], 'the rotation is untouched');
    t.equal((await db.query('SELECT count(*)::int AS n FROM calls')).rows[0].n, 0, 'no call stored');
    t.same(await sessions(), before, 'the sessions are untouched');
  });

  t.test('bad input: a clear 4xx naming what is wrong', async (t) => {
    // [case, body, status, code, field, detail]
    const rows: Array<[string, unknown, number, string, string | null, RegExp]> = [
      ['an unusable caller', { from: '12', to: POOL_A }, 400, 'PHONE_INVALID', '/from', /\/from: the caller's number is not usable/],
      ['an unusable dialled number', { from: CALLER, to: 'not-a-number' }, 400, 'PHONE_INVALID', '/to', /\/to: the dialled number is not usable/],
      ['not a tracking number', { from: CALLER, to: '+380449999999' }, 404, 'TRACKING_NUMBER_UNKNOWN', null, /\+380449999999 is not a tracking number/],
      ['`at` without a zone', { from: CALLER, to: POOL_A, at: '2026-06-15T10:30:00' }, 400, 'VALIDATION_FAILED', '/at', /ISO 8601 time with a zone/],
      ['`at` on February 30', { from: CALLER, to: POOL_A, at: '2026-02-30T10:00:00Z' }, 400, 'VALIDATION_FAILED', '/at', /"2026-02-30T10:00:00Z"/],
      ['no caller', { to: POOL_A }, 400, 'VALIDATION_FAILED', '/from', /from/],
      ['an unknown field', { from: CALLER, to: POOL_A, when: AT }, 400, 'VALIDATION_FAILED', null, /when/],
    ];
    for (const [name, body, status, code, field, detail] of rows) {
      const res = await api.post(URL, body);
      t.equal(res.statusCode, status, `${name}: ${status}`);
      const p = res.json();
      t.equal(p.code, code, `${name}: ${code}`);
      t.match(p.detail, detail, `${name}: says what is wrong`);
      if (field) t.equal(p.errors?.[0]?.field, field, `${name}: names ${field}`);
    }
  });

  t.test('an API key is required', async (t) => {
    const res = await api.app.inject({ method: 'POST', url: URL, payload: { from: CALLER, to: POOL_A } });
    t.equal(res.statusCode, 401);
  });
});
