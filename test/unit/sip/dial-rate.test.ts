// The per-account rate of new outbound calls, on the in-memory adapter.
import t from 'tap';
import { outboundCallRateMemory } from '../../../src/sip/dial-rate.ts';

t.test('memory: the first calls of the minute go out, the next is refused with a retry within the minute', async (t) => {
  const rate = outboundCallRateMemory();
  for (let i = 1; i <= 3; i++) t.same(await rate.allow('olena', 3), { allowed: true, retryAfterS: 0 }, `call ${i} of 3 allowed`);
  const fourth = await rate.allow('olena', 3);
  t.equal(fourth.allowed, false, 'call 4 refused');
  t.ok(fourth.retryAfterS >= 1 && fourth.retryAfterS <= 60, `retry after ${fourth.retryAfterS} s, within the minute`);
  t.equal((await rate.allow('olena', 3)).allowed, false, 'refused calls do not open a new window');
});

t.test('memory: each account has its own count', async (t) => {
  const rate = outboundCallRateMemory();
  t.equal((await rate.allow('olena', 1)).allowed, true);
  t.equal((await rate.allow('olena', 1)).allowed, false, 'olena is over her limit');
  t.equal((await rate.allow('taras', 1)).allowed, true, 'taras is not');
  t.equal((await rate.allow('101', 1)).allowed, true, 'keys are plain strings (employee ids work too)');
});

t.test('memory: the limit is read on every call, so a changed setting applies at once', async (t) => {
  const rate = outboundCallRateMemory();
  t.equal((await rate.allow('olena', 1)).allowed, true);
  t.equal((await rate.allow('olena', 1)).allowed, false, 'second call over a limit of 1');
  t.equal((await rate.allow('olena', 5)).allowed, true, 'third call within a raised limit of 5 (three counted so far)');
  t.equal((await rate.allow('olena', 2)).allowed, false, 'fourth call over a lowered limit of 2');
});

t.test('memory: two adapters do not share counts (one process each)', async (t) => {
  const a = outboundCallRateMemory();
  const b = outboundCallRateMemory();
  t.equal((await a.allow('olena', 1)).allowed, true);
  t.equal((await b.allow('olena', 1)).allowed, true, 'a separate memory store');
});
