// Call attribution end to end: a carrier call (sipp) through a real drachtio-server
// to a pool number a visitor session holds is attributed exact to that session, and
// its CDR carries the session's source; a call to the site's fallback number is
// routed and stored as "unattributed (pool exhausted)".
import t, { type Test } from 'tap';
import { testDatabase } from '../support/db.ts';
import { numberPool, site, visitorSession } from '../support/dni-fixtures.ts';
import { employee, scheme, sipUriDestination, staticNumber, waitForCalls } from '../support/sip-fixtures.ts';
import { runSipp, sipUnavailable, startDrachtio, startSipRingpath, startSipp } from '../support/sip.ts';

const skip = sipUnavailable();
t.setTimeout(5 * 60_000);
const POOL_NUMBER = '+380441110001';
const FALLBACK = '+380449990000';
const CALLER = '+380501234567';

t.test('SIP calls to DNI numbers', { skip: skip ?? false }, async (t) => {
  const drachtio = await startDrachtio(t);
  const db = await testDatabase(t);
  const alice = await employee(db.pool, 'Alice');
  const simple = await scheme(db.pool, 'simple', [{ type: 'employees', employeeIds: [alice] }]);
  const siteId = await site(db.pool, { fallback: FALLBACK, holdTimeS: 600 });
  const { ids } = await numberPool(db.pool, siteId, [POOL_NUMBER], simple);
  await staticNumber(db.pool, FALLBACK, simple, 'Website');
  const now = Date.now();
  const session = await visitorSession(db.pool, {
    siteId,
    trackingNumberId: ids[0]!,
    number: POOL_NUMBER,
    createdAt: new Date(now - 60_000),
    heldUntil: new Date(now + 30 * 60_000),
    source: 'google',
    medium: 'cpc',
    utmCampaign: 'brand',
    utmTerm: 'sofa',
    gclid: 'g-sip',
    gaClientId: 'GA1.1.sip',
    landingPage: 'https://shop.example.com/?gclid=g-sip',
  });
  await startSipRingpath(t, drachtio, db.url);
  const target = `127.0.0.1:${drachtio.sipPort}`;

  const callAndAnswer = async (t: Test, service: string) => {
    const phone = await startSipp(t, { scenario: 'uas-answer.xml', calls: 1, pauseMs: 200 });
    await db.pool.query(`DELETE FROM employee_destinations WHERE employee_id = $1`, [alice]);
    await sipUriDestination(db.pool, alice, `sip:alice@127.0.0.1:${phone.port}`);
    const caller = await runSipp(t, { scenario: 'uac-inbound-expect-200.xml', target, service, keys: { caller: CALLER }, pauseMs: 300 });
    t.equal(caller.code, 0, `caller scenario passed\n${caller.errors}${caller.output.slice(-800)}`);
    t.equal((await phone.done).code, 0, 'Alice answered');
  };
  const cdrTo = async (number: string) =>
    (await db.pool.query('SELECT visitor_session_id, attribution, disposition FROM calls WHERE callee = $1', [number])).rows[0];

  t.test('a pool number a session holds: exact, and the CDR carries its source', async (t) => {
    await callAndAnswer(t, POOL_NUMBER);
    await waitForCalls(db.pool, 1);
    const cdr = await cdrTo(POOL_NUMBER);
    t.equal(cdr.disposition, 'answered', 'stored as answered');
    t.equal(cdr.visitor_session_id, session, 'calls.visitor_session_id is the holding session');
    t.match(cdr.attribution, {
      confidence: 'exact',
      label: 'google / cpc',
      visitorSessionId: session,
      source: 'google',
      medium: 'cpc',
      campaign: 'brand',
      term: 'sofa',
      gclid: 'g-sip',
      gaClientId: 'GA1.1.sip',
      landingPage: 'https://shop.example.com/?gclid=g-sip',
    }, "the attribution is exact and copies the session's source");
  });

  t.test("the site's fallback number: routed, and stored unattributed (pool exhausted)", async (t) => {
    await callAndAnswer(t, FALLBACK);
    await waitForCalls(db.pool, 2);
    const cdr = await cdrTo(FALLBACK);
    t.equal(cdr.disposition, 'answered', 'routed and answered like any tracking number');
    t.equal(cdr.visitor_session_id, null, 'no session');
    t.same(cdr.attribution, { confidence: 'fallback', label: 'unattributed (pool exhausted)' }, 'attributed fallback');
  });
});
