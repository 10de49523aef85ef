// planCall: every step type, the responsible-manager lookup, QC exclusion, schedules, dedupe.
import t from 'tap';
import { planCall } from '../../../src/routing/engine.ts';
import type {
  CallContext,
  Destination,
  Employee,
  ExclusionCode,
  ResponsibleLookup,
  RoutingPlan,
  SkipCode,
  Step,
  WorkingHours,
} from '../../../src/routing/types.ts';

const CALLER = '+380501112233';
const TRACKING = '+380441234567';
const MONDAY_NOON_KYIV = new Date('2026-06-15T09:00:00Z');
const sip = (login: string): Destination => ({ type: 'sip_account', login });
const phone = (number: string): Destination => ({ type: 'phone', number });

function emp(id: number, over: Partial<Employee> = {}): Employee {
  return {
    id,
    fullName: `Employee ${id}`,
    salesRole: 'sales_rep',
    receivesNewClients: false,
    isSeniorManager: false,
    hubspotOwnerId: `o${id}`,
    mainDestinations: [sip(`e${id}`)],
    ...over,
  };
}

// 1, 2: reps who receive new clients (1 has two destinations); 3: head; 4: QC who "receives new
// clients"; 5: senior manager; 6: no destinations; 7: only the caller's own mobile; 8: shares 1's phone.
const TEAM: Employee[] = [
  emp(1, { receivesNewClients: true, mainDestinations: [sip('e1'), phone('+380671000001')] }),
  emp(2, { receivesNewClients: true }),
  emp(3, { salesRole: 'head' }),
  emp(4, { salesRole: 'quality_control', receivesNewClients: true }),
  emp(5, { isSeniorManager: true }),
  emp(6, { receivesNewClients: true, mainDestinations: [] }),
  emp(7, { mainDestinations: [phone(CALLER)] }),
  emp(8, { mainDestinations: [phone('+380671000001')] }),
];

function ctx(steps: Step[], over: Partial<CallContext> = {}): CallContext {
  return {
    callerNumber: CALLER,
    trackingNumber: { number: TRACKING, scheme: { id: 1, steps } },
    employees: TEAM,
    responsible: { status: 'not_found' },
    roundRobin: new Map(),
    now: MONDAY_NOON_KYIV,
    ...over,
  };
}

/** Employee ids per attempt, e.g. [[1], [2, 3]]. */
const rung = (p: RoutingPlan): (number | null)[][] => p.attempts.map((a) => a.targets.map((x) => x.employeeId));
const codes = (p: RoutingPlan): ExclusionCode[] => p.entries.flatMap((e) => e.excluded.map((x) => x.code));

