// The live view in Chromium: a missed call appears while the page is open, with
// the count, and is snoozed.
import t from 'tap';
import { consoleWorld, logIn, shot } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD, storeCall } from '../../support/console.ts';

t.test('a live missed-call notification arrives with its count and is snoozed for 15 minutes', async (t) => {
  const w = await consoleWorld(t);
  const db = w.db.pool;
  const rep = await consoleUser(db, { email: 'rep@shop.example', accessLevel: 'employee', salesRole: 'sales_rep' });
  const first = await storeCall(db, { caller: '+380501110001', disposition: 'missed', responsibleEmployeeId: rep, startedAt: new Date(Date.now() - 60_000) });
  await logIn(w, 'rep@shop.example', PASSWORD);
  const page = w.page;
  const bell = page.getByRole('button', { name: /^Missed calls waiting/ });
  await page.locator('[data-missed-count="1"]').waitFor();
  t.equal(await bell.getAttribute('aria-label'), 'Missed calls waiting: 1');

  // a second missed call while the page is open
  const second = await storeCall(db, { caller: '+380501110002', disposition: 'missed', responsibleEmployeeId: rep, startedAt: new Date() });
  await page.locator('[data-missed-count="2"]').waitFor();
  t.pass('the count goes to 2 without a reload');
  await bell.click();
  await page.locator(`[data-notification="${second}"]`).waitFor();
  await shot(page, 'console-live-notifications');

  await page.locator(`[data-notification="${first}"]`).getByRole('button', { name: 'Remind me in 15 min' }).click();
  await page.locator('[data-missed-count="1"]').waitFor();
  const { rows } = await db.query<{ s: number }>(
    `SELECT extract(epoch FROM hidden_until - now())::int AS s FROM console_notification_state WHERE call_id = $1 AND employee_id = $2`,
    [first, rep],
  );
  t.ok(rows[0]!.s > 14 * 60 && rows[0]!.s <= 15 * 60, `snoozed for 15 minutes (${rows[0]!.s} s left)`);
  t.equal(await page.locator(`[data-notification="${first}"]`).count(), 0, 'gone from the list');
  await shot(page, 'console-live-snoozed');

  // the snooze runs out: it comes back as a reminder
  await db.query(`UPDATE console_notification_state SET hidden_until = now() WHERE call_id = $1`, [first]);
  await page.locator('[data-missed-count="2"]').waitFor();
  await page.locator(`[data-notification="${first}"]`).getByText('reminder').waitFor();
  t.pass('back after the snooze, marked as a reminder');
});
