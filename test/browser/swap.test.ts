// The DNI snippet in Chromium: what it writes over a site's pages, on single-page
// sites too, across the pages of a visit, and for a browser driven by automation.
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { FALLBACK } from '../support/dni.ts';
import { browser, fmt, nationalDigits, screenshot, shopPage, shopTexts, snippetState, texts, world, type World } from '../support/browser.ts';

/** Waits (bounded) until the elements show the expected texts, then asserts them. */
async function expectTexts(t: Test, page: Page, expected: Record<string, string>, message: string): Promise<void> {
  const check = `Object.entries(${JSON.stringify(expected)}).every(([id, text]) => (document.getElementById(id)?.textContent ?? '').trim() === text)`;
  await page.waitForFunction(check).catch(() => undefined);
  t.same(await texts(page, Object.keys(expected)), expected, message);
}

/** The page at `path` of the site: the snippet's tag and the given body. */
function serve(w: World, path: string, body?: string): string {
  w.pages.pages.set(path, shopPage(`${w.appUrl}/dni.js`, w.site.key, body));
  return `${w.pages.origin}${path}`;
}

async function guardStyles(page: Page): Promise<number> {
  return page.evaluate(`[...document.querySelectorAll('style')].filter((s) => s.textContent.includes('visibility:hidden')).length`);
}

t.test("the site number in several formats, its tel: link and the marked elements show the visit's tracking number in the page's own format", async (t) => {
  const w = await world(t);
  const page = await (await browser(t)).newPage();
  await page.goto(serve(w, '/'));
  await snippetState(page, 'swapped');
  t.equal(await page.evaluate('navigator.webdriver'), false, 'this browser does not report automation (--disable-blink-features=AutomationControlled)');

  const sessions = await w.sessions();
  t.equal(sessions.length, 1, 'one session');
  const number = sessions[0]!.number;
  t.equal(sessions[0]!.kind, 'pool');
  t.ok(w.site.numbers.includes(number), `${number} is a pool number`);
  await expectTexts(t, page, shopTexts(number), 'each number written in the format it replaced; the fax number left alone');
  t.equal(await page.locator('#tel').getAttribute('href'), `tel:${number}`, 'the tel: link calls the tracking number (E.164)');
  for (const id of ['tel', 'marked', 'selected', 'national']) t.ok(await page.locator(`#${id}`).isVisible(), `#${id} is visible`);
  t.equal(await guardStyles(page), 0, 'the flicker guard is gone');
  await screenshot(page, 'swap-formats');
});

t.test('content added later, changed text and single-page navigation (pushState, popstate) get the tracking number', async (t) => {
  const w = await world(t);
  const page = await (await browser(t)).newPage();
  const router = `<div id="app"></div><script>
    const views = {
      '/spa': '<p id="view">Home: (044) 123-45-67</p>',
      '/spa/contacts': '<p id="view">Contacts: +380 44 123 4567</p><a id="vtel" href="tel:0441234567">call us</a>',
    };
    function render() { document.getElementById('app').innerHTML = views[location.pathname] || ''; }
    window.go = (path) => { history.pushState({}, '', path); render(); };
    addEventListener('popstate', render);
    render();
  </script>`;
  await page.goto(serve(w, '/spa', router));
  await snippetState(page, 'swapped');
  const number = (await w.sessions())[0]!.number;
  const n = nationalDigits(number);
  await expectTexts(t, page, { view: `Home: ${fmt('(XXX) XXX-XX-XX', n)}` }, 'the first view');

  await page.evaluate(`document.body.insertAdjacentHTML('beforeend', '<p id="late">Later: 044-123-45-67</p>')`);
  await expectTexts(t, page, { late: `Later: ${fmt('XXX-XXX-XX-XX', n)}` }, 'an element added after the swap');

  await page.evaluate(`document.getElementById('late').firstChild.nodeValue = 'Changed: 0441234567'`);
  await expectTexts(t, page, { late: `Changed: ${n}` }, 'a text node changed after the swap');

  await page.evaluate(`go('/spa/contacts')`);
  await expectTexts(t, page, { view: `Contacts: ${fmt('+XXX XX XXX XXXX', number.slice(1))}` }, 'the view after pushState');
  t.equal(await page.locator('#vtel').getAttribute('href'), `tel:${number}`, "the new view's tel: link");

  await page.evaluate('history.back()');
  await page.waitForURL(`${w.pages.origin}/spa`);
  await expectTexts(t, page, { view: `Home: ${fmt('(XXX) XXX-XX-XX', n)}` }, 'the view after popstate (back)');
  t.equal((await w.sessions()).length, 1, 'navigation within the page opened no session');
  await screenshot(page, 'swap-spa');
});