t.test('responsible manager: lookup order, owners, unknown owners and QC', async (t) => {
  type Row = [string, Step, ResponsibleLookup, { rung?: number; skip?: SkipCode; excluded?: ExclusionCode[] }];
  const rm = (...order: ('contact_owner' | 'deal_owner')[]): Step => ({ type: 'responsible_manager', ringTimeoutS: 20, lookupOrder: order });
  const both: ResponsibleLookup = { status: 'found', contactOwnerId: 'o1', dealOwnerId: 'o2' };
  const rows: Row[] = [
    ['contact first, both owners', rm('contact_owner', 'deal_owner'), both, { rung: 1 }],
    ['deal first, both owners', rm('deal_owner', 'contact_owner'), both, { rung: 2 }],
    ['contact first, deal owner only', rm('contact_owner', 'deal_owner'), { status: 'found', dealOwnerId: 'o2' }, { rung: 2 }],
    ['deal first, contact owner only', rm('deal_owner', 'contact_owner'), { status: 'found', contactOwnerId: 'o1' }, { rung: 1 }],
    ['contact only configured, deal owner only found', rm('contact_owner'), { status: 'found', dealOwnerId: 'o2' }, { skip: 'not_found' }],
    ['deal only configured, contact owner only found', rm('deal_owner'), { status: 'found', contactOwnerId: 'o1' }, { skip: 'not_found' }],
    ['found but no owner at all', rm('contact_owner', 'deal_owner'), { status: 'found' }, { skip: 'not_found' }],
    ['unknown contact owner passes to the deal owner', rm('contact_owner', 'deal_owner'), { status: 'found', contactOwnerId: 'x9', dealOwnerId: 'o2' }, { rung: 2, excluded: ['unknown_owner'] }],
    ['unknown owners only', rm('contact_owner', 'deal_owner'), { status: 'found', contactOwnerId: 'x9', dealOwnerId: 'x8' }, { skip: 'nobody_eligible', excluded: ['unknown_owner', 'unknown_owner'] }],
    ['QC contact owner is never rung; the deal owner is', rm('contact_owner', 'deal_owner'), { status: 'found', contactOwnerId: 'o4', dealOwnerId: 'o3' }, { rung: 3, excluded: ['quality_control'] }],
    ['QC as the only responsible manager: skip', rm('deal_owner'), { status: 'found', dealOwnerId: 'o4' }, { skip: 'nobody_eligible', excluded: ['quality_control'] }],
    ['responsible manager without destinations', rm('contact_owner'), { status: 'found', contactOwnerId: 'o6' }, { skip: 'nobody_eligible', excluded: ['no_destinations'] }],
    ["responsible manager whose only phone is the caller's", rm('contact_owner'), { status: 'found', contactOwnerId: 'o7' }, { skip: 'nobody_eligible', excluded: ['loop'] }],
    ['lookup: not found', rm('contact_owner'), { status: 'not_found' }, { skip: 'not_found' }],
    ['lookup: failed', rm('contact_owner'), { status: 'failed', error: 'connection refused' }, { skip: 'lookup_failed' }],
    ['lookup: over its budget', rm('contact_owner'), { status: 'timeout' }, { skip: 'lookup_timeout' }],
  ];
  for (const [name, step, responsible, want] of rows) {
    const p = planCall(ctx([step], { responsible }));
    if (want.rung !== undefined) {
      t.same(rung(p), [[want.rung]], `${name}: rings ${want.rung}`);
      t.equal(p.responsibleManagerId, want.rung, `${name}: responsible manager id`);
    } else {
      t.same([p.attempts.length, p.skipped[0]?.code], [0, want.skip], `${name}: skipped as ${want.skip}`);
      t.equal(p.responsibleManagerId, null, `${name}: no responsible manager`);
    }
    t.same(codes(p), want.excluded ?? [], `${name}: exclusions`);
  }
});

t.test('a failed or slow lookup skips to the next step at once', async (t) => {
  for (const responsible of [{ status: 'failed', error: 'boom' }, { status: 'timeout' }] as const) {
    const p = planCall(ctx([{ type: 'responsible_manager', ringTimeoutS: 20, lookupOrder: ['contact_owner'] }, { type: 'senior_manager', ringTimeoutS: 30 }], { responsible }));
    t.same(rung(p), [[5]], `${responsible.status}: the senior manager rings first`);
    t.equal(p.attempts[0]?.stepIndex, 1);
    t.match(p.skipped[0]?.reason, /without waiting/);
  }
});

