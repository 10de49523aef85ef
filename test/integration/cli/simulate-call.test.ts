// `ringpath simulate-call`: the plan a call would get, printed without placing it.
// The command runs in this process (what it prints, its exit code); one test runs
// it as the `ringpath` process, for the exit code and streams the shell sees.
import t from 'tap';
import type { Pool } from '../../../src/db/pool.ts';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { loadConfig } from '../../../src/config.ts';
import { buildApp } from '../../../src/http/app.ts';
import { runCli } from '../../support/cli.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';
import { numberPool, site, visitorSession } from '../../support/dni-fixtures.ts';
import { startRingpath } from '../../support/process.ts';
import { employee, sipUriDestination, staticNumber } from '../../support/sip-fixtures.ts';

const TRACKING = '+380441234567';
const CLIENT = '+380501234567';
const STRANGER = '+380631112233';
const POOL_NUMBER = '+380441110001';
const MONDAY_MORNING = '2026-06-15T10:30:00+03:00';
const SATURDAY = '2026-06-20T12:00:00+03:00';
const KYIV_OFFICE = { time_zone: 'Europe/Kyiv', intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] };

async function phoneDestination(pool: Pool, employeeId: number, number: string): Promise<void> {
  await pool.query(`INSERT INTO employee_destinations (employee_id, role, position, type, phone) VALUES ($1, 'main', 0, 'phone', $2)`, [employeeId, number]);
}

async function step(pool: Pool, schemeId: number, position: number, fields: Record<string, unknown>, employeeIds: number[] = []): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO routing_steps (scheme_id, position, type, ring_timeout_s, lookup_order, distribution_mode, ring_strategy, schedule)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [schemeId, position, fields.type, fields.timeout, fields.lookupOrder ?? null, fields.mode ?? null, fields.strategy ?? null, fields.schedule ?? null],
  );
  for (const [i, id] of employeeIds.entries()) {
    await pool.query('INSERT INTO routing_step_employees (step_id, employee_id, position) VALUES ($1, $2, $3)', [rows[0]!.id, id, i]);
  }
  return rows[0]!.id;
}

