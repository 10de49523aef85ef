// Carrier calls end to end: sipp as the carrier and as managers' phones,
// a real drachtio-server, ringpath, and the CDR it writes.
import t from 'tap';
import { testDatabase } from '../support/db.ts';
import { employee, lastCall, scheme, sipUriDestination, staticNumber, waitForCalls } from '../support/sip-fixtures.ts';
import { runSipp, sipUnavailable, startDrachtio, startSipRingpath, startSipp } from '../support/sip.ts';

const skip = sipUnavailable();
const TRACKING = '+380441234567';
const CALLER = '+380501234567';

t.test('SIP inbound calls', { skip: skip ?? false }, async (t) => {
  const drachtio = await startDrachtio(t);
  const db = await testDatabase(t);
  await startSipRingpath(t, drachtio, db.url);
  const target = `127.0.0.1:${drachtio.sipPort}`;

  t.test('a caller reaches the employee of the scheme; CDR answered with its trace', async (t) => {
    await db.pool.query('TRUNCATE calls, routing_schemes, tracking_numbers, employees CASCADE');
    const alice = await employee(db.pool, 'Alice');
    const phone = await startSipp(t, { scenario: 'uas-answer.xml', calls: 1, pauseMs: 200 });
    await sipUriDestination(db.pool, alice, `sip:alice@127.0.0.1:${phone.port}`);
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'simple', [{ type: 'employees', employeeIds: [alice] }]));

    const caller = await runSipp(t, {
      scenario: 'uac-inbound-expect-200.xml',
      target,
      service: TRACKING,
      keys: { caller: CALLER },
      pauseMs: 300,
    });
    t.equal(caller.code, 0, `caller scenario passed\n${caller.errors}${caller.output.slice(-800)}`);
    const answered = await phone.done;
    t.equal(answered.code, 0, `phone scenario passed\n${answered.errors}`);
    await waitForCalls(db.pool, 1);
    const cdr = await lastCall(db.pool);
    t.equal(cdr.direction, 'inbound');
    t.equal(cdr.caller, CALLER);
    t.equal(cdr.callee, TRACKING);
    t.equal(cdr.disposition, 'answered');
    t.equal(cdr.answered_by_employee_id, alice);
    t.equal(cdr.attribution.label, 'Billboard', 'static number attributes to its fixed source');
    t.equal(cdr.routing_trace.length, 1);
    t.equal(cdr.routing_trace[0].result, 'answered');
    t.ok(cdr.talk_duration_ms >= 200, `talk ${cdr.talk_duration_ms} ms`);
  });
});