t.test('employees: simultaneous and sequential', async (t) => {
  type Row = [string, readonly number[], 'simultaneous' | 'sequential', (number | null)[][], ExclusionCode[]];
  const rows: Row[] = [
    ['simultaneous', [1, 2, 3], 'simultaneous', [[1, 2, 3]], []],
    ['sequential keeps the listed order', [3, 1, 2], 'sequential', [[3], [1], [2]], []],
    ['simultaneous leaves out QC, repeats, unknown ids, no destinations', [1, 4, 1, 99, 6, 2], 'simultaneous', [[1, 2]], ['duplicate', 'unknown_employee', 'quality_control', 'no_destinations']],
    ['sequential leaves out QC', [4, 2, 3], 'sequential', [[2], [3]], ['quality_control']],
    ['a shared phone rings once per attempt', [1, 8], 'simultaneous', [[1]], ['duplicate']],
    ['a shared phone rings in each sequential attempt', [1, 8], 'sequential', [[1], [8]], []],
    ["the caller's own phone is never rung", [7, 3], 'simultaneous', [[3]], ['loop']],
  ];
  for (const [name, employeeIds, ringStrategy, want, excluded] of rows) {
    const p = planCall(ctx([{ type: 'employees', ringTimeoutS: 15, employeeIds, ringStrategy }]));
    t.same(rung(p), want, name);
    t.same(codes(p), excluded, `${name}: exclusions`);
    t.ok(p.attempts.every((a) => a.ringTimeoutS === 15 && a.stepIndex === 0), `${name}: every attempt has the step's timeout`);
  }
  const p = planCall(ctx([{ type: 'employees', ringTimeoutS: 15, employeeIds: [4, 6, 99], ringStrategy: 'sequential' }]));
  t.same([p.attempts.length, p.skipped[0]?.code], [0, 'nobody_eligible'], 'nobody ringable: the step is skipped');
  t.match(p.skipped[0]?.reason, /quality control/);
});

t.test('every main destination of an employee rings together', async (t) => {
  const p = planCall(ctx([{ type: 'employees', ringTimeoutS: 15, employeeIds: [1], ringStrategy: 'simultaneous' }]));
  t.same(p.attempts[0]?.targets, [{ employeeId: 1, destinations: [sip('e1'), phone('+380671000001')] }]);
});

t.test('new-client distribution: ring_all and round_robin', async (t) => {
  const ringAll = planCall(ctx([{ type: 'new_client_distribution', ringTimeoutS: 25, mode: 'ring_all' }]));
  t.same(rung(ringAll), [[1, 2]], 'ring_all: every ringable receiver together');
  t.same(codes(ringAll), ['quality_control', 'no_destinations'], 'ring_all: QC and no-destination receivers are left out');
  t.match(ringAll.attempts[0]?.reason, /becomes the owner/);
  t.same(ringAll.roundRobin, [], 'ring_all does not rotate');

  const rr = (last: number | null): RoutingPlan =>
    planCall(ctx([{ type: 'new_client_distribution', ringTimeoutS: 25, mode: 'round_robin' }], { roundRobin: new Map([[0, { lastEmployeeId: last }]]) }));
  t.same(rung(rr(null)), [[1], [2]], 'round_robin without state starts at the lowest id');
  t.same(rr(null).roundRobin, [{ stepIndex: 0, lastEmployeeId: 1 }], 'and advances to it');
  t.same(rung(rr(1)), [[2], [1]], 'round_robin continues after the last turn');
  t.same(rr(1).roundRobin, [{ stepIndex: 0, lastEmployeeId: 2 }]);
  t.same(rung(rr(4)), [[1], [2]], 'a last turn held by someone now excluded passes on by id');

  const none = planCall(ctx([{ type: 'new_client_distribution', ringTimeoutS: 25, mode: 'round_robin' }], { employees: [emp(3), emp(5)] }));
  t.same([none.attempts.length, none.skipped[0]?.code, none.roundRobin], [0, 'nobody_eligible', []], 'no receivers: skipped, no advance');
  const qcOnly = planCall(ctx([{ type: 'new_client_distribution', ringTimeoutS: 25, mode: 'ring_all' }], { employees: [emp(4, { salesRole: 'quality_control', receivesNewClients: true })] }));
  t.same([qcOnly.skipped[0]?.code, codes(qcOnly)], ['nobody_eligible', ['quality_control']], 'QC-only receivers: skipped');
});

