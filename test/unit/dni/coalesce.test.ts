// Coalescing requests into batches while others are in flight.
import t from 'tap';
import { Coalescer } from '../../../src/dni/coalesce.ts';

/** A send whose batches finish only when the test lets them. */
function gated() {
  const batches: number[][] = [];
  const waiting: Array<() => void> = [];
  const send = (inputs: number[]) =>
    new Promise<string[]>((resolve) => {
      batches.push(inputs);
      waiting.push(() => resolve(inputs.map((i) => `#${i}`)));
    });
  const releaseAll = () => waiting.splice(0).forEach((r) => r());
  return { batches, send, releaseAll };
}

const turn = () => new Promise((r) => setImmediate(r));

t.test('a lone request leaves at once, alone', async (t) => {
  const g = gated();
  const c = new Coalescer(g.send, { maxBatch: 10, lanes: 1 });
  const p = c.submit(1);
  await turn();
  t.same(g.batches, [[1]], 'sent as a batch of one');
  g.releaseAll();
  t.equal(await p, '#1');
});

t.test('requests arriving while the lanes are busy leave together, in order, each with its own answer', async (t) => {
  const g = gated();
  const c = new Coalescer(g.send, { maxBatch: 3, lanes: 2 });
  const first = [c.submit(1), c.submit(2)];
  await turn();
  t.same(g.batches, [[1, 2]], 'submitted in the same turn: one batch');
  const second = c.submit(3);
  await turn();
  t.same(g.batches, [[1, 2], [3]], 'a second lane is free: leaves at once');
  const rest = [4, 5, 6, 7, 8].map((i) => c.submit(i));
  await turn();
  t.equal(g.batches.length, 2, 'both lanes busy: the rest wait');
  g.releaseAll();
  t.same(await Promise.all(first), ['#1', '#2']);
  t.equal(await second, '#3');
  await turn();
  await turn();
  t.same(g.batches.slice(2), [[4, 5, 6], [7, 8]], 'then leave in batches of at most 3, two lanes at a time');
  g.releaseAll();
  t.same(await Promise.all(rest), ['#4', '#5', '#6', '#7', '#8']);
});

t.test('a failed batch fails each of its requests, and the next batch still goes', async (t) => {
  let calls = 0;
  const c = new Coalescer<number, number>(
    async (inputs) => {
      calls++;
      if (calls === 1) throw new Error('connection lost');
      return inputs.map((i) => i * 10);
    },
    { maxBatch: 10, lanes: 1 },
  );
  const failed = [c.submit(1), c.submit(2)].map((p) => p.then(() => 'ok', (e: Error) => e.message));
  t.same(await Promise.all(failed), ['connection lost', 'connection lost']);
  t.equal(await c.submit(3), 30);
});

t.test('a batch answered with the wrong number of outputs fails rather than mismatching', async (t) => {
  const c = new Coalescer<number, number>(async () => [1], { maxBatch: 10, lanes: 1 });
  const both = [c.submit(1), c.submit(2)].map((p) => p.then(() => 'ok', (e: Error) => e.message));
  t.match(await Promise.all(both), [/a batch of 2 got 1 answers/, /a batch of 2 got 1 answers/]);
});
