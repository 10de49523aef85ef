// The rows of the SPEC §6 post-call table, one case each, plus the plan's invariants.
import t from 'tap';
import type { CallFacts, MatrixRow, WarningCode, WriteKey } from '../../../src/crm/types.ts';
import {
  ANA,
  ANAS_CLIENT,
  BORIS,
  CLIENT,
  NEW_CLIENT,
  NOW,
  RECORDING,
  SENIOR,
  STRANGER,
  TRACKING,
  UNMAPPED,
  call,
  codes,
  decide,
  get,
  keys,
  outbound,
  owners,
  type Case,
} from './fixtures.ts';

interface Row {
  readonly name: string;
  readonly case: Case;
  readonly row: MatrixRow;
  readonly keys: WriteKey[];
  readonly owners: Record<string, string | null>;
  readonly warnings?: WarningCode[];
}

const rows: Row[] = [
  {
    name: 'inbound answered, new client: contact + deal owned by the answering employee, call on both',
    case: {},
    row: 'inbound_answered_new',
    keys: ['contact', 'deal', 'call'],
    owners: { contact: 'o-ana', deal: 'o-ana', call: 'o-ana' },
    warnings: [],
  },
  {
    name: 'inbound answered by the responsible manager: only the call, on the existing records',
    case: { mirror: ANAS_CLIENT },
    row: 'inbound_answered_responsible',
    keys: ['call'],
    owners: { call: 'o-ana' },
    warnings: [],
  },
  {
    name: 'inbound answered by a colleague: the call, plus a completed task for the responsible manager',
    case: { mirror: ANAS_CLIENT, call: call({ answeredBy: BORIS }) },
    row: 'inbound_answered_colleague',
    keys: ['call', 'task:answered'],
    owners: { call: 'o-boris', 'task:answered': 'o-ana' },
  },
  {
    name: 'inbound missed, new client: contact + deal + call back task, all for the senior manager',
    case: { call: call({ disposition: 'missed', answeredBy: null, talkMs: 0, recordingUrl: undefined }) },
    row: 'inbound_missed_new',
    keys: ['contact', 'deal', 'call', 'task:callback'],
    owners: { contact: SENIOR, deal: SENIOR, call: SENIOR, 'task:callback': SENIOR },
    warnings: [],
  },
  {
    name: 'inbound missed, existing client: call back task for the owner, call marked missed',
    case: { mirror: ANAS_CLIENT, call: call({ disposition: 'missed', answeredBy: null, talkMs: 0, recordingUrl: undefined }) },
    row: 'inbound_missed_existing',
    keys: ['call', 'task:callback'],
    owners: { call: 'o-ana', 'task:callback': 'o-ana' },
  },
  {
    name: 'outbound answered, existing client: the call on the existing records',
    case: { mirror: ANAS_CLIENT, call: outbound() },
    row: 'outbound_existing',
    keys: ['call'],
    owners: { call: 'o-ana' },
  },
  {
    name: 'outbound answered, unknown number, option off: nothing (what 004_* does), with a warning',
    case: { call: outbound() },
    row: 'outbound_unknown_skipped',
    keys: [],
    owners: {},
    warnings: ['OUTBOUND_UNKNOWN_CLIENT'],
  },
  {
    name: 'outbound answered, unknown number, option on: contact + deal owned by the caller',
    case: { call: outbound(), settings: { createForUnknownOutbound: true } },
    row: 'outbound_new',
    keys: ['contact', 'deal', 'call'],
    owners: { contact: 'o-ana', deal: 'o-ana', call: 'o-ana' },
  },
  {
    name: 'answered by an unknown employee, new client: records to the senior manager + "check the integration" task',
    case: { call: call({ answeredBy: STRANGER }) },
    row: 'inbound_answered_new',
    keys: ['contact', 'deal', 'call', 'task:check-integration'],
    owners: { contact: SENIOR, deal: SENIOR, call: null, 'task:check-integration': SENIOR },
    warnings: ['UNKNOWN_EMPLOYEE'],
  },
  {
    name: 'placed by an unknown employee, existing client: the call + "check the integration" task',
    case: { mirror: ANAS_CLIENT, call: outbound({ placedBy: STRANGER }) },
    row: 'outbound_existing',
    keys: ['call', 'task:check-integration'],
    owners: { call: null, 'task:check-integration': SENIOR },
    warnings: ['UNKNOWN_EMPLOYEE'],
  },
  {
    name: 'answered by an unknown employee, existing client: treated as a colleague, plus the settings task',
    case: { mirror: ANAS_CLIENT, call: call({ answeredBy: STRANGER }) },
    row: 'inbound_answered_colleague',
    keys: ['call', 'task:answered', 'task:check-integration'],
    owners: { call: null, 'task:answered': 'o-ana', 'task:check-integration': SENIOR },
    warnings: ['UNKNOWN_EMPLOYEE'],
  },
  {
    name: 'internal call: nothing at all',
    case: { call: call({ direction: 'internal', calleeE164: null }) },
    row: 'internal',
    keys: [],
    owners: {},
    warnings: [],
  },
];