t.test('senior manager', async (t) => {
  const step: Step = { type: 'senior_manager', ringTimeoutS: 30 };
  t.same(rung(planCall(ctx([step]))), [[5]], 'rings the senior manager');
  const none = planCall(ctx([step], { employees: TEAM.filter((e) => !e.isSeniorManager) }));
  t.same([none.skipped[0]?.code, none.attempts.length], ['no_senior_manager', 0], 'no senior manager: skipped');
  const qc = planCall(ctx([step], { employees: [emp(5, { isSeniorManager: true, salesRole: 'quality_control' })] }));
  t.same([qc.skipped[0]?.code, codes(qc)], ['nobody_eligible', ['quality_control']], 'a QC senior manager is never rung');
  const mute = planCall(ctx([step], { employees: [emp(5, { isSeniorManager: true, mainDestinations: [] })] }));
  t.same([mute.skipped[0]?.code, codes(mute)], ['nobody_eligible', ['no_destinations']], 'a senior manager without destinations');
});

t.test('external number', async (t) => {
  const ext = (number: string): RoutingPlan => planCall(ctx([{ type: 'external_number', ringTimeoutS: 40, number }]));
  t.same(ext('+14155550100').attempts[0]?.targets, [{ employeeId: null, destinations: [phone('+14155550100')] }], 'rings the number');
  t.equal(ext('+14155550100').attempts[0]?.ringTimeoutS, 40);
  t.same(ext('0501234567').skipped[0]?.code, 'invalid_step', 'not E.164: skipped');
  t.same([ext(CALLER).skipped[0]?.code, codes(ext(CALLER))], ['nobody_eligible', ['loop']], "the caller's number: skipped");
  t.same([ext(TRACKING).skipped[0]?.code, codes(ext(TRACKING))], ['nobody_eligible', ['loop']], 'the tracking number: skipped');
});

t.test('working hours gate each step; the next step runs', async (t) => {
  const office: WorkingHours = { timeZone: 'Europe/Kyiv', intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] };
  const steps: Step[] = [
    { type: 'employees', ringTimeoutS: 15, employeeIds: [3], ringStrategy: 'simultaneous', schedule: office },
    { type: 'external_number', ringTimeoutS: 40, number: '+14155550100' },
  ];
  type Row = [string, string, (number | null)[][], SkipCode | undefined];
  const rows: Row[] = [
    ['Monday 12:00 Kyiv', '2026-06-15T09:00:00Z', [[3], [null]], undefined],
    ['Monday 18:00 Kyiv (end is exclusive)', '2026-06-15T15:00:00Z', [[null]], 'outside_working_hours'],
    ['Saturday noon Kyiv', '2026-06-20T09:00:00Z', [[null]], 'outside_working_hours'],
    ['Monday 09:30 EEST after spring-forward', '2026-03-30T06:30:00Z', [[3], [null]], undefined],
    ['Monday 08:30 EET the week before', '2026-03-23T06:30:00Z', [[null]], 'outside_working_hours'],
  ];
  for (const [name, at, want, skipCode] of rows) {
    const p = planCall(ctx(steps, { now: new Date(at) }));
    t.same(rung(p), want, name);
    t.equal(p.skipped[0]?.code, skipCode, `${name}: skip`);
  }
  const broken = planCall(ctx([{ ...steps[0]!, schedule: { timeZone: 'Mars/Olympus', intervals: office.intervals } } as Step]));
  t.same(broken.skipped[0]?.code, 'invalid_schedule', 'an unknown time zone: skipped with a reason');
});

