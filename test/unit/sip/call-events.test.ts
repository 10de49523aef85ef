// The webhook events the call path emits through its CallEvents port (in memory
// here): call.started, call.answered, call.ended and call.missed, in order.
import t from 'tap';
import { CLIENT, sipHarness } from '../../support/sip-harness.ts';

t.test('an answered call emits started, answered and ended, in that order, under its record id', async (t) => {
  const h = sipHarness({ mirror: { [CLIENT]: { status: 'found', contactOwnerId: 'owner-ana' } } });
  await h.invite();
  const call = h.callLog.calls[0]!;
  t.same(h.events.typesOf(call.id), ['call.started', 'call.answered', 'call.ended']);
  const ended = h.events.events.find((e) => e.type === 'call.ended')!;
  t.match(ended.data, { call_id: call.id, disposition: 'answered', caller: CLIENT, attribution: { confidence: 'static' } });
  const answered = h.events.events.find((e) => e.type === 'call.answered')!;
  t.equal(answered.data.answered_by_employee_id, call.answeredByEmployeeId, 'call.answered names who answered');
});

t.test('a call nobody answers emits started, ended and missed; never answered', async (t) => {
  const h = sipHarness({ legs: () => ({ kind: 'reject', status: 486 }) });
  await h.invite();
  const call = h.callLog.calls[0]!;
  t.same(h.events.typesOf(call.id), ['call.started', 'call.ended', 'call.missed']);
  t.match(h.events.events.at(-1)!.data, { disposition: 'busy' });
});

t.test('a refused INVITE emits nothing', async (t) => {
  const h = sipHarness();
  await h.invite({ uri: 'sip:+380449999999@ringpath.example' });
  t.same(h.events.events, []);
});

t.test('a failing event port never breaks the call', async (t) => {
  const h = sipHarness();
  (h.deps as { events?: unknown }).events = {
    emit: async () => {
      throw new Error('database down');
    },
    finished: async () => {
      throw new Error('database down');
    },
  };
  const { res } = await h.invite();
  t.equal(res.final?.status, 200, 'the call is answered');
  t.equal(h.callLog.calls.length, 1, 'and stored');
  t.ok(h.logs.some((l) => l.msg === "could not queue the call's webhook event"), 'the failure is logged');
});
