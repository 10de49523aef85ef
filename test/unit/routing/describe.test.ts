// A routing plan in words (simulate-call and the console).
import t from 'tap';
import { describeLookup, describePlan, type DescribeOptions } from '../../../src/routing/describe.ts';
import { planCall } from '../../../src/routing/engine.ts';
import type { Attempt, Destination, Employee, ResponsibleLookup, RoutingPlan, SkippedStep } from '../../../src/routing/types.ts';

const phone = (number: string): Destination => ({ type: 'phone', number });
const sip = (login: string): Destination => ({ type: 'sip_account', login });
const uri = (u: string): Destination => ({ type: 'sip_uri', uri: u });
const people = [
  { id: 1, fullName: 'Alice Avery' },
  { id: 2, fullName: 'Bob Brown' },
  { id: 3, fullName: 'Carol Chen' },
];

function plan(entries: Array<Attempt | SkippedStep>, extra: Partial<Pick<RoutingPlan, 'responsibleManagerId' | 'roundRobin'>> = {}): RoutingPlan {
  return {
    entries,
    attempts: entries.filter((e): e is Attempt => e.kind === 'attempt'),
    skipped: entries.filter((e): e is SkippedStep => e.kind === 'skip'),
    responsibleManagerId: extra.responsibleManagerId ?? null,
    roundRobin: extra.roundRobin ?? [],
  };
}
const attempt = (a: Partial<Attempt> & Pick<Attempt, 'stepIndex' | 'stepType' | 'targets' | 'reason'>): Attempt => ({
  kind: 'attempt',
  ringTimeoutS: 20,
  excluded: [],
  ...a,
});
const skip = (s: Omit<SkippedStep, 'kind' | 'excluded'> & Partial<Pick<SkippedStep, 'excluded'>>): SkippedStep => ({ kind: 'skip', excluded: [], ...s });

t.test('plans in words', async (t) => {
  // [case, plan, options, lines]
  const rows: Array<[string, RoutingPlan, DescribeOptions, string[]]> = [
    ['an empty scheme', plan([]), { employees: people }, ['the routing scheme has no steps: nobody is rung and the call is missed']],
    [
      'one employee with two destinations',
      plan([attempt({ stepIndex: 0, stepType: 'employees', targets: [{ employeeId: 1, destinations: [sip('alice'), phone('+380671000001')] }], reason: 'employees, simultaneously: 1' })]),
      { employees: people },
      [
        '1. step 1, employees: ring Alice Avery (1) for 20 s',
        '   why: employees, simultaneously: 1',
        '   rings: Alice Avery (1) at SIP account alice, +380671000001',
        'if nobody answers: the call is missed',
      ],
    ],
    [
      'three ringing together, with someone left out',
      plan([
        attempt({
          stepIndex: 1,
          stepType: 'new_client_distribution',
          ringTimeoutS: 15,
          targets: [
            { employeeId: 1, destinations: [sip('alice')] },
            { employeeId: 2, destinations: [uri('sip:bob@pbx.example.com')] },
            { employeeId: 3, destinations: [phone('+380671000003')] },
          ],
          reason: 'new clients, ring all: 3 receivers; the first to answer becomes the owner',
          excluded: [{ employeeId: 4, code: 'quality_control', detail: 'Dan Dale (4) is quality control and is never rung' }],
        }),
      ]),
      { employees: people },
      [
        '1. step 2, new-client distribution: ring Alice Avery (1), Bob Brown (2) and Carol Chen (3) together for 15 s',
        '   why: new clients, ring all: 3 receivers; the first to answer becomes the owner',
        '   rings: Alice Avery (1) at SIP account alice',
        '   rings: Bob Brown (2) at sip:bob@pbx.example.com',
        '   rings: Carol Chen (3) at +380671000003',
        '   left out: Dan Dale (4) is quality control and is never rung [quality_control]',
        'if nobody answers: the call is missed',
      ],
    ],
    [
      'a responsible manager, a skipped step and an external number',
      plan(
        [
          attempt({ stepIndex: 0, stepType: 'responsible_manager', targets: [{ employeeId: 2, destinations: [sip('bob')] }], reason: 'responsible manager (contact owner 77): Bob Brown (2)' }),
          skip({ stepIndex: 1, stepType: 'employees', code: 'outside_working_hours', reason: 'outside working hours (Europe/Kyiv)' }),
          attempt({ stepIndex: 2, stepType: 'external_number', ringTimeoutS: 30, targets: [{ employeeId: null, destinations: [phone('+14155550100')] }], reason: 'external number +14155550100' }),
        ],
        { responsibleManagerId: 2 },
      ),
      { employees: people },
      [
        '1. step 1, responsible manager: ring Bob Brown (2) for 20 s',
        '   why: responsible manager (contact owner 77): Bob Brown (2)',
        '   rings: Bob Brown (2) at SIP account bob',
        '2. step 2, employees: skipped: outside working hours (Europe/Kyiv) [outside_working_hours]',
        '3. step 3, external number: ring external number +14155550100 for 30 s',
        '   why: external number +14155550100',
        'responsible manager: Bob Brown (2)',
        'if nobody answers: the call is missed',
      ],
    ],
    [
      'every step skipped, with the reasons and exclusions',
      plan([
        skip({ stepIndex: 0, stepType: 'responsible_manager', code: 'lookup_timeout', reason: 'the responsible-manager lookup ran out of its time budget; moving on without waiting' }),
        skip({
          stepIndex: 1,
          stepType: 'senior_manager',
          code: 'nobody_eligible',
          reason: 'the senior manager cannot be rung: Carol Chen (3) has no main destinations',
          excluded: [{ employeeId: 3, code: 'no_destinations', detail: 'Carol Chen (3) has no main destinations' }],
        }),
      ]),
      { employees: people },
      [
        '1. step 1, responsible manager: skipped: the responsible-manager lookup ran out of its time budget; moving on without waiting [lookup_timeout]',
        '2. step 2, senior manager: skipped: the senior manager cannot be rung: Carol Chen (3) has no main destinations [nobody_eligible]',
        '   left out: Carol Chen (3) has no main destinations [no_destinations]',
        'no step rings anyone: the call is missed',
      ],
    ],
    [
      'round robin, live and simulated',
      plan([attempt({ stepIndex: 0, stepType: 'new_client_distribution', targets: [{ employeeId: 3, destinations: [sip('carol')] }], reason: 'new clients, round robin 1/1: Carol Chen (3)' })], {
        roundRobin: [{ stepIndex: 0, lastEmployeeId: 3 }],
      }),
      { employees: people, simulation: true },
      [
        '1. step 1, new-client distribution: ring Carol Chen (3) for 20 s',
        '   why: new clients, round robin 1/1: Carol Chen (3)',
        '   rings: Carol Chen (3) at SIP account carol',
        'round robin, step 1: this call offers Carol Chen (3) first; the next call starts after Carol Chen (3) (a simulation does not move it)',
        'if nobody answers: the call is missed',
      ],
    ],
    [
      'an id nobody is named for',
      plan([attempt({ stepIndex: 0, stepType: 'employees', targets: [{ employeeId: 9, destinations: [sip('ghost')] }], reason: 'employees, simultaneously: 1' })]),
      { employees: [] },
      [
        '1. step 1, employees: ring employee 9 for 20 s',
        '   why: employees, simultaneously: 1',
        '   rings: employee 9 at SIP account ghost',
        'if nobody answers: the call is missed',
      ],
    ],
  ];
  for (const [name, p, opts, lines] of rows) t.same(describePlan(p, opts), lines, name);
});