t.test('a whole scheme: order, step indexes, skips and the empty scheme', async (t) => {
  const steps: Step[] = [
    { type: 'responsible_manager', ringTimeoutS: 20, lookupOrder: ['contact_owner', 'deal_owner'] },
    { type: 'employees', ringTimeoutS: 15, employeeIds: [3, 2], ringStrategy: 'sequential' },
    { type: 'new_client_distribution', ringTimeoutS: 25, mode: 'round_robin' },
    { type: 'senior_manager', ringTimeoutS: 30 },
    { type: 'external_number', ringTimeoutS: 40, number: '+14155550100' },
  ];
  const p = planCall(ctx(steps, { responsible: { status: 'found', dealOwnerId: 'o1' }, roundRobin: new Map([[2, { lastEmployeeId: 1 }]]) }));
  t.same(rung(p), [[1], [3], [2], [2], [1], [5], [null]], 'attempts in scheme order');
  t.same(p.attempts.map((a) => a.stepIndex), [0, 1, 1, 2, 2, 3, 4], 'step indexes');
  t.same(p.entries.map((e) => e.kind), Array(7).fill('attempt'), 'no skips');
  t.same(p.roundRobin, [{ stepIndex: 2, lastEmployeeId: 2 }], 'the round robin advance names its step');
  t.equal(p.responsibleManagerId, 1);

  const skipping = planCall(ctx(steps, { responsible: { status: 'timeout' }, employees: TEAM.filter((e) => e.id !== 5) }));
  t.same(skipping.entries.map((e) => `${e.stepIndex}:${e.kind}`), ['0:skip', '1:attempt', '1:attempt', '2:attempt', '2:attempt', '3:skip', '4:attempt'], 'skips sit in order among attempts');
  t.same(skipping.skipped.map((s) => s.code), ['lookup_timeout', 'no_senior_manager']);

  const empty = planCall(ctx([]));
  t.same([empty.entries, empty.attempts, empty.skipped, empty.roundRobin, empty.responsibleManagerId], [[], [], [], [], null], 'an empty scheme plans nothing');

  const bad = planCall(ctx([{ type: 'senior_manager', ringTimeoutS: 0 }]));
  t.equal(bad.skipped[0]?.code, 'invalid_step', 'a non-positive ring timeout is skipped');
});

t.test('QC employees are never rung, whatever the scheme', async (t) => {
  const qcEverywhere = TEAM.map((e) => ({ ...e, salesRole: 'quality_control' as const }));
  const steps: Step[] = [
    { type: 'responsible_manager', ringTimeoutS: 20, lookupOrder: ['contact_owner', 'deal_owner'] },
    { type: 'employees', ringTimeoutS: 15, employeeIds: [1, 2, 3], ringStrategy: 'simultaneous' },
    { type: 'employees', ringTimeoutS: 15, employeeIds: [1, 2, 3], ringStrategy: 'sequential' },
    { type: 'new_client_distribution', ringTimeoutS: 25, mode: 'ring_all' },
    { type: 'new_client_distribution', ringTimeoutS: 25, mode: 'round_robin' },
    { type: 'senior_manager', ringTimeoutS: 30 },
  ];
  const p = planCall(ctx(steps, { employees: qcEverywhere, responsible: { status: 'found', contactOwnerId: 'o1', dealOwnerId: 'o2' } }));
  t.same(p.attempts, [], 'no attempt at all');
  t.same(p.skipped.map((s) => s.code), Array(6).fill('nobody_eligible'), 'each step says why');
});

t.test('planCall is pure: same input, same plan; the input is untouched', async (t) => {
  const steps: Step[] = [
    { type: 'new_client_distribution', ringTimeoutS: 25, mode: 'round_robin' },
    { type: 'employees', ringTimeoutS: 15, employeeIds: [2, 1], ringStrategy: 'simultaneous' },
  ];
  const input = ctx(steps, { roundRobin: new Map([[0, { lastEmployeeId: 1 }]]) });
  const before = JSON.stringify({ ...input, roundRobin: [...input.roundRobin] });
  const a = planCall(input);
  const b = planCall(input);
  t.same(a, b);
  t.equal(JSON.stringify({ ...input, roundRobin: [...input.roundRobin] }), before);
  t.same(JSON.parse(JSON.stringify(a)), a, 'the plan is plain JSON');
});
