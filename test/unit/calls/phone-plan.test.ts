// Calls from managers' phones, decided by the pure core: who may call, extension
// or outbound, the caller id, and the attempt the routing engine plans.
import t from 'tap';
import { dialledExtension, outboundCallerId, planPhoneCall, type PhoneCallInput } from '../../../src/calls/phone-plan.ts';
import { dialPlanPolicy } from '../../../src/calls/dial-plan.ts';
import type { DirectoryEmployee } from '../../../src/db/repositories/directory.ts';
import { SETTINGS_DEFAULTS } from '../../../src/db/repositories/settings.ts';
import type { Destination } from '../../../src/routing/types.ts';

const account = (login: string): Destination => ({ type: 'sip_account', login });
const phone = (number: string): Destination => ({ type: 'phone', number });

function employee(id: number, over: Partial<DirectoryEmployee> = {}): DirectoryEmployee {
  return {
    id,
    fullName: `Employee ${id}`,
    salesRole: 'sales_rep',
    receivesNewClients: false,
    isSeniorManager: false,
    hubspotOwnerId: null,
    extension: String(100 + id),
    mainDestinations: [account(`emp${id}`)],
    additionalDestinations: [],
    sipLogins: [`emp${id}`],
    ...over,
  };
}

const EMPLOYEES = [
  employee(1),
  employee(2, { mainDestinations: [account('emp2'), phone('+380671110002')] }),
  employee(3, { salesRole: 'quality_control' }),
  employee(4, { mainDestinations: [] }),
];

function input(over: Partial<PhoneCallInput> = {}): PhoneCallInput {
  return {
    placedById: 1,
    requestUri: 'sip:+380501234567@ringpath.local',
    employees: EMPLOYEES,
    defaultCountry: 'UA',
    trunkConfigured: true,
    priorityNumber: null,
    trunkDefaultCallerId: null,
    dialPlan: dialPlanPolicy({ dial_plan_allowed_countries: null, dial_plan_blocked_prefixes: SETTINGS_DEFAULTS.dial_plan_blocked_prefixes, dial_plan_calls_per_minute: 10 }, 'UA'),
    at: new Date('2026-11-30T10:00:00Z'),
    ...over,
  };
}

t.test('refusals, each with its status and stable code', async (t) => {
  // [case, input, status, code]
  const rows: Array<[string, Partial<PhoneCallInput>, number, string]> = [
    ['quality control cannot place calls', { placedById: 3 }, 403, 'QUALITY_CONTROL_CANNOT_CALL'],
    ['quality control cannot dial an extension either', { placedById: 3, requestUri: 'sip:101@ringpath.local' }, 403, 'QUALITY_CONTROL_CANNOT_CALL'],
    ["an account whose employee is gone", { placedById: 99 }, 403, 'AUTHENTICATION_FAILED'],
    ['an extension nobody has', { requestUri: 'sip:199@ringpath.local' }, 404, 'EXTENSION_UNKNOWN'],
    ['their own extension', { requestUri: 'sip:101@ringpath.local' }, 486, 'OWN_EXTENSION'],
    ['an extension of quality control (never rung)', { requestUri: 'sip:103@ringpath.local' }, 480, 'NO_REACHABLE_DESTINATION'],
    ['an extension with no destinations', { requestUri: 'sip:104@ringpath.local' }, 480, 'NO_REACHABLE_DESTINATION'],
    ['a number that cannot be read', { requestUri: 'sip:12@ringpath.local' }, 484, 'PHONE_INVALID'],
    ['no trunk', { trunkConfigured: false }, 503, 'NO_TRUNK'],
    ['dialling their own caller id (a loop into ringpath)', { requestUri: 'sip:+380441234567@x', priorityNumber: '+380441234567' }, 480, 'NO_REACHABLE_DESTINATION'],
  ];
  for (const [name, over, status, code] of rows) {
    const p = planPhoneCall(input(over));
    t.same(p.kind === 'refuse' ? [p.status, p.code] : p.kind, [status, code], name);
    if (p.kind === 'refuse') t.ok(p.detail.length > 0, `${name}: says why`);
  }
});

t.test('an extension rings that employee, planned by the routing engine', async (t) => {
  const p = planPhoneCall(input({ requestUri: 'sip:102@ringpath.local' }));
  if (p.kind !== 'internal') return t.fail(`planned ${p.kind}`);
  t.equal(p.callee.id, 2);
  t.equal(p.callerId, '101', "the caller is shown as the placing employee's extension");
  t.same(p.attempt.targets, [{ employeeId: 2, destinations: [account('emp2'), phone('+380671110002')] }], 'every main destination rings');
  t.equal(p.attempt.ringTimeoutS, 60);
  t.equal(p.plan.attempts.length, 1);
});

