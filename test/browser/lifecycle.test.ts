// The DNI snippet in Chromium over time: heartbeats only while the page is
// visible, the flicker guard, and a page that keeps its own number when ringpath
// is down, stopped or too slow. Timers run on Playwright's fake clock where the
// test needs time to pass, so nothing waits on the wall clock for a heartbeat.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { BrowserContext, Page } from 'playwright-core';
import { SNIPPET_FILE } from '../../src/dni/snippet-build.ts';
import { browser, ORIGINAL_TEXTS, screenshot, shopPage, shopTexts, snippetState, texts, world, type World } from '../support/browser.ts';

const HEARTBEAT_S = 5;

async function expectTexts(t: Test, page: Page, expected: Record<string, string>, message: string): Promise<void> {
  const check = `Object.entries(${JSON.stringify(expected)}).every(([id, text]) => (document.getElementById(id)?.textContent ?? '').trim() === text)`;
  await page.waitForFunction(check).catch(() => undefined);
  t.same(await texts(page, Object.keys(expected)), expected, message);
}

function serve(w: World, path: string, snippetSrc = `${w.appUrl}/dni.js`): string {
  w.pages.pages.set(path, shopPage(snippetSrc, w.site.key));
  return `${w.pages.origin}${path}`;
}

/** Makes the page hidden or visible as a browser does: visibilityState, hidden, and a visibilitychange event. */
async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate(`(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => ${JSON.stringify(state)} });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${state === 'hidden'} });
    document.dispatchEvent(new Event('visibilitychange'));
  })()`);
}