t.test('a plan from the engine: sequential steps are one numbered entry per attempt', async (t) => {
  const employee = (id: number, fullName: string, d: Destination[], extra: Partial<Employee> = {}): Employee => ({
    id,
    fullName,
    salesRole: 'sales_rep',
    receivesNewClients: true,
    isSeniorManager: false,
    hubspotOwnerId: null,
    mainDestinations: d,
    ...extra,
  });
  const employees = [employee(1, 'Alice Avery', [sip('alice')]), employee(2, 'Bob Brown', [sip('bob')]), employee(3, 'Carol Chen', [], { salesRole: 'quality_control' })];
  const p = planCall({
    callerNumber: '+380501234567',
    trackingNumber: { number: '+380441234567', scheme: { id: 1, steps: [{ type: 'new_client_distribution', mode: 'round_robin', ringTimeoutS: 10 }] } },
    employees,
    responsible: { status: 'not_found' },
    roundRobin: new Map([[0, { lastEmployeeId: 1 }]]),
    now: new Date('2026-06-15T09:00:00Z'),
  });
  const lines = describePlan(p, { employees });
  t.same(
    lines.filter((l) => /^\d+\. /.test(l)),
    ['1. step 1, new-client distribution: ring Bob Brown (2) for 10 s', '2. step 1, new-client distribution: ring Alice Avery (1) for 10 s'],
    'the rotation starts after the last one offered first',
  );
  t.ok(lines.includes('round robin, step 1: this call offers Bob Brown (2) first; the next call starts after Bob Brown (2)'), 'a live call moves the rotation');
});

t.test('the CRM mirror answer in words', async (t) => {
  // [case, lookup, line]
  const rows: Array<[string, ResponsibleLookup | undefined, string]> = [
    ['not asked', undefined, 'CRM mirror: not asked (no responsible-manager step, or the caller is withheld)'],
    ['a contact owner', { status: 'found', contactOwnerId: '77' }, 'CRM mirror: the caller is a client: contact owner 77'],
    ['both owners', { status: 'found', contactOwnerId: '77', dealOwnerId: '88' }, 'CRM mirror: the caller is a client: contact owner 77 and deal owner 88'],
    ['a deal owner only', { status: 'found', dealOwnerId: '88' }, 'CRM mirror: the caller is a client: deal owner 88'],
    ['not a client', { status: 'not_found' }, 'CRM mirror: the caller has no open contact or deal'],
    ['failed', { status: 'failed', error: 'connection refused' }, 'CRM mirror: the lookup failed (connection refused)'],
    ['too slow', { status: 'timeout' }, 'CRM mirror: no answer within 50 ms (LOOKUP_BUDGET_MS)'],
  ];
  for (const [name, lookup, line] of rows) t.equal(describeLookup(lookup, 50), line, name);
});
