// A withheld caller end to end: sipp as the carrier with an RFC 3323 anonymous
// From, a real drachtio-server, ringpath with CRM sync on (the HubSpot emulator).
// The call is answered, stored with no caller number, and its CRM job runs.
import t from 'tap';
import { testDatabase } from '../support/db.ts';
import { hubspotForTest } from '../support/hubspot-emulator/testing.ts';
import { employee, lastCall, scheme, sipUriDestination, staticNumber, waitForCalls } from '../support/sip-fixtures.ts';
import { runSipp, sipUnavailable, startDrachtio, startSipRingpath, startSipp } from '../support/sip.ts';

const skip = sipUnavailable();
t.setTimeout(3 * 60_000);
const TRACKING = '+380441234567';

t.test('a withheld caller', { skip: skip ?? false }, async (t) => {
  const drachtio = await startDrachtio(t);
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t);
  await startSipRingpath(t, drachtio, db.url, { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url });
  const alice = await employee(db.pool, 'Alice', { newClients: true });
  const phone = await startSipp(t, { scenario: 'uas-answer.xml', calls: 1, pauseMs: 200 });
  await sipUriDestination(db.pool, alice, `sip:alice@127.0.0.1:${phone.port}`);
  await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'smart', [{ type: 'responsible_manager' }, { type: 'new_client_distribution', mode: 'ring_all' }]));

  const caller = await runSipp(t, { scenario: 'uac-inbound-anonymous-expect-200.xml', target: `127.0.0.1:${drachtio.sipPort}`, service: TRACKING, pauseMs: 300 });
  t.equal(caller.code, 0, `the withheld caller was answered${caller.code === 0 ? '' : `\n${caller.errors}\n${caller.output.slice(-1500)}`}`);
  t.equal((await phone.done).code, 0, 'the new-client receiver answered');
  await waitForCalls(db.pool, 1);
  const cdr = { ...(await lastCall(db.pool)), ...(await db.pool.query('SELECT caller_withheld, caller_raw FROM calls ORDER BY created_at DESC LIMIT 1')).rows[0] };
  t.same([cdr.direction, cdr.caller, cdr.caller_withheld, cdr.disposition, cdr.answered_by_employee_id], ['inbound', null, true, 'answered', alice], 'stored: no caller number, withheld');
  t.match(cdr.caller_raw, /anonymous@anonymous\.invalid/, 'the From as received');
  // the CRM job was stored with the call; the worker runs it (nothing to write for a withheld number)
  const deadline = Date.now() + 30_000;
  let state = cdr.crm_sync_state;
  while (state === 'pending' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    state = (await db.pool.query<{ crm_sync_state: string }>('SELECT crm_sync_state FROM calls WHERE id = $1', [cdr.id])).rows[0]!.crm_sync_state;
  }
  t.not(cdr.crm_sync_state, 'not_required', 'a CRM job was stored with the call');
  t.equal(state, 'synced', 'and the CRM sync ran it');
  const writes = emulator.control.requests.count((r) => r.method !== 'GET' && /^\/crm\/v3\/objects\/(contacts|deals|calls|tasks)(\/batch\/create)?$/.test(r.path));
  t.equal(writes, 0, 'no record made up for a withheld number');
});