/** Serves the built snippet for `url` from the test itself, so its src can point at a ringpath that is not there. */
async function snippetAt(context: BrowserContext, url: string): Promise<void> {
  const body = await readFile(SNIPPET_FILE, 'utf8');
  await context.route(url, (route) => route.fulfill({ status: 200, contentType: 'application/javascript', body }));
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function guardStyles(page: Page): Promise<number> {
  return page.evaluate(`[...document.querySelectorAll('style')].filter((s) => s.textContent.includes('visibility:hidden')).length`);
}

async function heldUntil(w: World, session: string): Promise<{ session: Date; number: Date | null }> {
  const row = (await w.sessions()).find((s) => s.public_id === session)!;
  return { session: row.held_until, number: row.number_held_until };
}

t.test('heartbeats keep the hold while the page is visible; a hidden page sends none and heartbeats at once when visible again', async (t) => {
  const w = await world(t, { site: { heartbeat_s: HEARTBEAT_S } });
  const page = await (await browser(t)).newPage();
  const sent: string[] = [];
  page.on('request', (r) => r.url().endsWith('/heartbeat') && sent.push(r.url()));
  await page.clock.install();
  await page.goto(serve(w, '/'));
  await snippetState(page, 'swapped');
  const [session] = await w.sessions();
  const id = session!.public_id;

  /** Lets `ms` of page time pass and waits for the heartbeat that must come of it. */
  const beatAfter = async (ms: number) => {
    const answered = page.waitForResponse((r) => r.url().endsWith(`/sessions/${id}/heartbeat`));
    await page.clock.runFor(ms);
    t.equal((await answered).status(), 200, 'the heartbeat is answered 200');
  };

  let before = await heldUntil(w, id);
  for (let i = 1; i <= 2; i++) {
    await beatAfter(HEARTBEAT_S * 1000);
    t.equal(w.heartbeats().filter((h) => h.status === 200).length, i, `heartbeat ${i} reached ringpath`);
    const after = await heldUntil(w, id);
    t.ok(after.session > before.session, `heartbeat ${i} moved the session's held_until forward`);
    t.ok(after.number && before.number && after.number > before.number, `heartbeat ${i} moved the number's held_until forward`);
    before = after;
  }

  await setVisibility(page, 'hidden');
  await page.clock.runFor(12 * HEARTBEAT_S * 1000);
  t.equal(await page.evaluate('document.visibilityState'), 'hidden');
  t.equal(sent.length, 2, 'the browser sent no heartbeat in twelve intervals while hidden');
  t.equal(w.heartbeats().length, 2, 'ringpath got none');
  await screenshot(page, 'heartbeat-hidden');

  const resumed = page.waitForResponse((r) => r.url().endsWith(`/sessions/${id}/heartbeat`));
  await setVisibility(page, 'visible');
  t.equal((await resumed).status(), 200, 'becoming visible sends a heartbeat at once, with no page time passing');
  t.equal(w.heartbeats().length, 3, 'the third heartbeat is the one sent on becoming visible');
  t.equal(sent.length, 3);
  t.ok((await heldUntil(w, id)).session > before.session, 'and it moved held_until forward');

  await beatAfter(HEARTBEAT_S * 1000);
  t.equal(w.heartbeats().length, 4, 'and the heartbeats go on every heartbeat_s');
  t.equal((await w.sessions()).length, 1, 'all on the one session');
  await screenshot(page, 'heartbeat-visible');
});

t.test('the swap targets stay hidden until the number is written, at most 1 s', async (t) => {
  const w = await world(t);
  const context = await browser(t);
  const page = await context.newPage();
  await page.clock.install();
  // hold the session request until the test lets it go
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const asked = new Promise<void>((resolve) => (arrived = resolve));
  await page.route(`${w.appUrl}/dni/v1/sessions`, async (route) => {
    arrived();
    await held;
    await route.continue();
  });
  await page.goto(serve(w, '/'));
  await asked;
  t.equal(await guardStyles(page), 1, 'the guard is on while the session is asked for');
  t.notOk(await page.locator('#tel').isVisible(), 'the tel: link is hidden');
  t.notOk(await page.locator('#marked').isVisible(), 'the [data-ringpath] element is hidden');
  t.ok(await page.locator('#national').isVisible(), 'plain text is not hidden');
  await screenshot(page, 'guard-hidden');

  await page.clock.runFor(1000);
  t.ok(await page.locator('#tel').isVisible(), 'after 1 s the tel: link shows, with the number not yet known');
  t.equal(await guardStyles(page), 0, 'the guard is gone');
  t.same(await texts(page, Object.keys(ORIGINAL_TEXTS)), ORIGINAL_TEXTS, 'the page still shows its own numbers');
  await screenshot(page, 'guard-timeout');

  release();
  await snippetState(page, 'swapped');
  const number = (await w.sessions())[0]!.number;
  await expectTexts(t, page, shopTexts(number), 'the number is written once it comes');

  // a second page: the guard is lifted by the swap itself, before 1 s of page time
  const page2 = await context.newPage();
  await page2.clock.install();
  let release2!: () => void;
  const held2 = new Promise<void>((resolve) => (release2 = resolve));
  let arrived2!: () => void;
  const asked2 = new Promise<void>((resolve) => (arrived2 = resolve));
  await page2.route(`${w.appUrl}/dni/v1/sessions/*/heartbeat`, async (route) => {
    arrived2();
    await held2;
    await route.continue();
  });
  await page2.goto(serve(w, '/about'));
  await asked2;
  t.notOk(await page2.locator('#selected').isVisible(), "on a later page the site's selectors are hidden too (known from the first)");
  t.notOk(await page2.locator('#tel').isVisible(), 'and the tel: link');
  release2();
  await snippetState(page2, 'swapped');
  t.equal(await guardStyles(page2), 0, 'the swap lifted the guard');
  t.ok(await page2.locator('#tel').isVisible(), 'the tel: link shows');
  await expectTexts(t, page2, shopTexts(number), 'with the number');
  await screenshot(page2, 'guard-swapped');
});

t.test('with ringpath unreachable the page keeps its own numbers, visible', async (t) => {
  const w = await world(t);
  const context = await browser(t);
  const base = `http://127.0.0.1:${await closedPort()}`;
  await snippetAt(context, `${base}/dni.js`);
  const page = await context.newPage();
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.goto(serve(w, '/', `${base}/dni.js`));
  await snippetState(page, 'failed');
  t.same(failed, [`${base}/dni/v1/sessions`], 'the session request could not reach ringpath');
  t.same(await texts(page, Object.keys(ORIGINAL_TEXTS)), ORIGINAL_TEXTS, 'every number is the original');
  t.equal(await page.locator('#tel').getAttribute('href'), 'tel:+380441234567', 'the tel: link is the original');
  for (const id of ['tel', 'marked', 'selected']) t.ok(await page.locator(`#${id}`).isVisible(), `#${id} is visible`);
  t.equal(await guardStyles(page), 0, 'the guard is gone');
  t.equal((await w.sessions()).length, 0);
  await screenshot(page, 'down-unreachable');
});

t.test('when ringpath stops mid-visit, the next page keeps its own numbers, visible', async (t) => {
  const w = await world(t);
  const context = await browser(t);
  const page = await context.newPage();
  await page.goto(serve(w, '/'));
  await snippetState(page, 'swapped');
  await w.api.app.close();

  // the snippet itself comes from the browser's cache (max-age); ringpath does not answer
  await page.goto(serve(w, '/about'));
  await snippetState(page, 'failed');
  t.same(await texts(page, Object.keys(ORIGINAL_TEXTS)), ORIGINAL_TEXTS, 'every number is the original');
  t.equal(await page.locator('#tel').getAttribute('href'), 'tel:+380441234567');
  for (const id of ['tel', 'marked', 'selected']) t.ok(await page.locator(`#${id}`).isVisible(), `#${id} is visible`);
  await screenshot(page, 'down-stopped');
});

t.test('when ringpath does not answer within its timeout, the page keeps its own numbers, visible', async (t) => {
  const w = await world(t);
  const context = await browser(t);
  // accepts connections and never answers
  const requests: string[] = [];
  const silent = http.createServer((req) => requests.push(`${req.method} ${req.url}`));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    silent.closeAllConnections();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  await snippetAt(context, `${base}/dni.js`);
  const page = await context.newPage();
  await page.goto(serve(w, '/', `${base}/dni.js`));
  await snippetState(page, 'failed');
  t.same(requests, ['POST /dni/v1/sessions'], 'the session request reached the silent server');
  t.same(await texts(page, Object.keys(ORIGINAL_TEXTS)), ORIGINAL_TEXTS, 'every number is the original');
  for (const id of ['tel', 'marked', 'selected']) t.ok(await page.locator(`#${id}`).isVisible(), `#${id} is visible`);
  await screenshot(page, 'down-silent');
});
