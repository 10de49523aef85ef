// Calls in progress in Chromium: a call started through the PostgreSQL
// CallEvents adapter (as the call path does) appears at the top of the home
// page, is marked when answered, and disappears when it ends.
import t from 'tap';
import { startedEvent, answeredEvent, type CallStart } from '../../../src/outbound/events.ts';
import { postgresCallEvents } from '../../../src/sip/adapters/postgres.ts';
import { finishedCall } from '../../support/export-calls.ts';
import { consoleWorld, logIn, shot } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD } from '../../support/console.ts';

t.test('a call in progress appears on the home page, is marked answered, and disappears when it ends', async (t) => {
  const w = await consoleWorld(t);
  const db = w.db.pool;
  const admin = await consoleUser(db, { email: 'admin@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'admin@shop.example', PASSWORD);
  const page = w.page;
  const panel = page.getByRole('region', { name: 'Calls in progress' });
  await page.locator('[data-live-count="0"]').waitFor();
  await panel.getByText('No calls in progress.').waitFor();
  t.pass('no calls in progress at first');

  const events = postgresCallEvents(db, () => undefined);
  const record = finishedCall({ caller: '+380501110001', startedAt: new Date(), talkS: 20, attribution: { confidence: 'static', label: 'Billboard' } });
  const start: CallStart = {
    callId: record.id,
    direction: 'inbound',
    caller: '+380501110001',
    trackingNumber: '+380441234567',
    startedAt: record.startedAt,
    attribution: { confidence: 'static', label: 'Billboard' },
  };
  await events.emit(startedEvent(start, new Date()));
  const row = page.locator(`[data-live-call="${record.id}"]`);
  await row.waitFor();
  t.equal(await row.getAttribute('data-answered'), 'false');
  t.match(await row.textContent(), /\+380501110001[\s\S]*Billboard[\s\S]*ringing/, 'the caller, the source, ringing');
  await shot(page, 'console-live-calls-ringing');

  await events.emit(answeredEvent(start, new Date(), admin));
  await page.locator(`[data-live-call="${record.id}"][data-answered="true"]`).waitFor();
  t.match(await row.textContent(), /talking since/, 'marked answered without a reload');
  await shot(page, 'console-live-calls');

  await events.finished(record);
  await page.locator('[data-live-count="0"]').waitFor();
  t.equal(await row.count(), 0, 'gone once the call ended');
});
