// The responsible-manager lookup within its budget: whatever the lookup does, routing
// gets a value (found, not found, failed, timeout) and never waits past the budget.
// No timing assertions: a lookup that never settles must still give `timeout`.
import t from 'tap';
import { lookupWithinBudget } from '../../../src/routing/lookup-budget.ts';
import type { ResponsibleLookup } from '../../../src/routing/types.ts';

t.test('results within the budget pass through', async (t) => {
  const rows: ResponsibleLookup[] = [
    { status: 'found', contactOwnerId: 'o1', dealOwnerId: 'o2' },
    { status: 'found', dealOwnerId: 'o2' },
    { status: 'not_found' },
  ];
  for (const r of rows) t.same(await lookupWithinBudget(async () => r, 1000), r, r.status);
});

t.test('a lookup that rejects or throws is `failed`', async (t) => {
  t.same(await lookupWithinBudget(async () => Promise.reject(new Error('connection refused')), 1000), { status: 'failed', error: 'connection refused' });
  t.same(
    await lookupWithinBudget(() => {
      throw new Error('pool closed');
    }, 1000),
    { status: 'failed', error: 'pool closed' },
    'a synchronous throw too',
  );
  t.same(await lookupWithinBudget(async () => Promise.reject('plain string'), 1000), { status: 'failed', error: 'plain string' });
});

t.test('a lookup that never answers is `timeout`, and is told to stop', async (t) => {
  let signal: AbortSignal | undefined;
  const r = await lookupWithinBudget((s) => {
    signal = s;
    return new Promise<ResponsibleLookup>(() => undefined);
  }, 5);
  t.same(r, { status: 'timeout' });
  t.equal(signal?.aborted, true, 'the lookup signal is aborted');
});

t.test('a late answer after the budget is ignored', async (t) => {
  let answer: ((r: ResponsibleLookup) => void) | undefined;
  const r = await lookupWithinBudget(() => new Promise<ResponsibleLookup>((resolve) => (answer = resolve)), 5);
  answer?.({ status: 'found', contactOwnerId: 'o1' });
  t.same(r, { status: 'timeout' });
});
