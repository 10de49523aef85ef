// The call log in Chromium: a seeded call with its recording playing and seeking,
// filters narrowing the list, and what each role may see and do.
import path from 'node:path';
import t from 'tap';
import { consoleWorld, logIn, pageFetch, shot, writeWav } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD, storeCall } from '../../support/console.ts';

t.test('a seeded call in the call log: the recording plays and seeks, filters narrow the list, CSV export', async (t) => {
  const w = await consoleWorld(t);
  await writeWav(path.join(w.recordingsDir, 'call-1.wav'), 4);
  const db = w.db.pool;
  const recorded = await storeCall(db, { caller: '+380501110001', source: 'google / cpc', recordingPath: 'call-1.wav', startedAt: new Date('2026-06-02T09:00:00Z') });
  await storeCall(db, { caller: '+380501110002', source: 'Billboard', disposition: 'missed', startedAt: new Date('2026-06-03T09:00:00Z') });
  await storeCall(db, { caller: '+380501110003', source: 'facebook / paid', startedAt: new Date('2026-05-20T09:00:00Z') });
  await consoleUser(db, { email: 'qc@shop.example', accessLevel: 'analyst', salesRole: 'quality_control' });
  await logIn(w, 'qc@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'Call log', exact: true }).click();
  const rows = page.locator('[data-call]');
  await page.locator('[data-total="3"]').waitFor();
  t.equal(await rows.count(), 3, 'every call');
  await shot(page, 'console-calls');

  // filters: missed only, then a source, then a date range
  await page.getByRole('textbox', { name: 'Result' }).click();
  await page.getByRole('option', { name: 'Missed' }).click();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator('[data-total="1"]').waitFor();
  t.equal(await rows.first().getAttribute('data-call'), (await db.query(`SELECT id FROM calls WHERE caller = '+380501110002'`)).rows[0].id, 'the missed call');
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.locator('[data-total="3"]').waitFor();
  await page.getByLabel('Source').fill('GOOGLE');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator('[data-total="1"]').waitFor();
  t.equal(await rows.first().getAttribute('data-call'), recorded, 'the source matches in any case');
  await page.getByLabel('Source').fill('');
  await page.getByLabel('From date').fill('2026-06-01');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator('[data-total="2"]').waitFor();
  t.pass('the date range leaves the two June calls');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const { readFile } = await import('node:fs/promises');
  const csv = (await readFile(file, 'utf8')).trim().split('\r\n');
  t.equal(csv.length, 3, 'a header and the two calls shown');
  t.match(csv[0], /^id,started_at,direction,disposition,caller/);

  // the recording: open the call, play, seek
  await page.locator(`[data-call="${recorded}"]`).getByRole('button').click();
  const audio = page.locator('audio[data-recording]');
  await audio.waitFor();
  const src = (await audio.getAttribute('src'))!;
  t.match(src, new RegExp(`^${w.url}/recordings/call-1\\.wav\\?`), 'a signed link to the recording');
  // in the page: play, wait for the clock to move, then seek to 3 s (the server answers Range requests)
  const played = (await page.evaluate(`new Promise((resolve, reject) => {
    const el = document.querySelector('audio[data-recording]');
    el.addEventListener('error', () => reject(new Error('media error ' + (el.error && el.error.code))));
    el.play().then(() => el.addEventListener('timeupdate', () => {
      const time = el.currentTime;
      el.addEventListener('seeked', () => resolve({ duration: el.duration, time, seeked: el.currentTime }), { once: true });
      el.currentTime = 3;
    }, { once: true }), reject);
  })`)) as { duration: number; time: number; seeked: number };
  t.ok(played.duration > 3.9 && played.duration < 4.1, `the whole recording is there (${played.duration} s)`);
  t.ok(played.time >= 0, 'it plays');
  t.ok(played.seeked >= 2.9, `it seeks (${played.seeked} s)`);
  await shot(page, 'console-call-detail');
});

t.test('a sales rep sees only their own clients\' calls; an analyst is blocked from settings', async (t) => {
  const w = await consoleWorld(t);
  const db = w.db.pool;
  const rep = await consoleUser(db, { email: 'rep@shop.example', accessLevel: 'employee', salesRole: 'sales_rep' });
  const other = await consoleUser(db, { email: 'other@shop.example', accessLevel: 'employee', salesRole: 'sales_rep' });
  await consoleUser(db, { email: 'analyst@shop.example', accessLevel: 'analyst', salesRole: 'head' });
  const mine = await storeCall(db, { caller: '+380501110001', responsibleEmployeeId: rep });
  await storeCall(db, { caller: '+380501110002', responsibleEmployeeId: other });
  await storeCall(db, { caller: '+380501110003' });

  await logIn(w, 'rep@shop.example', PASSWORD);
  const page = w.page;
  await page.locator('[data-total="1"]').waitFor();
  t.same(await page.evaluate(`[...document.querySelectorAll('[data-call]')].map((e) => e.getAttribute('data-call'))`), [mine], 'only the call with their client');
  t.equal(await page.getByRole('link', { name: 'Employees', exact: true }).count(), 0, 'no settings in their menu');
  await shot(page, 'console-sales-rep-calls');
  await page.goto(`${w.url}/employees`);
  await page.getByText('Your role may not open this page.').waitFor();
  t.equal((await pageFetch(page, 'GET', '/api/v1/employees')).status, 403, 'the server refuses it too');
  await page.getByRole('button', { name: 'Log out' }).click();

  await logIn(w, 'analyst@shop.example', PASSWORD);
  await page.getByRole('link', { name: 'Employees', exact: true }).click();
  await page.locator('[data-employee]').first().waitFor();
  t.equal(await page.getByRole('button', { name: 'New employee' }).count(), 0, 'no "New employee" for an analyst');
  t.equal(await page.getByRole('button', { name: /^Edit employee/ }).count(), 0, 'no edit buttons');
  await page.getByRole('link', { name: 'Routing schemes', exact: true }).click();
  t.equal(await page.getByRole('button', { name: 'Save scheme' }).count(), 0, 'no save for an analyst');
  const status = await pageFetch(page, 'PATCH', '/api/v1/settings', { time_zone: 'Europe/Kyiv' });
  t.same(status, { status: 403, code: 'FORBIDDEN' }, 'a settings change from the analyst\'s own session is refused by the server');
  await shot(page, 'console-analyst-routing');
});

t.test('the call log is usable on a phone', async (t) => {
  const w = await consoleWorld(t, { viewport: { width: 390, height: 844 } });
  await consoleUser(w.db.pool, { email: 'head@shop.example', accessLevel: 'employee', salesRole: 'head' });
  const head = (await w.db.pool.query<{ id: string }>(`SELECT id FROM employees WHERE email = 'head@shop.example'`)).rows[0]!.id;
  await storeCall(w.db.pool, { caller: '+380501110001', responsibleEmployeeId: Number(head) });
  await logIn(w, 'head@shop.example', PASSWORD);
  const page = w.page;
  await page.locator('[data-total="1"]').waitFor();
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
  t.ok(overflow <= 0, `the page does not scroll sideways (${overflow} px)`);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'My password' }).click();
  await page.getByRole('heading', { name: 'Change your password' }).waitFor();
  await shot(page, 'console-phone');
  t.pass('the menu opens on a phone');
});