for (const r of rows) {
  t.test(r.name, async (t) => {
    const result = decide(r.case);
    t.equal(result.row, r.row, 'row');
    t.same(keys(result), r.keys, 'writes, in order');
    t.same(owners(result), r.owners, 'owners');
    if (r.warnings) t.same(codes(result), r.warnings, 'warnings');
    for (const w of result.writes) t.equal(w.callId, call().id, `${w.key} carries the ringpath call id`);
  });
}

t.test('an outbound call the dial plan blocked writes nothing, whatever the options and the phase', async (t) => {
  const blocked = (over: Partial<CallFacts> = {}): CallFacts =>
    outbound({ disposition: 'blocked', calleeE164: '+979123456789', answeredAt: undefined, talkMs: 0, ringMs: 0, recordingUrl: undefined, ...over });
  const cases: Array<[string, Case]> = [
    ['to a number the CRM does not know', { call: blocked() }],
    ['creating records for unknown outbound numbers', { call: blocked(), settings: { createForUnknownOutbound: true } }],
    [
      'creating them when the call starts (call_start phase)',
      { call: blocked(), settings: { createForUnknownOutbound: true, createWhen: 'call_start' }, phase: 'call_start' },
    ],
    ['creating them when the call starts (after_call phase)', { call: blocked(), settings: { createForUnknownOutbound: true, createWhen: 'call_start' } }],
    ['to an existing client', { mirror: ANAS_CLIENT, call: blocked({ calleeE164: CLIENT }) }],
    ['a completed task for every answered call', { mirror: ANAS_CLIENT, call: blocked({ calleeE164: CLIENT }), settings: { completedTaskForEveryAnsweredCall: true } }],
    ['placed by an unknown employee: no "check the integration" task', { call: blocked({ placedBy: STRANGER }) }],
    ['placed by an employee without a CRM owner', { call: blocked({ placedBy: UNMAPPED }) }],
    ['placed by nobody recorded', { call: blocked({ placedBy: null }) }],
    ['with no senior manager', { call: blocked(), settings: { seniorManagerOwnerId: null } }],
    ['in UTM-only mode', { mirror: ANAS_CLIENT, call: blocked({ calleeE164: CLIENT }), settings: { utmOnly: true } }],
  ];
  for (const [name, c] of cases) {
    const r = decide(c);
    t.same({ row: r.row, writes: keys(r), warnings: codes(r) }, { row: 'blocked', writes: [], warnings: [] }, name);
  }
});

t.test('new client: UTM and GA client id on contact and deal, pipeline by rule, associations by ref', async (t) => {
  const r = decide();
  const contact = get(r, 'contact', 'upsertContact');
  t.equal(contact.phoneE164, CLIENT);
  t.match(contact.properties, {
    phone: CLIENT,
    ringpath_utm_source: 'google',
    ringpath_utm_campaign: 'spring_sale',
    ringpath_ga_client_id: '1234567890.1714550000',
    ringpath_source: 'google / cpc',
  });
  const deal = get(r, 'deal', 'createDeal');
  t.match(deal, { pipelineId: 'p-default', stageId: 's-new', associateWith: { ref: 'contact' } });
  t.match(deal.properties, {
    dealname: `Call from ${CLIENT} (google / cpc)`,
    ringpath_call_id: call().id,
    ringpath_utm_medium: 'cpc',
    ringpath_ga_client_id: '1234567890.1714550000',
  });
  const c = get(r, 'call', 'createCall');
  t.same(c.associations, { contact: { ref: 'contact' }, deal: { ref: 'deal' } });
  t.match(c, { direction: 'inbound', status: 'COMPLETED', disposition: 'answered', durationMs: 125_000 });
  t.match(c, { fromE164: CLIENT, toE164: TRACKING, recordingUrl: RECORDING, timestamp: call().startedAt });
  t.match(c.body, /Source: google \/ cpc/);
  t.match(c.body, /UTM: utm_source=google, utm_medium=cpc, utm_campaign=spring_sale, utm_term=sofa/);
  t.match(c.body, /1\. responsible_manager: skipped \(not found in the CRM\)\n2\. new_client_distribution: answered, 12 s/);
});

t.test('existing records are referenced by id', async (t) => {
  const c = get(decide({ mirror: ANAS_CLIENT }), 'call', 'createCall');
  t.same(c.associations, { contact: { id: 'c-1' }, deal: { id: 'd-1' } });
});

