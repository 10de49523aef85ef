// The outbound dial plan (SPEC §5): blocked prefixes, then allowed countries, then
// the account's rate of new calls.
import t, { type Test } from 'tap';
import {
  blockedCallRecord,
  checkDialPlan,
  dialPlanPolicy,
  screenOutboundCall,
  type DialPlanPolicy,
  type DialPlanSettings,
} from '../../../src/calls/dial-plan.ts';
import { SETTINGS_DEFAULTS } from '../../../src/db/repositories/settings.ts';
import { outboundCallRateMemory } from '../../../src/sip/dial-rate.ts';

const DEFAULTS: DialPlanSettings = {
  dial_plan_allowed_countries: SETTINGS_DEFAULTS.dial_plan_allowed_countries,
  dial_plan_blocked_prefixes: SETTINGS_DEFAULTS.dial_plan_blocked_prefixes,
  dial_plan_calls_per_minute: SETTINGS_DEFAULTS.dial_plan_calls_per_minute,
};
/** The defaults, on a ringpath whose DEFAULT_COUNTRY is UA. */
const policy = (over: Partial<DialPlanSettings> = {}, defaultCountry = 'UA'): DialPlanPolicy =>
  dialPlanPolicy({ ...DEFAULTS, ...over }, defaultCountry);

type Expect = { allowed: true; country: string } | { allowed: false; rule: 'prefix' | 'country'; reason: RegExp };
const ok = (country: string): Expect => ({ allowed: true, country });
const byCountry = (reason: RegExp): Expect => ({ allowed: false, rule: 'country', reason });
const byPrefix = (prefix: string): Expect => ({ allowed: false, rule: 'prefix', reason: new RegExp(`blocked range \\${prefix}$`) });

function verify(t: Test, name: string, p: DialPlanPolicy, dialled: string, expected: Expect): void {
  const v = checkDialPlan(p, dialled);
  if (expected.allowed) {
    t.same(v, expected, `${name}: allowed in ${expected.country}`);
    return;
  }
  t.equal(v.allowed, false, `${name}: refused`);
  if (v.allowed) return;
  t.equal(v.code, 'DIAL_PLAN_BLOCKED', `${name}: DIAL_PLAN_BLOCKED`);
  t.equal(v.rule, expected.rule, `${name}: by the ${expected.rule} rule`);
  t.match(v.reason, expected.reason, `${name}: says why (${v.reason})`);
}

t.test('the policy from the settings: null countries mean the default country only; prefixes longest first', async (t) => {
  const rows: Array<[string, Partial<DialPlanSettings>, string, string[]]> = [
    ['unset: DEFAULT_COUNTRY only', {}, 'UA', ['UA']],
    ['unset, another DEFAULT_COUNTRY', {}, 'US', ['US']],
    ['a list replaces the default country', { dial_plan_allowed_countries: ['GB', 'DE'] }, 'UA', ['DE', 'GB']],
    ['lower case and repeats', { dial_plan_allowed_countries: ['gb', 'GB', ' ua '] }, 'UA', ['GB', 'UA']],
    ['an empty list allows nothing', { dial_plan_allowed_countries: [] }, 'UA', []],
  ];
  for (const [name, over, country, expected] of rows) t.same([...policy(over, country).allowedCountries].sort(), expected, name);

  const p = policy({ dial_plan_blocked_prefixes: ['+38', '+380900', '+3809', '+38', '+881'], dial_plan_calls_per_minute: 3 });
  t.same(p.blockedPrefixes, ['+380900', '+3809', '+881', '+38'], 'deduplicated, longest first');
  t.equal(p.callsPerMinute, 3);
});

t.test('the default dial plan (DEFAULT_COUNTRY=UA): domestic numbers go out, anything else is refused', async (t) => {
  const rows: Array<[string, string, Expect]> = [
    ['domestic landline', '+380441234567', ok('UA')],
    ['domestic mobile', '+380501234567', ok('UA')],
    ['London', '+442079460958', byCountry(/is in GB, which is not an allowed country \(allowed: UA\)/)],
    ['Madrid', '+34911234567', byCountry(/is in ES, which is not an allowed country/)],
    ['New York', '+12025550123', byCountry(/is in US, which is not an allowed country/)],
    ['Cuba', '+5352123456', byCountry(/is in CU/)],
    ['a UPT number (+878), no country', '+878101234567890', byPrefix('+878')],
    ['international freephone (+800): no country, never allowed', '+80012345678', byCountry(/belongs to no country/)],
  ];
  for (const [name, dialled, expected] of rows) verify(t, name, policy(), dialled, expected);
});