t.test('an outbound call: the number as E.164, the priority tracking number as caller id', async (t) => {
  // [case, input, dialled, caller id]
  const rows: Array<[string, Partial<PhoneCallInput>, string, string | null]> = [
    ['E.164, no caller id anywhere', {}, '+380501234567', null],
    ['a national number', { requestUri: 'sip:0501234567@ringpath.local' }, '+380501234567', null],
    ['the trunk default', { trunkDefaultCallerId: '+380442220000' }, '+380501234567', '+380442220000'],
    ['the priority number beats the trunk default', { priorityNumber: '+380443330000', trunkDefaultCallerId: '+380442220000' }, '+380501234567', '+380443330000'],
  ];
  for (const [name, over, dialled, callerId] of rows) {
    const p = planPhoneCall(input(over));
    if (p.kind !== 'outbound') {
      t.fail(`${name}: planned ${p.kind}`);
      continue;
    }
    t.same([p.dialled, p.callerId], [dialled, callerId], name);
    t.same(p.attempt.targets, [{ employeeId: null, destinations: [phone(dialled)] }], `${name}: one external leg`);
    t.equal(p.attempt.ringTimeoutS, 120, `${name}: rings up to 2 minutes`);
  }
});

t.test('the outbound caller id on its own', async (t) => {
  t.equal(outboundCallerId('+1', '+2'), '+1');
  t.equal(outboundCallerId(null, '+2'), '+2');
  t.equal(outboundCallerId(null, null), null);
});

t.test('a dialled 3-digit extension', async (t) => {
  // [Request-URI, extension]
  const rows: Array<[string, string | undefined]> = [
    ['sip:101@ringpath.local', '101'],
    ['sip:205@ringpath.local;user=phone', '205'],
    ['sips:999@ringpath.local:5061;transport=tls', '999'],
    ['tel:101', '101'],
    ['  sip:101@ringpath.local', '101'],
    ['SIP:310@ringpath.local', '310'],
    ['sip:10@ringpath.local', undefined],
    ['sip:1011@ringpath.local', undefined],
    ['sip:+101@ringpath.local', undefined],
    ['sip:1a1@ringpath.local', undefined],
    ['sip:+380501234567@ringpath.local', undefined],
    ['sip:alice@ringpath.local', undefined],
    ['sip:@ringpath.local', undefined],
    ['101', undefined],
    ['', undefined],
  ];
  for (const [uri, ext] of rows) t.equal(dialledExtension(uri), ext, JSON.stringify(uri));
});

t.test('the dial plan: premium and foreign destinations are blocked, with the caller id kept for the record', async (t) => {
  // [case, Request-URI, input, blocked by rule or undefined]
  const rows: Array<[string, string, Partial<PhoneCallInput>, string | undefined]> = [
    ['a domestic mobile', 'sip:+380671234567@x', {}, undefined],
    ['international premium rate (+979)', 'sip:+979123456789@x', {}, 'prefix'],
    ['a satellite phone (+881)', 'sip:+881612345678@x', {}, 'prefix'],
    ['abroad, not allowed by default', 'sip:+4930123456@x', {}, 'country'],
    ['written with 00, still abroad', 'sip:004930123456@x', {}, 'country'],
  ];
  for (const [name, uri, over, rule] of rows) {
    const p = planPhoneCall(input({ requestUri: uri, priorityNumber: '+380442220000', ...over }));
    if (rule === undefined) t.equal(p.kind, 'outbound', `${name}: allowed`);
    else t.same(p.kind === 'blocked' ? [p.refusal.code, p.refusal.rule, p.callerId] : p.kind, ['DIAL_PLAN_BLOCKED', rule, '+380442220000'], `${name}: blocked (${rule})`);
  }
  const de = dialPlanPolicy({ dial_plan_allowed_countries: ['UA', 'DE'], dial_plan_blocked_prefixes: [], dial_plan_calls_per_minute: 10 }, 'UA');
  t.equal(planPhoneCall(input({ requestUri: 'sip:+4930123456@x', dialPlan: de })).kind, 'outbound', 'Germany once allowed');
  t.equal(planPhoneCall(input({ requestUri: 'sip:102@x' })).kind, 'internal', 'extensions are not screened');
});
