// Call attribution on PostgreSQL: the pool number's holds read from visitor_sessions,
// static and fallback numbers as the directory resolves them, and the attribution
// carried into the stored call, the calls API and the post-call CRM facts.
import t from 'tap';
import { buildCallRecord } from '../../../src/calls/record.ts';
import { Recogniser } from '../../../src/calls/recognise.ts';
import { loadCallRow, toCallFacts } from '../../../src/crm/executor/call-facts.ts';
import { recordCall } from '../../../src/db/repositories/calls.ts';
import { resolveTrackingNumber, type ResolvedTrackingNumber } from '../../../src/db/repositories/directory.ts';
import { attributeCall, postgresAttribution, recentHolds } from '../../../src/dni/attribution-port.ts';
import { testApi } from '../../support/app.ts';
import { numberPool, site, visitorSession } from '../../support/dni-fixtures.ts';
import { silentLogger } from '../../support/db.ts';

const T0 = Date.parse('2026-06-15T09:00:00Z');
const m = (min: number) => new Date(T0 + min * 60_000);
const A = '+380441110001';
const B = '+380441110002';
const FALLBACK = '+380449990000';
const BILLBOARD = '+380449990001';

t.test('call attribution from visitor_sessions', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const siteId = await site(db, { fallback: FALLBACK, holdTimeS: 600 });
  const { ids } = await numberPool(db, siteId, [A, B]);
  const [a, b] = ids as [number, number];
  await db.query(`INSERT INTO tracking_numbers (number, kind, source_name, utm_source, utm_medium) VALUES ($1, 'static', 'Website', NULL, NULL)`, [FALLBACK]);
  await db.query(`INSERT INTO tracking_numbers (number, kind, source_name, utm_source, utm_medium, utm_campaign) VALUES ($1, 'static', 'Billboard A1', 'billboard', 'offline', 'spring')`, [BILLBOARD]);

  // A: ana 0–20 (released), cy from 25, still holding (held until 40). B: bo 0–? expired at 10, never swept.
  const ana = await visitorSession(db, {
    siteId, trackingNumberId: a, number: A, createdAt: m(0), heldUntil: m(20), releasedAt: m(20),
    source: 'google', medium: 'cpc', utmCampaign: 'brand', utmTerm: 'sofa', gclid: 'g-ana', gbraid: 'gb-ana', msclkid: null,
    gaClientId: 'GA1.1.ana', referrer: 'https://www.google.com/', landingPage: 'https://shop.example.com/?gclid=g-ana',
  });
  const cy = await visitorSession(db, { siteId, trackingNumberId: a, number: A, createdAt: m(25), heldUntil: m(40), source: 'bing', medium: 'cpc', msclkid: 'ms-cy' });
  const bo = await visitorSession(db, { siteId, trackingNumberId: b, number: B, createdAt: m(0), heldUntil: m(10), source: 'facebook.com', medium: 'social' });
  // another site's session on another number must never be read
  const other = await site(db, { name: 'other', fallback: '+380449990002' });
  const { ids: otherIds } = await numberPool(db, other, ['+380441119999']);
  await visitorSession(db, { siteId: other, trackingNumberId: otherIds[0]!, createdAt: m(0), heldUntil: m(60) });

  const tn = async (n: string): Promise<ResolvedTrackingNumber> => (await resolveTrackingNumber(db, n))!;

  t.test('the directory knows a site\'s fallback number', async (t) => {
    t.equal((await tn(FALLBACK)).fallbackForSiteId, siteId);
    t.equal((await tn(BILLBOARD)).fallbackForSiteId, null);
    t.equal((await tn(A)).fallbackForSiteId, null);
  });

  t.test('each call attributed to the right session with the right confidence', async (t) => {
    // [case, number, call time, confidence, session, label]
    const rows: Array<[string, string, Date, string, number | undefined, string]> = [
      ['A while ana holds it', A, m(5), 'exact', ana, 'google / cpc'],
      ['A right after ana let it go', A, m(21), 'recent', ana, 'google / cpc'],
      ['A the moment cy takes it, ana released 5 minutes before', A, m(25), 'exact', cy, 'bing / cpc'],
      ['A while cy holds it', A, m(30), 'exact', cy, 'bing / cpc'],
      ['A before anyone took it', A, new Date(T0 - 1000), 'none', undefined, 'unattributed (no visitor held the number)'],
      ['B: hold ran out at 10, not yet swept: recent', B, m(12), 'recent', bo, 'facebook.com / social'],
      ['B: within its held_until', B, m(9), 'exact', bo, 'facebook.com / social'],
      ['B: more than the hold time after it ran out', B, m(21), 'none', undefined, 'unattributed (no visitor held the number)'],
      ['the fallback number', FALLBACK, m(5), 'fallback', undefined, 'unattributed (pool exhausted)'],
      ['a static number', BILLBOARD, m(5), 'static', undefined, 'Billboard A1'],
    ];
    for (const [name, number, at, confidence, session, label] of rows) {
      const r = await attributeCall(db, await tn(number), at);
      t.same([r.confidence, r.visitorSessionId, r.label], [confidence, session, label], name);
    }
  });

  t.test('the session\'s full source is copied; a static number its UTMs', async (t) => {
    t.same(await attributeCall(db, await tn(A), m(5)), {
      confidence: 'exact',
      label: 'google / cpc',
      visitorSessionId: ana,
      source: 'google',
      medium: 'cpc',
      campaign: 'brand',
      content: null,
      term: 'sofa',
      gclid: 'g-ana',
      gbraid: 'gb-ana',
      wbraid: null,
      fbclid: null,
      msclkid: null,
      gaClientId: 'GA1.1.ana',
      referrer: 'https://www.google.com/',
      landingPage: 'https://shop.example.com/?gclid=g-ana',
    });
    t.same(await attributeCall(db, await tn(BILLBOARD), m(5)), {
      confidence: 'static', label: 'Billboard A1', source: 'billboard', medium: 'offline', campaign: 'spring', content: null, term: null,
    });
  });

  t.test('one statement reads the hold time and at most a few holds, newest first', async (t) => {
    for (let i = 0; i < 8; i++) {
      await visitorSession(db, { siteId, trackingNumberId: b, createdAt: m(100 + i), releasedAt: m(100 + i), heldUntil: m(100 + i) });
    }
    const read = await recentHolds(db, b, m(108));
    t.equal(read?.holdTimeS, 600);
    t.equal(read?.holds.length, 5, 'the latest five only');
    t.ok(read!.holds.every((h, i, all) => i === 0 || h.from < all[i - 1]!.from), 'newest first');
    t.same(await recentHolds(db, 999_999, m(5)), undefined, 'a number that is no pool number: nothing');
  });

  t.test('a failed read routes the call unattributed', async (t) => {
    const broken = { query: async () => Promise.reject(new Error('connection lost')) } as never;
    const r = await postgresAttribution(broken, silentLogger).attribute(await tn(A), m(5));
    t.same(r, { confidence: 'none', label: 'unattributed (attribution lookup failed)' });
  });

  t.test('the stored call carries the session; the calls API and the CRM facts show its source', async (t) => {
    const attribution = await attributeCall(db, await tn(A), m(5));
    const id = '6f1d1c3a-9a0e-4f43-9d63-0a8f3c1b2e10';
    const record = buildCallRecord(
      {
        id,
        sipCallId: 'dni-1@test',
        direction: 'inbound',
        caller: { kind: 'number', e164: '+380501234567' },
        callerRaw: null,
        callee: { kind: 'number', e164: A },
        trackingNumber: { id: a, number: A },
        attribution,
        trace: [],
        callerHungUp: false,
        startedAt: m(5),
        endedAt: m(6),
        recordingPath: null,
      },
      new Recogniser([]),
    );
    await recordCall(db, record, { crmSync: true });
    const stored = await db.query('SELECT visitor_session_id FROM calls WHERE id = $1', [id]);
    t.equal(stored.rows[0].visitor_session_id, ana, 'calls.visitor_session_id');

    const res = await api.get(`/api/v1/calls/${id}`);
    t.equal(res.statusCode, 200, res.body);
    const body = res.json();
    t.equal(body.source, 'google / cpc');
    t.equal(body.attribution_confidence, 'exact');
    t.same(body.attribution, {
      confidence: 'exact',
      label: 'google / cpc',
      visitor_session_id: ana,
      source: 'google',
      medium: 'cpc',
      campaign: 'brand',
      content: null,
      term: 'sofa',
      gclid: 'g-ana',
      gbraid: 'gb-ana',
      wbraid: null,
      fbclid: null,
      msclkid: null,
      ga_client_id: 'GA1.1.ana',
      referrer: 'https://www.google.com/',
      landing_page: 'https://shop.example.com/?gclid=g-ana',
    });
    const list = (await api.get('/api/v1/calls')).json();
    t.equal(list.items[0].attribution.visitor_session_id, ana, 'the call log lists it too');

    const facts = toCallFacts((await loadCallRow(db, id))!, undefined);
    t.match(facts.attribution, {
      confidence: 'exact', source: 'google', medium: 'cpc', campaign: 'brand', term: 'sofa', gclid: 'g-ana', gbraid: 'gb-ana',
      gaClientId: 'GA1.1.ana', landingPage: 'https://shop.example.com/?gclid=g-ana', referrer: 'https://www.google.com/',
    });
  });

  t.test('a call stored before DNI reads with the new confidences', async (t) => {
    const id = '6f1d1c3a-9a0e-4f43-9d63-0a8f3c1b2e11';
    await db.query(
      `INSERT INTO calls (id, direction, caller, callee, started_at, ended_at, disposition, attribution, crm_sync_state)
       VALUES ($1, 'inbound', '+380501234567', $2, now(), now(), 'missed', $3, 'not_required')`,
      [id, A, JSON.stringify({ kind: 'session', confidence: 'low', label: 'google / cpc', source: 'google' })],
    );
    const body = (await api.get(`/api/v1/calls/${id}`)).json();
    t.equal(body.attribution_confidence, 'recent');
    t.match(body.attribution, { confidence: 'recent', label: 'google / cpc', source: 'google', visitor_session_id: null });
  });
});