t.test('a foreign country is allowed once it is added; its neighbours on a shared calling code are not', async (t) => {
  const rows: Array<[string, string[], string, Expect]> = [
    ['GB added', ['UA', 'GB'], '+442079460958', ok('GB')],
    ['GB added, domestic still allowed', ['UA', 'GB'], '+380441234567', ok('UA')],
    ['GB alone: the default country is no longer implied', ['GB'], '+380441234567', byCountry(/is in UA, which is not an allowed country \(allowed: GB\)/)],
    ['US added', ['US'], '+12025550123', ok('US')],
    ['US allowed: Toronto (+1 416) is CA', ['US'], '+14165550123', byCountry(/is in CA/)],
    ['US allowed: Jamaica (+1 876) is JM', ['US'], '+18765551234', byCountry(/is in JM/)],
    ['US allowed: Dominican Republic (+1 809) is DO', ['US'], '+18095550123', byCountry(/is in DO/)],
    ['RU allowed: Kazakhstan (+7 701) is KZ', ['RU'], '+77012345678', byCountry(/is in KZ/)],
    ['KZ allowed', ['KZ'], '+77012345678', ok('KZ')],
    ['GB allowed: Jersey (+44 1534) is JE', ['GB'], '+441534123456', byCountry(/is in JE/)],
    ['an empty list refuses even domestic numbers', [], '+380441234567', byCountry(/\(allowed: none\)/)],
  ];
  for (const [name, countries, dialled, expected] of rows) {
    verify(t, name, policy({ dial_plan_allowed_countries: countries }), dialled, expected);
  }
});

t.test('every default blocked prefix is refused by its prefix, even with its country allowed', async (t) => {
  // a valid number in each range where libphonenumber knows one
  const rows: Array<[string, string]> = [
    ['+808', '+80812345678'],
    ['+870', '+870773123456'],
    ['+878', '+878101234567890'],
    ['+881', '+881631234567'],
    ['+882', '+882161234567'],
    ['+883', '+883510012345678'],
    ['+888', '+888123456789'],
    ['+979', '+979123456789'],
    ['+991', '+9911234567'],
    ['+1900', '+19005550123'],
  ];
  t.same(rows.map(([prefix]) => prefix).sort(), [...SETTINGS_DEFAULTS.dial_plan_blocked_prefixes].sort(), 'one row for each default prefix');
  const everywhere = policy({ dial_plan_allowed_countries: ['UA', 'US', 'GB', 'DE', 'CA'] });
  for (const [prefix, dialled] of rows) verify(t, `${dialled} (${prefix})`, everywhere, dialled, byPrefix(prefix));
  // +1 900 is premium rate in the US: without the prefix, the country rule would have let it through
  verify(t, 'NANP premium rate without the blocked prefix', policy({ dial_plan_allowed_countries: ['US'], dial_plan_blocked_prefixes: [] }), '+19005550123', ok('US'));
});

t.test('with no blocked prefixes at all, numbers without a country are still refused', async (t) => {
  const open = policy({ dial_plan_blocked_prefixes: [], dial_plan_allowed_countries: ['UA', 'US', 'GB'] });
  const rows: Array<[string, string]> = [
    ['Iridium (+881 6)', '+881631234567'],
    ['Thuraya (+882 16)', '+882161234567'],
    ['international networks (+883)', '+883510012345678'],
    ['Inmarsat (+870)', '+870773123456'],
    ['shared cost (+808)', '+80812345678'],
    ['international premium rate (+979)', '+979123456789'],
    ['international freephone (+800)', '+80012345678'],
    ['a +979 number in no known range', '+97912345678'],
    ['a calling code nobody has (+991 is not in the metadata)', '+9911234567'],
    ['an unassigned NANP area code', '+12005550123'],
    ['a UA number in no known range', '+380900123456'],
  ];
  for (const [name, dialled] of rows) verify(t, name, open, dialled, byCountry(/belongs to no country/));
});

