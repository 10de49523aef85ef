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

t.test('the phone rings without waiting for call.started to be queued, and the events keep their order', async (t) => {
  let release!: () => void;
  const queued = new Promise<void>((r) => (release = r));
  const fallback = setTimeout(() => release(), 500); // a call path that waits gets its event queued all the same
  t.teardown(() => clearTimeout(fallback));
  let rungBeforeQueued: boolean | undefined;
  let startedQueued = false;
  const h = sipHarness({
    legs: () => {
      rungBeforeQueued ??= !startedQueued;
      setTimeout(release, 20); // the database answers only after the phone rings
      return { kind: 'answer', talkMs: 10 };
    },
  });
  const memory = h.deps.events!;
  (h.deps as { events?: unknown }).events = {
    emit: async (e: Parameters<typeof memory.emit>[0]) => {
      if (e.type === 'call.started') {
        await queued;
        startedQueued = true;
      }
      return memory.emit(e);
    },
    finished: (r: Parameters<typeof memory.finished>[0]) => memory.finished(r),
  };
  await h.invite();
  t.equal(rungBeforeQueued, true, 'the leg was started while call.started was still being queued');
  t.same(h.events.typesOf(h.callLog.calls[0]!.id), ['call.started', 'call.answered', 'call.ended'], 'in order all the same');
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

t.test('a call is live from call.started, marked answered by whom, and gone once it ends', async (t) => {
  const seen: unknown[] = [];
  let h: ReturnType<typeof sipHarness> | undefined;
  h = sipHarness({
    legs: () => {
      seen.push(structuredClone(h!.events.live));
      return { kind: 'answer', talkMs: 50 };
    },
  });
  const call = h.start();
  // while the answered call talks, it is live and marked answered
  while (!h.events.live.some((c) => c.answered_at !== null)) await new Promise((r) => setTimeout(r, 5));
  const talking = h.events.live[0]!;
  await call.done;
  const record = h.callLog.calls[0]!;
  t.match(seen[0], [{ call_id: record.id, caller: CLIENT, answered_at: null, answered_by_employee_id: null }], 'live while it rings, not yet answered');
  t.match(talking, { call_id: record.id, answered_by_employee_id: record.answeredByEmployeeId }, 'marked with who answered');
  t.ok(record.answeredByEmployeeId !== null, 'someone answered');
  t.same(h.events.live, [], 'gone once the call ended');
});

t.test('a missed call leaves the live list too', async (t) => {
  const h = sipHarness({ legs: () => ({ kind: 'reject', status: 486 }) });
  await h.invite();
  t.equal(h.events.events[0]!.type, 'call.started', 'it was live');
  t.same(h.events.live, [], 'and is gone once missed');
});
