// Carrier calls end to end: sipp as the carrier and as managers' phones,
// a real drachtio-server, ringpath, and the CDR it writes.
import t, { type Test } from 'tap';
import { testDatabase } from '../support/db.ts';
import { employee, lastCall, scheme, sipUriDestination, staticNumber, waitForCalls } from '../support/sip-fixtures.ts';
import type { Pool } from '../../src/db/pool.ts';
import { runSipp, sipUnavailable, startDrachtio, startSipRingpath, startSipp } from '../support/sip.ts';

const skip = sipUnavailable();
t.setTimeout(10 * 60_000); // real calls with ring timeouts take minutes
const TRACKING = '+380441234567';
const CALLER = '+380501234567';

t.test('SIP inbound calls', { skip: skip ?? false }, async (t) => {
  const drachtio = await startDrachtio(t);
  const db = await testDatabase(t);
  await startSipRingpath(t, drachtio, db.url);
  const target = `127.0.0.1:${drachtio.sipPort}`;

  const reset = () =>
    db.pool.query('TRUNCATE calls, routing_schemes, tracking_numbers, employees, crm_contacts, crm_deals, round_robin_state CASCADE');
  const phone = async (t: Test, pool: Pool, employeeId: number, scenario: string, calls = 1) => {
    const p = await startSipp(t, { scenario, calls, pauseMs: 200, timeoutS: 40 });
    await sipUriDestination(pool, employeeId, `sip:${employeeId}@127.0.0.1:${p.port}`);
    return p;
  };
  const call = (t: Test, scenario = 'uac-inbound-expect-200.xml', opts: { caller?: string; service?: string; localIp?: string; pauseMs?: number } = {}) =>
    runSipp(t, {
      scenario,
      target,
      service: opts.service ?? TRACKING,
      keys: { caller: opts.caller ?? CALLER },
      pauseMs: opts.pauseMs ?? 300,
      ...(opts.localIp ? { localIp: opts.localIp } : {}),
    });
  const passed = (t: Test, r: { code: number | null; errors: string; output: string }, what: string) =>
    t.equal(r.code, 0, `${what} scenario passed${r.code === 0 ? '' : `\n${r.errors}\n${r.output.slice(-1500)}`}`);

  t.test('a caller reaches the employee of the scheme; CDR answered with its trace', async (t) => {
    await reset();
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

  t.test('an existing client is routed to their responsible manager first', async (t) => {
    await reset();
    const alice = await employee(db.pool, 'Alice');
    const bob = await employee(db.pool, 'Bob', { ownerId: 'owner-bob' });
    await db.pool.query(`INSERT INTO crm_contacts (id, owner_id) VALUES ('c1', 'owner-bob')`);
    await db.pool.query(`INSERT INTO crm_contact_phones (contact_id, property, raw, e164) VALUES ('c1', 'phone', '(050) 123-45-67', $1)`, [CALLER]);
    const bobPhone = await phone(t, db.pool, bob, 'uas-answer.xml');
    await sipUriDestination(db.pool, alice, 'sip:alice@127.0.0.1:9'); // must not be rung
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'smart', [{ type: 'responsible_manager' }, { type: 'employees', employeeIds: [alice] }]));
    passed(t, await call(t), 'caller');
    passed(t, await bobPhone.done, 'responsible manager phone');
    await waitForCalls(db.pool, 1);
    const cdr = await lastCall(db.pool);
    t.equal(cdr.answered_by_employee_id, bob, 'answered by the responsible manager');
    t.equal(cdr.routing_trace[0].stepType, 'responsible_manager');
    t.equal(cdr.routing_trace.length, 1, 'the next step never ran');
  });

  t.test('new clients are shared by round robin', async (t) => {
    await reset();
    const carol = await employee(db.pool, 'Carol', { newClients: true });
    const dave = await employee(db.pool, 'Dave', { newClients: true });
    const carolPhone = await phone(t, db.pool, carol, 'uas-answer.xml');
    const davePhone = await phone(t, db.pool, dave, 'uas-answer.xml');
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'rr', [{ type: 'new_client_distribution', mode: 'round_robin' }]));
    passed(t, await call(t, undefined, { caller: '+380501110001' }), 'first caller');
    await waitForCalls(db.pool, 1);
    const first = (await lastCall(db.pool)).answered_by_employee_id;
    passed(t, await call(t, undefined, { caller: '+380501110002' }), 'second caller');
    await waitForCalls(db.pool, 2);
    const second = (await lastCall(db.pool)).answered_by_employee_id;
    t.same(new Set([first, second]), new Set([carol, dave]), 'each receiver got one of the two calls');
    passed(t, await carolPhone.done, 'Carol');
    passed(t, await davePhone.done, 'Dave');
  });

  t.test('no answer moves to the next step after the ring timeout', async (t) => {
    await reset();
    const alice = await employee(db.pool, 'Alice');
    const bob = await employee(db.pool, 'Bob');
    const alicePhone = await phone(t, db.pool, alice, 'uas-no-answer.xml');
    const bobPhone = await phone(t, db.pool, bob, 'uas-answer.xml');
    await staticNumber(
      db.pool,
      TRACKING,
      await scheme(db.pool, 'fallback', [
        { type: 'employees', employeeIds: [alice], timeoutS: 1 },
        { type: 'employees', employeeIds: [bob] },
      ]),
    );
    passed(t, await call(t), 'caller');
    passed(t, await alicePhone.done, 'Alice (rang, then cancelled)');
    passed(t, await bobPhone.done, 'Bob');
    await waitForCalls(db.pool, 1);
    const cdr = await lastCall(db.pool);
    t.same(cdr.routing_trace.map((e: { result: string }) => e.result), ['no_answer', 'answered']);
    t.equal(cdr.answered_by_employee_id, bob);
    t.ok(cdr.ring_duration_ms >= 1000, `rang ${cdr.ring_duration_ms} ms before the answer`);
  });

  t.test('busy moves to the next step without waiting for the ring timeout', async (t) => {
    await reset();
    const alice = await employee(db.pool, 'Alice');
    const bob = await employee(db.pool, 'Bob');
    const alicePhone = await phone(t, db.pool, alice, 'uas-busy.xml');
    const bobPhone = await phone(t, db.pool, bob, 'uas-answer.xml');
    await staticNumber(
      db.pool,
      TRACKING,
      // A ring timeout beyond the caller's sipp timeout (30 s): had ringpath waited it out, the caller would have given up.
      await scheme(db.pool, 'busy', [
        { type: 'employees', employeeIds: [alice], timeoutS: 45 },
        { type: 'employees', employeeIds: [bob] },
      ]),
    );
    passed(t, await call(t), 'caller, answered by Bob');
    passed(t, await alicePhone.done, 'Alice (busy)');
    passed(t, await bobPhone.done, 'Bob');
    await waitForCalls(db.pool, 1);
    const cdr = await lastCall(db.pool);
    t.same(cdr.routing_trace.map((e: { result: string }) => e.result), ['busy', 'answered'], 'the first step ended busy, not by its timeout');
    t.equal(cdr.answered_by_employee_id, bob);
  });

  t.test('the caller cancelling while it rings stops every leg; CDR abandoned', async (t) => {
    await reset();
    const alice = await employee(db.pool, 'Alice');
    const alicePhone = await phone(t, db.pool, alice, 'uas-no-answer.xml');
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'cancel', [{ type: 'employees', employeeIds: [alice], timeoutS: 30 }]));
    passed(t, await call(t, 'uac-inbound-cancel-expect-487.xml', { pauseMs: 500 }), 'caller (cancels)');
    passed(t, await alicePhone.done, 'Alice (got CANCEL)');
    await waitForCalls(db.pool, 1);
    const cdr = await lastCall(db.pool);
    t.equal(cdr.disposition, 'abandoned');
    t.equal(cdr.routing_trace[0].result, 'cancelled');
  });

  t.test('parallel ringing: the first answer wins and the other leg is cancelled', async (t) => {
    await reset();
    const alice = await employee(db.pool, 'Alice');
    const desk = await startSipp(t, { scenario: 'uas-no-answer.xml', calls: 1, timeoutS: 40 });
    const mobile = await startSipp(t, { scenario: 'uas-answer.xml', calls: 1, pauseMs: 300, timeoutS: 40 });
    await sipUriDestination(db.pool, alice, `sip:desk@127.0.0.1:${desk.port}`, 0);
    await sipUriDestination(db.pool, alice, `sip:mobile@127.0.0.1:${mobile.port}`, 1);
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'fork', [{ type: 'employees', employeeIds: [alice] }]));
    passed(t, await call(t), 'caller');
    passed(t, await mobile.done, 'the answering destination');
    passed(t, await desk.done, 'the other destination (cancelled)');
    await waitForCalls(db.pool, 1);
    const cdr = await lastCall(db.pool);
    const legs = cdr.routing_trace[0].legs.map((l: { destination: { uri: string }; result: string }) => [l.destination.uri.split('@')[0], l.result]);
    t.same(new Map(legs), new Map([['sip:desk', 'cancelled'], ['sip:mobile', 'answered']]));
  });

  t.test('every step unanswered: the caller gets 480 and the CDR says missed', async (t) => {
    await reset();
    const alice = await employee(db.pool, 'Alice');
    const alicePhone = await phone(t, db.pool, alice, 'uas-no-answer.xml');
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'missed', [{ type: 'employees', employeeIds: [alice], timeoutS: 1 }]));
    passed(t, await call(t, 'uac-inbound-expect-480.xml'), 'caller');
    passed(t, await alicePhone.done, 'Alice');
    await waitForCalls(db.pool, 1);
    t.equal((await lastCall(db.pool)).disposition, 'missed');
  });

  t.test('an unknown tracking number gets 404', async (t) => {
    await reset();
    passed(t, await call(t, 'uac-unknown-number-expect-404.xml', { service: '+380449999999' }), 'caller');
  });

  t.test('an INVITE from outside the trunk allowlist gets 403', async (t) => {
    await reset();
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'x', []));
    passed(t, await call(t, 'uac-non-trunk-expect-403.xml', { localIp: '127.0.0.3' }), 'stranger');
  });

  t.test('a known scanner is declined by drachtio-server and never reaches ringpath', async (t) => {
    await reset();
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'x', []));
    passed(t, await call(t, 'uac-scanner-expect-603.xml'), 'scanner');
    t.equal((await db.pool.query('SELECT count(*)::int AS n FROM calls')).rows[0].n, 0, 'no call recorded');
  });

  t.test('an INVITE without an SDP offer gets 488', async (t) => {
    await reset();
    await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'x', []));
    passed(t, await call(t, 'uac-malformed-sdp-expect-488.xml'), 'caller');
  });
});
