// How `ringpath serve` stops on signals: the order of events, driven by hand.
import t from 'tap';
import { pino } from 'pino';
import { shutdownController } from '../../../src/cli/shutdown.ts';

function harness(opts: { close?: () => Promise<void>; graceMs?: number } = {}) {
  let clock = 0;
  const events: string[] = [];
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  let finishClose: () => void = () => undefined;
  const c = shutdownController({
    logger,
    graceMs: opts.graceMs ?? 10_000,
    now: () => clock,
    close:
      opts.close ??
      (() => {
        events.push('close');
        return new Promise<void>((resolve) => (finishClose = resolve));
      }),
    exit: (code) => void events.push(`exit ${code}`),
  });
  return { c, events, lines, tick: (ms: number) => (clock += ms), finishClose: () => finishClose() };
}

const settle = () => new Promise((r) => setImmediate(r));

t.test('the first signal closes ringpath, then exits 0, logging at info only', async (t) => {
  const h = harness();
  h.c.onSignal('SIGINT');
  t.same(h.events, ['close'], 'closing; not exited before the close ends');
  h.finishClose();
  await settle();
  t.same(h.events, ['close', 'exit 0']);
  t.same(h.lines.map((l) => [l.level, l.msg]), [[30, 'shutting down']]);
});

t.test('the same Ctrl-C arriving twice (terminal and npm) is one signal', async (t) => {
  const h = harness();
  h.c.onSignal('SIGINT');
  h.tick(50);
  h.c.onSignal('SIGINT');
  t.same(h.events, ['close'], 'no second close, no early exit');
  h.finishClose();
  await settle();
  t.same(h.events, ['close', 'exit 0']);
  t.notOk(h.lines.some((l) => l.level >= 50), 'nothing at level error');
});

t.test('a signal well after the first, while closing, exits 1 at once', async (t) => {
  const h = harness();
  h.c.onSignal('SIGTERM');
  h.tick(5_000);
  h.c.onSignal('SIGINT');
  t.same(h.events, ['close', 'exit 1']);
  t.equal(h.lines.at(-1)?.level, 40, 'a warning says why');
});

t.test('a close that fails exits 1 and says so', async (t) => {
  const h = harness({ close: () => Promise.reject(new Error('pool would not end')) });
  h.c.onSignal('SIGINT');
  await settle();
  t.same(h.events, ['exit 1']);
  t.match(h.lines.at(-1), { level: 50, msg: 'the shutdown failed' });
});

t.test('an error nothing handled is logged as fatal and stops ringpath in order, exit 1', async (t) => {
  const h = harness();
  h.c.onFatal(new Error('boom'));
  t.same(h.events, ['close']);
  h.finishClose();
  await settle();
  t.same(h.events, ['close', 'exit 1']);
  t.equal(h.lines[0]?.level, 60);
});
