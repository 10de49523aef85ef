import t from 'tap';
import { buildCallRecord, noAttribution, type CallFacts } from '../../../src/calls/record.ts';
import { Recogniser } from '../../../src/calls/recognise.ts';
import { finishedEvents } from '../../../src/outbound/events.ts';

const facts = (over: Partial<CallFacts>): CallFacts => ({
  id: '6f1c2a8e-0000-4000-8000-000000000002',
  sipCallId: 'x@carrier',
  direction: 'inbound',
  caller: { kind: 'number', e164: '+380501234567' },
  callerRaw: null,
  callee: { kind: 'number', e164: '+380441234567' },
  trackingNumber: { id: 1, number: '+380441234567' },
  attribution: noAttribution(),
  trace: [],
  callerHungUp: false,
  startedAt: new Date('2026-06-20T09:00:00Z'),
  endedAt: new Date('2026-06-20T09:01:30Z'),
  recordingPath: null,
  ...over,
});
const record = (over: Partial<CallFacts>) => buildCallRecord(facts(over), new Recogniser([]));

t.test('a finished call: call.ended, plus call.missed when an inbound call was not answered', async (t) => {
  // [case, facts, types]
  const rows: Array<[string, Partial<CallFacts>, string[]]> = [
    ['answered', { answered: { destination: { type: 'phone', number: '+380671110001' }, at: new Date('2026-06-20T09:00:10Z') } }, ['call.ended']],
    ['nobody answered', {}, ['call.ended', 'call.missed']],
    ['the caller hung up', { callerHungUp: true }, ['call.ended', 'call.missed']],
    ['an unanswered outbound call', { direction: 'outbound' }, ['call.ended']],
    ['a blocked outbound call', { direction: 'outbound', blocked: true }, ['call.ended']],
  ];
  for (const [name, over, types] of rows) t.same(finishedEvents(record(over), null).map((e) => e.type), types, name);
});

t.test('call.ended carries the disposition, attribution and recording link', async (t) => {
  const [ended] = finishedEvents(record({ answered: { destination: { type: 'phone', number: '+380671110001' }, at: new Date('2026-06-20T09:00:10Z') } }), 'https://rp.example/recordings/a.wav?sig=1');
  t.match(ended!.data, {
    call_id: '6f1c2a8e-0000-4000-8000-000000000002',
    disposition: 'answered',
    talk_duration_s: 80,
    ring_duration_s: 10,
    recording_url: 'https://rp.example/recordings/a.wav?sig=1',
    attribution: { confidence: 'none', label: 'unattributed' },
  });
});
