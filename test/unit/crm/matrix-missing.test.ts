// Missing or bad data becomes warnings and fallbacks, never exceptions.
import t from 'tap';
import { usableRecordingUrl } from '../../../src/crm/matrix.ts';
import type { MirrorFacts } from '../../../src/crm/types.ts';
import { ANAS_CLIENT, NEW_CLIENT, SENIOR, UNMAPPED, call, codes, decide, get, keys, outbound, owners } from './fixtures.ts';

const missed = call({ disposition: 'missed', answeredBy: null, talkMs: 0, recordingUrl: undefined });
const team = { 'o-ana': { name: 'Ana García', archived: false }, [SENIOR]: { name: 'Sara Senior', archived: false } };

t.test('no senior manager: missed new client, everything unassigned, one warning', async (t) => {
  const r = decide({ call: missed, settings: { seniorManagerOwnerId: null } });
  t.same(keys(r), ['contact', 'deal', 'call', 'task:callback']);
  t.same(owners(r), { contact: null, deal: null, call: null, 'task:callback': null });
  t.same(codes(r), ['NO_SENIOR_MANAGER']);
  t.match(get(r, 'task:callback', 'createTask').body, /Missed call from/);
});

t.test('no senior manager is not mentioned when the plan does not need one', async (t) => {
  t.same(codes(decide({ settings: { seniorManagerOwnerId: null } })), []);
  t.same(codes(decide({ mirror: ANAS_CLIENT, call: missed, settings: { seniorManagerOwnerId: null } })), []);
});

t.test('no recording, or one the CRM cannot play', async (t) => {
  const none = decide({ call: call({ recordingUrl: undefined }) });
  t.same(codes(none), ['NO_RECORDING']);
  t.equal(get(none, 'call', 'createCall').recordingUrl, null);
  t.match(get(none, 'call', 'createCall').body, /Recording: no recording/);
  const http = decide({ call: call({ recordingUrl: 'http://calls.example.com/r/1.wav' }) });
  t.same(codes(http), ['RECORDING_URL_INVALID']);
  t.equal(get(http, 'call', 'createCall').recordingUrl, null);
  const cases: Array<[string | undefined, boolean]> = [
    ['https://calls.example.com/r/1.wav?sig=x', true],
    ['https://calls.example.com/r/1.MP3', true],
    ['https://calls.example.com/r/1.ogg', false],
    ['https://calls.example.com/r/1.wav.exe', false],
    ['ftp://calls.example.com/r/1.wav', false],
    ['not a url', false],
    [undefined, false],
  ];
  for (const [url, ok] of cases) t.equal(usableRecordingUrl(url) !== null, ok, `${url}: ${ok ? 'usable' : 'refused'}`);
});

t.test('unattributed: records still created, the label kept, no UTM properties', async (t) => {
  const r = decide({ call: call({ attribution: { confidence: 'none', label: 'unattributed (pool exhausted)' } }) });
  t.same(keys(r), ['contact', 'deal', 'call']);
  t.same(codes(r), ['UNATTRIBUTED']);
  t.same(get(r, 'contact', 'upsertContact').properties, {
    phone: '+34911234567',
    ringpath_source: 'unattributed (pool exhausted)',
    ringpath_attribution_confidence: 'none',
  });
  t.match(get(r, 'call', 'createCall').body, /UTM: not set/);
  const low = decide({ call: call({ attribution: { ...call().attribution, confidence: 'recent' } }) });
  t.match(get(low, 'call', 'createCall').body, /^The source is a best guess \(low confidence\)\./);
});

t.test('a withheld number: nothing can be written', async (t) => {
  const r = decide({ call: call({ callerE164: null }) });
  t.same([r.row, keys(r), codes(r)], ['anonymous', [], ['CLIENT_NUMBER_UNKNOWN']]);
});