t.test('colleague: the call notes who answered; the completed task carries the recording', async (t) => {
  const names = { 'o-ana': 'Ana García', 'o-boris': 'Borys Koval', [SENIOR]: 'Sara' };
  const team = Object.fromEntries(Object.entries(names).map(([id, name]) => [id, { name, archived: false }]));
  const r = decide({ mirror: { ...ANAS_CLIENT, owners: team }, call: call({ answeredBy: BORIS }) });
  t.match(get(r, 'call', 'createCall').body, /^Answered by Borys Koval, not by the responsible manager Ana García\./);
  const task = get(r, 'task:answered', 'createTask');
  t.match(task, { status: 'COMPLETED', dueAt: call().endedAt, subject: `Borys Koval answered your client ${CLIENT}` });
  t.same(task.associations, { contact: { id: 'c-1' }, deal: { id: 'd-1' } });
  t.match(task.body, RECORDING);
  t.match(task.body, /^Your client/);
  const nameless = decide({ mirror: ANAS_CLIENT, call: call({ answeredBy: BORIS }) });
  t.match(get(nameless, 'call', 'createCall').body, /not by the responsible manager o-ana\./, 'no owner names: the owner id');
});

t.test('missed: the call back task is open, due after the configured minutes, on the deal', async (t) => {
  const missed = call({ disposition: 'missed', answeredBy: null, talkMs: 0, recordingUrl: undefined });
  const r = decide({ mirror: ANAS_CLIENT, call: missed, settings: { missedTaskDueMinutes: 30 } });
  const task = get(r, 'task:callback', 'createTask');
  t.match(task, { status: 'NOT_STARTED', subject: `Call back ${CLIENT}`, associations: { deal: { id: 'd-1' } } });
  t.equal(task.dueAt.toISOString(), new Date(NOW.getTime() + 30 * 60_000).toISOString());
  const c = get(r, 'call', 'createCall');
  t.match(c, { status: 'NO_ANSWER', disposition: 'missed', recordingUrl: null });
  t.match(c.body, /^Missed call \(missed\)\./);
  t.notOk(codes(r).includes('NO_RECORDING'), 'a missed call is expected to have no recording');
});

t.test('every unanswered inbound disposition is a missed call; statuses map per disposition', async (t) => {
  const cases = [
    ['missed', 'NO_ANSWER'],
    ['busy', 'BUSY'],
    ['failed', 'FAILED'],
    ['abandoned', 'NO_ANSWER'],
  ] as const;
  for (const [disposition, status] of cases) {
    const r = decide({ mirror: ANAS_CLIENT, call: call({ disposition, answeredBy: null, talkMs: 0 }) });
    t.equal(r.row, 'inbound_missed_existing', `${disposition}: missed row`);
    t.equal(get(r, 'call', 'createCall').status, status, `${disposition}: ${status}`);
  }
  const cancelled = decide({ mirror: ANAS_CLIENT, call: outbound({ disposition: 'abandoned', talkMs: 0 }) });
  t.same(keys(cancelled), ['call'], 'an unanswered outbound call to a known client is logged');
  t.equal(get(cancelled, 'call', 'createCall').status, 'CANCELED');
});

t.test('outbound: direction, numbers and owner of the engagement', async (t) => {
  const c = get(decide({ mirror: ANAS_CLIENT, call: outbound({ placedBy: BORIS }) }), 'call', 'createCall');
  t.match(c, { direction: 'outbound', fromE164: TRACKING, toE164: CLIENT, ownerId: 'o-boris', title: `Outbound call to ${CLIENT}` });
});

t.test('unknown employee: the settings task names the destination and the call', async (t) => {
  const r = decide({ call: call({ answeredBy: STRANGER }) });
  const task = get(r, 'task:check-integration', 'createTask');
  t.equal(task.subject, 'Check the integration settings: a call with an unknown employee');
  t.match(task.body, STRANGER.kind === 'unknown' ? STRANGER.destination : '');
  t.match(task.body, call().id);
  t.match(task.body, CLIENT);
  t.match(get(r, 'call', 'createCall').body, /which is not linked to any employee/);
});

t.test('pure: deterministic, and the input is not touched', async (t) => {
  const c: Case = { mirror: ANAS_CLIENT, call: call({ answeredBy: BORIS }), settings: { completedTaskForEveryAnsweredCall: true } };
  const frozen = structuredClone(c);
  t.same(decide(c), decide(c));
  t.same(c, frozen);
  t.same(ANA, { kind: 'employee', employeeId: 1, ownerId: 'o-ana', name: 'Ana García' });
});

t.test('every plan: unique keys, refs only to earlier writes', async (t) => {
  for (const r of rows) {
    const result = decide(r.case);
    const seen = new Set<string>();
    for (const w of result.writes) {
      t.notOk(seen.has(w.key), `${r.name}: ${w.key} once`);
      seen.add(w.key);
      const refs = JSON.stringify(w).match(/"ref":"(contact|deal)"/g) ?? [];
      for (const ref of refs) t.ok(seen.has(ref.includes('deal') ? 'deal' : 'contact'), `${r.name}: ${w.key} refers back`);
    }
  }
  t.same(decide({ mirror: NEW_CLIENT, call: call({ direction: 'internal' }) }).warnings, []);
});