t.test('a later page of the visit shows the same number on the same session; once that session is gone, the same visitor gets a new one', async (t) => {
  const w = await world(t);
  const page = await (await browser(t)).newPage();
  await page.goto(serve(w, '/'));
  await snippetState(page, 'swapped');
  const [first] = await w.sessions();
  const number = first!.number;

  await page.goto(serve(w, '/about'));
  await snippetState(page, 'swapped');
  await expectTexts(t, page, shopTexts(number), 'the second page shows the same number');
  t.equal((await w.sessions()).length, 1, 'no new session');
  t.equal(w.sessionRequests().length, 1, 'one session request in all');
  t.same(
    w.heartbeats().map((h) => [h.url, h.status]),
    [[`/dni/v1/sessions/${first!.public_id}/heartbeat`, 200]],
    'the second page heartbeated the stored session',
  );
  await screenshot(page, 'visit-second-page');

  // the hold ran out (as the sweep would leave it): the next page's heartbeat gets 404
  await w.api.db.pool.query(`UPDATE visitor_sessions SET held_until = now(), released_at = now() WHERE public_id = $1`, [first!.public_id]);
  await w.api.db.pool.query(`UPDATE tracking_numbers SET held_by_session_id = NULL, held_until = NULL, released_at = now() WHERE number = $1`, [number]);
  await page.goto(serve(w, '/contacts'));
  await snippetState(page, 'swapped');
  const sessions = await w.sessions();
  t.equal(sessions.length, 2, 'a new session');
  t.equal(sessions[1]!.visitor_key, first!.visitor_key, 'for the same visitor');
  t.equal(sessions[1]!.number, number, 'who gets their number back, as it is free');
  t.same(
    w.heartbeats().map((h) => h.status),
    [200, 404],
    'the third page heartbeated the released session and was told it is gone',
  );
  await expectTexts(t, page, shopTexts(number), 'the third page shows it');
  await screenshot(page, 'visit-new-session');
});

t.test('without localStorage the visit is kept in a first-party cookie', async (t) => {
  const w = await world(t);
  const context = await browser(t);
  await context.addInitScript(`Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
  });`);
  const page = await context.newPage();
  await page.goto(serve(w, '/'));
  await snippetState(page, 'swapped');
  t.equal(await page.evaluate(`(() => { try { return typeof localStorage; } catch (e) { return e.name; } })()`), 'SecurityError', 'localStorage is refused');
  const [first] = await w.sessions();
  const cookies = await context.cookies(w.pages.origin);
  const visit = cookies.find((c) => c.name === `ringpath_${w.site.key}`.replace(/[^A-Za-z0-9_-]/g, '_'));
  t.ok(visit, 'a ringpath cookie on the site');
  t.match(decodeURIComponent(visit?.value ?? ''), first!.public_id, 'holding the session');

  await page.goto(serve(w, '/about'));
  await snippetState(page, 'swapped');
  t.equal((await w.sessions()).length, 1, 'the second page reused the session');
  await expectTexts(t, page, shopTexts(first!.number), 'and shows the same number');
  await screenshot(page, 'visit-cookie');
});

t.test('a browser reporting navigator.webdriver gets the fallback number', async (t) => {
  const w = await world(t);
  const context = await browser(t);
  await context.addInitScript(`Object.defineProperty(Navigator.prototype, 'webdriver', { configurable: true, get: () => true });`);
  const page = await context.newPage();
  await page.goto(serve(w, '/'));
  await snippetState(page, 'swapped');
  t.equal(await page.evaluate('navigator.webdriver'), true, 'navigator.webdriver is true on this page');
  const sessions = await w.sessions();
  t.same(
    sessions.map((s) => [s.kind, s.fallback_reason, s.number]),
    [['fallback', 'bot', FALLBACK]],
    'the session is a fallback one, for a bot',
  );
  await expectTexts(t, page, shopTexts(FALLBACK), 'the page shows the fallback number');
  t.equal(await page.locator('#tel').getAttribute('href'), `tel:${FALLBACK}`);
  await screenshot(page, 'webdriver-fallback');
});

t.test("Chromium driven without --disable-blink-features=AutomationControlled reports navigator.webdriver and gets the fallback number", async (t) => {
  const w = await world(t);
  const page = await (await browser(t, { automationControlled: true })).newPage();
  await page.goto(serve(w, '/'));
  await snippetState(page, 'swapped');
  t.equal(await page.evaluate('navigator.webdriver'), true, 'navigator.webdriver is true under automation');
  t.same(
    (await w.sessions()).map((s) => [s.kind, s.fallback_reason]),
    [['fallback', 'bot']],
  );
  await expectTexts(t, page, shopTexts(FALLBACK), 'the page shows the fallback number');
  await screenshot(page, 'webdriver-automation');
});