t.test('a custom blocked prefix inside an allowed country: the premium range goes, the rest of the country stays', async (t) => {
  const p = policy({ dial_plan_blocked_prefixes: [...DEFAULTS.dial_plan_blocked_prefixes, '+380900'] });
  const rows: Array<[string, string, Expect]> = [
    ['Ukrainian premium rate 0900', '+380900312345', byPrefix('+380900')],
    ['a Kyiv landline', '+380441234567', ok('UA')],
    ['a mobile starting with the same digits after +380 9', '+380931234567', ok('UA')],
  ];
  for (const [name, dialled, expected] of rows) verify(t, name, p, dialled, expected);

  const nested = policy({ dial_plan_blocked_prefixes: ['+380', '+380900'], dial_plan_allowed_countries: ['UA'] });
  verify(t, 'nested prefixes: the longest match is named', nested, '+380900312345', byPrefix('+380900'));
  verify(t, 'nested prefixes: a whole country blocked by prefix', nested, '+380441234567', byPrefix('+380'));
});

t.test('input that is not an E.164 number is refused, never thrown on', async (t) => {
  const rows: Array<[string, string]> = [
    ['empty', ''],
    ['letters', 'alice'],
    ['a national number', '0441234567'],
    ['a SIP URI', 'sip:+380441234567@ringpath.example'],
    ['spaces', '+380 44 123 4567'],
    ['calling code 0', '+0441234567'],
    ['a plus alone', '+'],
    ['too few digits', '+38044'],
    ['more than 15 digits', '+3804412345678901'],
    ['far too long', `+${'9'.repeat(5000)}`],
  ];
  for (const [name, dialled] of rows) {
    const v = checkDialPlan(policy(), dialled);
    t.match(v, { allowed: false, code: 'DIAL_PLAN_BLOCKED', rule: 'country', reason: /is not an E\.164 number/ }, name);
    if (!v.allowed) t.ok(v.reason.length < 120, `${name}: a short reason`);
  }
  // a blocked-prefix-looking input that is not E.164 is still refused
  t.match(checkDialPlan(policy(), '+979'), { allowed: false }, '+979 alone');
});

t.test('screenOutboundCall: the dial plan, then the rate; refused numbers do not use up the rate', async (t) => {
  const rate = outboundCallRateMemory();
  const p = policy({ dial_plan_calls_per_minute: 2 });
  const premium = await screenOutboundCall(p, rate, 'olena', '+979123456789');
  t.match(premium, { allowed: false, code: 'DIAL_PLAN_BLOCKED', rule: 'prefix' }, 'premium refused by prefix');
  t.same(await screenOutboundCall(p, rate, 'olena', '+380441234567'), { allowed: true, country: 'UA' }, 'first call');
  t.same(await screenOutboundCall(p, rate, 'olena', '+380501234567'), { allowed: true, country: 'UA' }, 'second call: the premium attempt did not count');
  const third = await screenOutboundCall(p, rate, 'olena', '+380441234567');
  t.match(third, { allowed: false, code: 'DIAL_PLAN_BLOCKED', rule: 'rate', reason: /more than 2 new outbound calls a minute from olena/ }, 'third call refused');
  t.ok(!third.allowed && 'retryAfterS' in third && third.retryAfterS >= 1 && third.retryAfterS <= 60, 'with a retry after within the minute');
  t.match(await screenOutboundCall(p, rate, 'olena', '+442079460958'), { rule: 'country' }, 'over the rate, a refused country is still reported as such');
  t.same(await screenOutboundCall(p, rate, 'taras', '+380441234567'), { allowed: true, country: 'UA' }, 'another account has its own count');
});

t.test('the CDR of a blocked call: outbound, blocked, never rung, the refusal in its trace', async (t) => {
  const at = new Date('2024-05-01T10:00:00Z');
  const verdict = checkDialPlan(policy(), '+979123456789');
  if (verdict.allowed) throw new Error('expected a refusal');
  const cdr = blockedCallRecord({
    id: '0b7e6d1a-3c2f-4a8e-9f10-2d4c6b8a0e11',
    sipCallId: 'abc@phone',
    callerId: '+380441234500',
    calleeE164: '+979123456789',
    callerRaw: '<sip:olena@ringpath.local>;tag=1',
    placedByEmployeeId: 7,
    at,
    refusal: verdict,
  });
  t.match(cdr, {
    direction: 'outbound',
    disposition: 'blocked',
    caller: '+380441234500',
    callee: '+979123456789',
    placedByEmployeeId: 7,
    answeredAt: null,
    startedAt: at,
    endedAt: at,
    ringDurationMs: 0,
    talkDurationMs: 0,
    recordingPath: null,
  });
  t.equal(cdr.routingTrace.length, 1);
  t.match(cdr.routingTrace[0], { result: 'skipped', legs: [], reason: 'DIAL_PLAN_BLOCKED (prefix): +979123456789 is in the blocked range +979' });
});
