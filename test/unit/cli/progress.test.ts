// What a full CRM sync shows on stdout: a progress bar on a terminal, lines otherwise.
import { Writable } from 'node:stream';
import t from 'tap';
import { progressLine, progressReporter } from '../../../src/cli/progress.ts';
import { mirrorStatusLines } from '../../../src/cli/format.ts';

function sink(tty: boolean) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        text += chunk.toString();
        done();
      },
    }),
    tty ? { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true } : {},
  );
  return { io: { stdout: stream, stderr: stream, exitCode: 0 }, text: () => text };
}

t.test('a progress line names the phase, the count, the total and the share', async (t) => {
  t.equal(progressLine({ phase: 'contacts', processed: 100, total: 330 }), 'contacts: 100/330 (30%)');
  t.equal(progressLine({ phase: 'deals', processed: 5, total: null }), 'deals: 5/?');
  t.equal(progressLine({ phase: 'deals', processed: 400, total: 330 }), 'deals: 400/330 (100%)', 'never above 100%');
});

t.test('without a terminal: one line per page', async (t) => {
  const s = sink(false);
  const p = await progressReporter(s.io);
  p.update({ phase: 'contacts', processed: 100, total: 200 });
  p.update({ phase: 'deals', processed: 200, total: 200 });
  p.stop();
  t.equal(s.text(), 'contacts: 100/200 (50%)\ndeals: 200/200 (100%)\n');
});

t.test('on a terminal: a bar redrawn in place, ending at 100%', async (t) => {
  const s = sink(true);
  const p = await progressReporter(s.io);
  p.update({ phase: 'contacts', processed: 50, total: 200 });
  p.update({ phase: 'deals', processed: 200, total: 200 });
  p.stop();
  const text = s.text();
  t.match(text, /full sync \[[█░]+\] 100% \| 200\/200 records \| deals/, 'the bar, full, with the phase');
  t.notMatch(text, /^contacts: /m, 'no progress lines');
});

t.test('crm status reads as lines for a person', async (t) => {
  const idle = { high_water: null, status: 'idle', error: null, updated_at: null };
  const lines = mirrorStatusLines({
    filled: true,
    full_sync: { status: 'done', active: false, processed: 330, total: 330, phase: null, started_at: null, finished_at: '2026-06-15T09:00:00.000Z', updated_at: null, error: null },
    incremental_sync: { active: false, contacts: { ...idle, status: 'done', updated_at: '2026-06-15T09:05:00.000Z' }, deals: { ...idle, status: 'failed', error: 'HubSpot answered 503' } },
    webhooks: { pending: 2 },
    property_problems: [
      { object_type: 'calls', property: 'call_quality', reason: 'HubSpot has no such property', first_seen_at: '2026-06-15T09:00:00.000Z', last_seen_at: '2026-06-15T09:05:00.000Z' },
    ],
    counts: { contacts: 230, deals: 100, open_deals: 60, owners: 1, pipelines: 1, stages: 7, phones: 300, unreadable_phones: 3 },
  });
  t.same(lines, [
    'mirror:           filled: routing reads it',
    'full sync:        done 2026-06-15T09:00:00.000Z',
    'incremental sync: contacts done (2026-06-15T09:05:00.000Z), deals failed: HubSpot answered 503',
    'webhooks pending: 2',
    'stored:           230 contacts, 100 deals (60 open), 1 owner, 1 pipeline, 7 stages, 300 phone numbers (3 unreadable)',
    'not written:      calls.call_quality: HubSpot has no such property',
  ]);
});
