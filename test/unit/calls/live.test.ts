// Which change each call event makes to the calls in progress, and the list's fold.
import t from 'tap';
import { applyLiveChange, isStale, liveCallChange, LIVE_CALL_MAX_AGE_H, type LiveCall } from '../../../src/calls/live.ts';
import type { CallEvent, CallEventType } from '../../../src/outbound/events.ts';

const ID = '00000000-0000-4000-8000-000000000001';
const NOW = new Date('2026-11-30T12:00:00Z');
const event = (type: CallEventType, data: Partial<CallEvent['data']> = {}): CallEvent => ({
  type,
  timestamp: '2026-11-30T11:59:30.000Z',
  data: { call_id: ID, direction: 'inbound', caller: '+380501234567', tracking_number: '+380441234567', started_at: '2026-11-30T11:59:00.000Z', ...data },
});
const live = (over: Partial<LiveCall> = {}): LiveCall => ({
  call_id: ID,
  direction: 'inbound',
  caller: '+380501234567',
  tracking_number: '+380441234567',
  source: 'Google Ads',
  started_at: '2026-11-30T11:59:00.000Z',
  answered_at: null,
  answered_by_employee_id: null,
  ...over,
});

t.test('each event type makes its change', async (t) => {
  const attribution = { label: 'Google Ads' } as CallEvent['data']['attribution'];
  const cases: Array<[string, CallEvent, unknown]> = [
    ['started adds the call with its source', event('call.started', { attribution }), { kind: 'start', call: live() }],
    ['started without attribution has no source', event('call.started'), { kind: 'start', call: live({ source: null }) }],
    [
      'answered names the time and who',
      event('call.answered', { answered_at: '2026-11-30T11:59:10.000Z', answered_by_employee_id: 7 }),
      { kind: 'answer', callId: ID, answeredAt: '2026-11-30T11:59:10.000Z', employeeId: 7 },
    ],
    ['answered by a number outside ringpath has no employee', event('call.answered', { answered_at: '2026-11-30T11:59:10.000Z' }), { kind: 'answer', callId: ID, answeredAt: '2026-11-30T11:59:10.000Z', employeeId: null }],
    ['ended removes it', event('call.ended', { disposition: 'answered' }), { kind: 'end', callId: ID }],
    ['missed changes nothing (ended already removed it)', event('call.missed'), undefined],
    ['crm_synced changes nothing', event('call.crm_synced'), undefined],
  ];
  for (const [name, e, want] of cases) t.same(liveCallChange(e), want, name);
});

t.test('the fold adds, marks and removes calls, newest first', async (t) => {
  const older = live({ call_id: 'older', started_at: '2026-11-30T11:50:00.000Z' });
  let list = applyLiveChange([], { kind: 'start', call: older }, NOW);
  list = applyLiveChange(list, { kind: 'start', call: live() }, NOW);
  t.same(list.map((c) => c.call_id), [ID, 'older'], 'newest first');
  list = applyLiveChange(list, { kind: 'start', call: live() }, NOW);
  t.equal(list.length, 2, 'a repeated start does not duplicate the call');
  list = applyLiveChange(list, { kind: 'answer', callId: 'older', answeredAt: '2026-11-30T11:51:00.000Z', employeeId: 3 }, NOW);
  t.match(list[1], { call_id: 'older', answered_at: '2026-11-30T11:51:00.000Z', answered_by_employee_id: 3 });
  t.match(list[0], { answered_at: null }, 'the other call is untouched');
  t.same(applyLiveChange(list, { kind: 'answer', callId: 'unknown', answeredAt: 'x', employeeId: 1 }, NOW), list, 'an answer for an unknown call changes nothing');
  list = applyLiveChange(list, { kind: 'end', callId: ID }, NOW);
  t.same(list.map((c) => c.call_id), ['older']);
});

t.test(`a call older than ${LIVE_CALL_MAX_AGE_H} h lost its end and is swept away`, async (t) => {
  const bound = NOW.getTime() - LIVE_CALL_MAX_AGE_H * 3_600_000;
  t.notOk(isStale({ started_at: new Date(bound).toISOString() }, NOW), 'exactly at the bound it stays');
  t.ok(isStale({ started_at: new Date(bound - 1000).toISOString() }, NOW), 'past the bound it goes');
  const stale = live({ call_id: 'stale', started_at: new Date(bound - 1000).toISOString() });
  t.same(applyLiveChange([stale, live()], undefined, NOW).map((c) => c.call_id), [ID]);
});
