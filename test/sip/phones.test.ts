// Managers' phones end to end: REGISTER with digest auth, calls to a SIP
// account, lockout after wrong passwords, outbound calls with the right caller
// id, and extension calls.
import t from 'tap';
import { testDatabase } from '../support/db.ts';
import { employee, lastCall, scheme, sipAccount, sipUriDestination, staticNumber, waitForCalls } from '../support/sip-fixtures.ts';
import { runSipp, sipUnavailable, startDrachtio, startSipRingpath, startSipp } from '../support/sip.ts';

const skip = sipUnavailable();
t.setTimeout(10 * 60_000);

const PASSWORD = 'Correct-Horse-9-Battery';
const PHONE_IP = '127.0.0.2';

t.test('SIP phones', { skip: skip ?? false }, async (t) => {
  const drachtio = await startDrachtio(t);
  const db = await testDatabase(t);
  const carrier = await startSipp(t, { scenario: 'uas-answer.xml', calls: 1, pauseMs: 100, timeoutS: 120, trace: true });
  const ringpath = await startSipRingpath(t, drachtio, db.url, {
    TRUNK_URI: `sip:127.0.0.1:${carrier.port}`,
    SIP_AUTH_FAILURE_LIMIT: '3',
  });
  const target = `127.0.0.1:${drachtio.sipPort}`;
  const register = (login: string, password: string, contactPort: number, scenario = 'uac-register-expect-200.xml', localIp = PHONE_IP) =>
    runSipp(t, {
      scenario,
      target,
      localIp,
      keys: { login, realm: 'ringpath.local', contact_port: String(contactPort) },
      extra: ['-au', login, '-ap', password],
    });
  const registered = async (login: string) =>
    (
      await db.pool.query(
        `SELECT r.contact_uri, r.source_address, r.expires_at > now() AS live
           FROM sip_registrations r JOIN sip_accounts a ON a.id = r.sip_account_id WHERE a.login = $1`,
        [login],
      )
    ).rows;

  const alice = await employee(db.pool, 'Alice', { extension: '101' });
  await sipAccount(db.pool, alice, 'alice', PASSWORD);
  const bob = await employee(db.pool, 'Bob', { extension: '102' });

  t.test('a phone registers with digest auth, and a call to its SIP account rings it', async (t) => {
    const phone = await startSipp(t, { scenario: 'uas-answer.xml', localIp: PHONE_IP, calls: 1, pauseMs: 200, timeoutS: 60 });
    const reg = await register('alice', PASSWORD, phone.port);
    t.equal(reg.code, 0, `REGISTER answered 401 then 200\n${reg.errors}`);
    const rows = await registered('alice');
    t.equal(rows.length, 1, 'one contact stored');
    t.equal(rows[0].contact_uri, `sip:alice@${PHONE_IP}:${phone.port}`);
    t.equal(rows[0].source_address, PHONE_IP);
    t.ok(rows[0].live, 'not expired');

    await staticNumber(db.pool, '+380441234567', await scheme(db.pool, 'to alice', [{ type: 'employees', employeeIds: [alice] }]));
    const caller = await runSipp(t, {
      scenario: 'uac-inbound-expect-200.xml',
      target,
      service: '+380441234567',
      keys: { caller: '+380501234567' },
      pauseMs: 300,
    });
    t.equal(caller.code, 0, `caller connected\n${caller.errors}`);
    t.equal((await phone.done).code, 0, 'the registered phone answered');
    await waitForCalls(db.pool, 1);
    const cdr = await lastCall(db.pool);
    t.equal(cdr.answered_by_employee_id, alice);
    t.equal(cdr.routing_trace[0].legs[0].destination.login, 'alice', 'rang the SIP account');
  });

  t.test('wrong passwords are refused, then the source is locked out even with the right one', async (t) => {
    const ip = '127.0.0.4';
    for (let i = 1; i <= 3; i++) {
      const r = await register('alice', 'Wrong-Password-123!', 5999, 'uac-register-wrong-password-expect-403.xml', ip);
      t.equal(r.code, 0, `wrong password ${i}: 401 then 403\n${r.errors}`);
    }
    const locked = await register('alice', PASSWORD, 5999, 'uac-register-locked-out-expect-403.xml', ip);
    t.equal(locked.code, 0, `right password from a locked-out source: 403 without a challenge\n${locked.errors}`);
    const unknown = await register('nobody', PASSWORD, 5999, 'uac-register-wrong-password-expect-403.xml', '127.0.0.5');
    t.equal(unknown.code, 0, 'an unknown user gets the same 401-then-403 as a wrong password');
    const other = await register('alice', PASSWORD, 5998, 'uac-register-expect-200.xml', '127.0.0.6');
    t.equal(other.code, 0, 'another source is not affected');
  });

  t.test('the dial plan: a premium number is refused with 403 DIAL_PLAN_BLOCKED and the trunk sees nothing', async (t) => {
    const phone = await startSipp(t, { scenario: 'uas-answer.xml', localIp: PHONE_IP, calls: 1, timeoutS: 5 });
    t.equal((await register('alice', PASSWORD, phone.port)).code, 0, 'registered');
    phone.stop();
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM calls')).rows[0].n as number;
    const call = await runSipp(t, {
      scenario: 'uac-phone-call-blocked-expect-403.xml',
      target,
      localIp: PHONE_IP,
      service: '+979123456789',
      keys: { login: 'alice' },
      extra: ['-au', 'alice', '-ap', PASSWORD],
    });
    t.equal(call.code, 0, `407 challenge, then 403 DIAL_PLAN_BLOCKED\n${call.errors}\n${call.output.slice(-1000)}`);
    await waitForCalls(db.pool, before + 1);
    const cdr = await lastCall(db.pool);
    t.same([cdr.direction, cdr.callee, cdr.disposition, cdr.placed_by_employee_id, cdr.crm_sync_state], ['outbound', '+979123456789', 'blocked', alice, 'not_required'], 'stored as blocked, not synced');
    const metrics = await (await fetch(`${ringpath.url}/metrics`)).text();
    t.match(metrics, /ringpath_dial_plan_blocked_total\{reason="prefix"[^}]*\} 1/, 'counted in /metrics');
  });

  t.test('an outbound call goes out on the trunk with the employee’s priority tracking number as caller id', async (t) => {
    const phone = await startSipp(t, { scenario: 'uas-answer.xml', localIp: PHONE_IP, calls: 1, timeoutS: 5 });
    t.equal((await register('alice', PASSWORD, phone.port)).code, 0, 'registered');
    phone.stop();
    await db.pool.query(
      `INSERT INTO tracking_numbers (number, kind, source_name, caller_id_for_employee_id) VALUES ('+380442220000', 'static', 'Outbound line', $1)`,
      [alice],
    );
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM calls')).rows[0].n as number;
    const call = await runSipp(t, {
      scenario: 'uac-phone-call-expect-200.xml',
      target,
      localIp: PHONE_IP,
      service: '0671234567',
      keys: { login: 'alice' },
      extra: ['-au', 'alice', '-ap', PASSWORD],
      pauseMs: 300,
    });
    t.equal(call.code, 0, `407 challenge, then connected\n${call.errors}\n${call.output.slice(-1000)}`);
    const trunk = await carrier.done;
    t.equal(trunk.code, 0, 'the carrier answered');
    t.match(trunk.messages, /INVITE sip:\+380671234567@127\.0\.0\.1/, 'dialled number sent to the trunk in E.164');
    t.equal(trunk.messages.match(/^INVITE /gm)?.length, 1, 'the trunk saw this one INVITE (not the premium number refused before)');
    t.match(trunk.messages, /From: <sip:\+380442220000@/, 'caller id is the priority tracking number');
    await waitForCalls(db.pool, before + 1);
    const cdr = await lastCall(db.pool);
    t.equal(cdr.direction, 'outbound');
    t.equal(cdr.callee, '+380671234567');
    t.equal(cdr.caller, '+380442220000');
    t.equal(cdr.placed_by_employee_id, alice);
    t.equal(cdr.disposition, 'answered');
  });

  t.test('dialling a 3-digit extension rings that employee', async (t) => {
    const bobPhone = await startSipp(t, { scenario: 'uas-answer.xml', calls: 1, pauseMs: 200, timeoutS: 60 });
    await sipUriDestination(db.pool, bob, `sip:bob@127.0.0.1:${bobPhone.port}`);
    const phone = await startSipp(t, { scenario: 'uas-answer.xml', localIp: PHONE_IP, calls: 1, timeoutS: 5 });
    t.equal((await register('alice', PASSWORD, phone.port)).code, 0, 'registered');
    phone.stop();
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM calls')).rows[0].n as number;
    const call = await runSipp(t, {
      scenario: 'uac-phone-call-expect-200.xml',
      target,
      localIp: PHONE_IP,
      service: '102',
      keys: { login: 'alice' },
      extra: ['-au', 'alice', '-ap', PASSWORD],
      pauseMs: 300,
    });
    t.equal(call.code, 0, `connected to extension 102\n${call.errors}`);
    t.equal((await bobPhone.done).code, 0, 'Bob answered');
    await waitForCalls(db.pool, before + 1);
    const cdr = await lastCall(db.pool);
    t.equal(cdr.direction, 'internal');
    t.equal(cdr.placed_by_employee_id, alice);
    t.equal(cdr.answered_by_employee_id, bob);
    t.equal(cdr.crm_sync_state, 'not_required', 'internal calls are not synced to the CRM');
  });
});