t.test('owners the mirror does not know (deleted or archived in the CRM) fall back to the senior manager', async (t) => {
  const r = decide({ mirror: { ...NEW_CLIENT, owners: { [SENIOR]: team[SENIOR] } } });
  t.same(owners(r), { contact: SENIOR, deal: SENIOR, call: null, 'task:check-integration': SENIOR });
  t.same(codes(r), ['OWNER_NOT_IN_MIRROR'], 'a mapping to a missing owner is a settings problem too');
  t.equal(get(r, 'task:check-integration', 'createTask').subject, 'Check the integration settings: Ana García has no CRM user');
  const archived: MirrorFacts = { ...ANAS_CLIENT, owners: { ...team, 'o-ana': { name: 'Ana García', archived: true } } };
  const m = decide({ mirror: archived, call: missed });
  t.equal(get(m, 'task:callback', 'createTask').ownerId, SENIOR);
  t.ok(codes(m).includes('OWNER_NOT_IN_MIRROR') && codes(m).includes('RESPONSIBLE_OWNER_UNKNOWN'));
  t.match(get(m, 'task:callback', 'createTask').body, /Missed call/);
});

t.test('an employee not linked to a CRM user: records to the senior manager, and a settings task naming them', async (t) => {
  const r = decide({ mirror: { ...NEW_CLIENT, owners: team }, call: call({ answeredBy: UNMAPPED }) });
  t.same(keys(r), ['contact', 'deal', 'call', 'task:check-integration']);
  t.same(codes(r), ['EMPLOYEE_NOT_MAPPED']);
  const task = get(r, 'task:check-integration', 'createTask');
  t.equal(task.subject, 'Check the integration settings: Carla Ruiz has no CRM user');
  t.match(task.body, /so the call could not be assigned to them/);
  t.same(owners(r), { contact: SENIOR, deal: SENIOR, call: null, 'task:check-integration': SENIOR }, 'the records go to the senior manager');
  t.equal(task.ownerId, SENIOR);
  t.same(codes(decide({ mirror: ANAS_CLIENT, call: outbound({ placedBy: UNMAPPED }) })), ['EMPLOYEE_NOT_MAPPED']);
});

t.test('existing records without an owner', async (t) => {
  const ownerless: MirrorFacts = { contact: { id: 'c-1', ownerId: null }, openDeals: [{ id: 'd-1', ownerId: null, pipelineId: null, stageId: null }] };
  const m = decide({ mirror: ownerless, call: missed });
  t.same(owners(m), { call: SENIOR, 'task:callback': SENIOR });
  t.same(codes(m), ['RESPONSIBLE_OWNER_UNKNOWN']);
  const a = decide({ mirror: ownerless });
  t.same([a.row, keys(a), codes(a)], ['inbound_answered_responsible', ['call'], ['RESPONSIBLE_OWNER_UNKNOWN']]);
});

t.test('answered, but nobody recorded as answering: an unknown employee', async (t) => {
  const r = decide({ call: call({ answeredBy: null }) });
  t.same(codes(r), ['ANSWERER_MISSING', 'UNKNOWN_EMPLOYEE']);
  t.ok(keys(r).includes('task:check-integration'));
  t.same(codes(decide({ call: outbound({ placedBy: null }), mirror: ANAS_CLIENT })), ['ANSWERER_MISSING', 'UNKNOWN_EMPLOYEE']);
});

t.test('several open deals: the responsible manager\'s deal is the one written to', async (t) => {
  const mirror: MirrorFacts = {
    contact: { id: 'c-1', ownerId: 'o-ana' },
    openDeals: [
      { id: 'd-0', ownerId: 'o-boris', pipelineId: 'p', stageId: 's' },
      { id: 'd-1', ownerId: 'o-ana', pipelineId: 'p', stageId: 's' },
    ],
    responsibleOwnerId: 'o-ana',
  };
  t.same(get(decide({ mirror, call: missed }), 'task:callback', 'createTask').associations, { contact: { id: 'c-1' }, deal: { id: 'd-1' } });
});