t.test('ringpath simulate-call', async (t) => {
  const db = await testDatabase(t);
  const env = { DATABASE_URL: db.url, DEFAULT_COUNTRY: 'UA', LOOKUP_BUDGET_MS: '5000' };
  const simulate = (...args: string[]) => runCli(['simulate-call', ...args], env);

  const alice = await employee(db.pool, 'Alice', { newClients: true });
  const bob = await employee(db.pool, 'Bob', { ownerId: 'owner-bob' });
  const carol = await employee(db.pool, 'Carol', { newClients: true });
  const quinn = await employee(db.pool, 'Quinn', { role: 'quality_control', newClients: true });
  await sipUriDestination(db.pool, alice, 'sip:alice@pbx.example.com');
  await phoneDestination(db.pool, bob, '+380671110002');
  await sipUriDestination(db.pool, carol, 'sip:carol@pbx.example.com');
  await sipUriDestination(db.pool, quinn, 'sip:quinn@pbx.example.com');
  const { rows } = await db.pool.query<{ id: number }>(`INSERT INTO routing_schemes (name) VALUES ('smart') RETURNING id`);
  const schemeId = rows[0]!.id;
  await step(db.pool, schemeId, 0, { type: 'responsible_manager', timeout: 20, lookupOrder: ['contact_owner', 'deal_owner'] });
  await step(db.pool, schemeId, 1, { type: 'employees', timeout: 15, strategy: 'simultaneous', schedule: KYIV_OFFICE }, [alice]);
  const rr = await step(db.pool, schemeId, 2, { type: 'new_client_distribution', timeout: 10, mode: 'round_robin' });
  await staticNumber(db.pool, TRACKING, schemeId);
  // the CRM mirror knows the client by a national-format number; Bob owns the contact
  await db.pool.query(`INSERT INTO crm_contacts (id, owner_id) VALUES ('c1', 'owner-bob')`);
  await db.pool.query(`INSERT INTO crm_contact_phones (contact_id, property, raw, e164) VALUES ('c1', 'phone', '(050) 123-45-67', $1)`, [CLIENT]);

  t.test('a known client in office hours: the responsible manager first, then each step with its reason', async (t) => {
    const { code, output } = await simulate('--from', '(050) 123-45-67', '--to', '044 123 4567', '--at', MONDAY_MORNING);
    t.equal(code, 0, output);
    t.equal(
      output,
      [
        `simulated call from ${CLIENT} to ${TRACKING} at 2026-06-15T07:30:00.000Z: nothing is rung`,
        `tracking number ${TRACKING}: static number, source "Billboard"; routing scheme ${schemeId}`,
        'attribution: static: Billboard',
        'CRM mirror: the caller is a client: contact owner owner-bob',
        `1. step 1, responsible manager: ring Bob (${bob}) for 20 s`,
        `   why: responsible manager (contact owner owner-bob): Bob (${bob})`,
        `   rings: Bob (${bob}) at +380671110002`,
        `2. step 2, employees: ring Alice (${alice}) for 15 s`,
        '   why: employees, simultaneously: 1',
        `   rings: Alice (${alice}) at sip:alice@pbx.example.com`,
        `3. step 3, new-client distribution: ring Alice (${alice}) for 10 s`,
        `   why: new clients, round robin 1/2: Alice (${alice})`,
        `   rings: Alice (${alice}) at sip:alice@pbx.example.com`,
        `   left out: Quinn (${quinn}) is quality control and is never rung [quality_control]`,
        `4. step 3, new-client distribution: ring Carol (${carol}) for 10 s`,
        `   why: new clients, round robin 2/2: Carol (${carol})`,
        `   rings: Carol (${carol}) at sip:carol@pbx.example.com`,
        `responsible manager: Bob (${bob})`,
        `round robin, step 3: this call offers Alice (${alice}) first; the next call starts after Alice (${alice}) (a simulation does not move it)`,
        'if nobody answers: the call is missed',
        '',
      ].join('\n'),
    );
  });

  t.test('on Saturday the office-hours step is skipped, with the reason', async (t) => {
    const { code, output } = await simulate('--from', CLIENT, '--to', TRACKING, '--at', SATURDAY);
    t.equal(code, 0, output);
    t.match(output, `1. step 1, responsible manager: ring Bob (${bob}) for 20 s`);
    t.match(output, '2. step 2, employees: skipped: outside working hours (Europe/Kyiv) [outside_working_hours]\n');
    t.match(output, `3. step 3, new-client distribution: ring Alice (${alice}) for 10 s`);
  });

  t.test('a new caller: the responsible-manager step is skipped', async (t) => {
    const { code, output } = await simulate('--from', STRANGER, '--to', TRACKING, '--at', MONDAY_MORNING);
    t.equal(code, 0, output);
    t.match(output, 'CRM mirror: the caller has no open contact or deal\n');
    t.match(output, '1. step 1, responsible manager: skipped: the caller has no open contact or deal in the CRM mirror [not_found]\n');
    t.notMatch(output, 'responsible manager: Bob');
  });

  t.test('a withheld caller is routed like one, without asking the CRM mirror', async (t) => {
    const { code, output } = await simulate('--from', 'anonymous', '--to', TRACKING, '--at', MONDAY_MORNING);
    t.equal(code, 0, output);
    t.match(output, `simulated call from a withheld number to ${TRACKING}`);
    t.match(output, 'CRM mirror: not asked');
    t.match(output, '[not_found]');
  });

  t.test('the round robin does not move: the same receiver comes first every time, and nothing is stored', async (t) => {
    await db.pool.query('INSERT INTO round_robin_state (step_id, last_employee_id) VALUES ($1, $2)', [rr, alice]);
    for (let i = 0; i < 2; i++) {
      const { code, output } = await simulate('--from', STRANGER, '--to', TRACKING, '--at', MONDAY_MORNING);
      t.equal(code, 0, output);
      t.match(output, `3. step 3, new-client distribution: ring Carol (${carol}) for 10 s`, `run ${i + 1}: Carol's turn, after Alice`);
    }
    const state = await db.pool.query('SELECT step_id, last_employee_id FROM round_robin_state');
    t.same(state.rows, [{ step_id: rr, last_employee_id: alice }], 'the stored position is untouched');
    t.equal((await db.pool.query('SELECT count(*)::int AS n FROM calls')).rows[0].n, 0, 'no call is recorded');
  });

  t.test('bad input: a clear error and a non-zero exit code', async (t) => {
    // [case, arguments, exit code, message]
    const rows: Array<[string, string[], number, RegExp]> = [
      ['an invalid caller', ['--from', '12', '--to', TRACKING], 2, /--from: the caller's number is not usable: /],
      ['letters as the caller', ['--from', 'alice', '--to', TRACKING], 2, /--from: the caller's number is not usable/],
      ['an invalid dialled number', ['--from', CLIENT, '--to', 'not-a-number'], 2, /--to: the dialled number is not usable/],
      ['a number that is not a tracking number', ['--from', CLIENT, '--to', '+380449999999'], 1, /\+380449999999 is not a tracking number/],
      ['--at without a zone', ['--from', CLIENT, '--to', TRACKING, '--at', '2026-06-15T10:30:00'], 2, /--at must be an ISO 8601 time with a zone/],
      ['--at that is no date', ['--from', CLIENT, '--to', TRACKING, '--at', 'tomorrow'], 2, /--at must be an ISO 8601 time with a zone.*"tomorrow"/],
      ['--at on February 30', ['--from', CLIENT, '--to', TRACKING, '--at', '2026-02-30T10:00:00Z'], 2, /--at must be/],
      ['no --to', ['--from', CLIENT], 1, /required option '--to <number>' not specified/],
    ];
    for (const [name, args, exit, message] of rows) {
      const { code, output } = await simulate(...args);
      t.equal(code, exit, `${name}: exit code ${exit}`);
      t.match(output, message, name);
      t.notMatch(output, /simulated call/, `${name}: no plan printed`);
    }
  });

  t.test('as the ringpath process: the plan on stdout with exit code 0; a refused call on stderr only, with its exit code', async (t) => {
    const plan = startRingpath(['simulate-call', '--from', CLIENT, '--to', TRACKING, '--at', MONDAY_MORNING], env);
    const refused = startRingpath(['simulate-call', '--from', CLIENT, '--to', TRACKING, '--at', '2026-06-15T10:30:00'], env);
    t.same(await plan.closed, { code: 0, signal: null }, plan.output());
    t.match(plan.stdout(), new RegExp(`^simulated call from \\${CLIENT} to \\${TRACKING} at 2026-06-15T07:30:00.000Z: nothing is rung\n`));
    t.match(plan.stdout(), /\nif nobody answers: the call is missed\n$/);
    t.equal(plan.stderr(), '', 'nothing on stderr');
    t.same(await refused.closed, { code: 2, signal: null }, 'a bad --at: exit code 2');
    t.match(refused.stderr(), /^ringpath: --at must be an ISO 8601 time with a zone/);
    t.equal(refused.stdout(), '', 'nothing on stdout');
  });

  t.test('--json prints the object POST /api/v1/calls/simulate answers with, attribution included', async (t) => {
    const siteId = await site(db.pool, { holdTimeS: 600 });
    const { ids } = await numberPool(db.pool, siteId, [POOL_NUMBER], schemeId);
    const session = await visitorSession(db.pool, {
      siteId, trackingNumberId: ids[0]!, number: POOL_NUMBER, createdAt: new Date('2026-06-15T07:00:00Z'), heldUntil: new Date('2026-06-15T08:00:00Z'),
      source: 'google', medium: 'cpc', utmCampaign: 'brand', utmTerm: 'sofa', gclid: 'g-1', gaClientId: 'GA1.1.7',
    });
    const { code, output } = await simulate('--from', STRANGER, '--to', POOL_NUMBER, '--at', MONDAY_MORNING, '--json');
    t.equal(code, 0, output);
    const printed = JSON.parse(output);
    t.match(printed, {
      simulated: true,
      at: '2026-06-15T07:30:00.000Z',
      caller: STRANGER,
      tracking_number: { number: POOL_NUMBER, kind: 'pool', site_id: siteId },
      attribution: { confidence: 'exact', visitor_session_id: session, source: 'google', medium: 'cpc', campaign: 'brand', term: 'sofa', gclid: 'g-1', ga_client_id: 'GA1.1.7' },
      routing: { scheme_id: schemeId, scheme_found: true },
    });
    const app = await buildApp({ config: loadConfig({ DEFAULT_COUNTRY: 'UA', LOG_LEVEL: 'silent', LOOKUP_BUDGET_MS: '5000' }), pool: db.pool, logger: silentLogger });
    t.teardown(() => app.close());
    const { key } = await createApiKey(db.pool, 'simulate');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/calls/simulate',
      headers: { authorization: `Bearer ${key}` },
      payload: { from: STRANGER, to: POOL_NUMBER, at: MONDAY_MORNING },
    });
    t.equal(res.statusCode, 200, res.body);
    t.same(printed, res.json(), 'the CLI and the API print the same object');
    t.same(printed.lines, (await simulate('--from', STRANGER, '--to', POOL_NUMBER, '--at', MONDAY_MORNING)).output.trimEnd().split('\n'), 'its lines are the text output');
  });
});
