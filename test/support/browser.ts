// Browser tests of the DNI snippet: Debian's chromium driven by playwright-core
// (no browser is ever downloaded), ringpath's real HTTP app listening on
// 127.0.0.1 with a test database, and the site's pages served from a second
// server on another port, so the snippet's requests are real cross-origin ones.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { testApi, type TestApi } from './app.ts';
import { dniSite, FALLBACK, type DniSiteFixture } from './dni.ts';
import { REPO_ROOT } from './process.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO_ROOT, 'test/artifacts');
/**
 * A desktop Chrome's User-Agent: headless Chromium says "HeadlessChrome", which
 * ringpath rightly treats as a bot (the fallback number).
 */
export const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** What a browser test may wait for one thing before it fails. */
export const WAIT_MS = 15_000;

/** The number the site writes on its pages, and the forms it is written in. */
export const SITE_NUMBER = '+380441234567';
export const SWAP_TEXTS = ['(044) 123-45-67'];
export const SWAP_SELECTORS = ['.phone-box'];

/** `pattern` with its X's replaced by `digits`, in order: fmt('(XXX) XXX', '044123') = '(044) 123'. */
export function fmt(pattern: string, digits: string): string {
  let i = 0;
  const out = pattern.replace(/X/g, () => digits[i++] ?? '?');
  if (i !== digits.length) throw new Error(`${pattern} has ${i} digits, ${digits} has ${digits.length}`);
  return out;
}

/** National digits of a Kyiv number: +380442000000 → 0442000000. */
export const nationalDigits = (e164: string): string => `0${e164.slice(4)}`;
export const intlDigits = (e164: string): string => e164.slice(1);

/** A page of the site: the snippet's tag in the head, the site number in several formats. */
export function shopPage(snippetSrc: string, key: string, body = SHOP_BODY, head = ''): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title>
<style>body{font:16px sans-serif;margin:24px} p,a,span,div{display:block;margin:6px 0}</style>
<script async src="${snippetSrc}" data-site="${key}"></script>${head}
</head><body>${body}</body></html>`;
}

export const SHOP_BODY = `
<h1>Shop</h1>
<p id="national">Call us: (044) 123-45-67</p>
<p id="intl">From abroad: +380 44 123 4567</p>
<p id="dots">Sales 044.123.45.67</p>
<a id="tel" href="tel:+380441234567">044 123 4567</a>
<span id="marked" data-ringpath>050 111 22 33</span>
<div class="phone-box" id="selected">(050) 999-88-77</div>
<p id="other">Fax: (044) 123-45-68</p>`;

/** What SHOP_BODY shows once the snippet wrote `e164` over it. */
export function shopTexts(e164: string): Record<string, string> {
  const n = nationalDigits(e164);
  return {
    national: `Call us: ${fmt('(XXX) XXX-XX-XX', n)}`,
    intl: `From abroad: ${fmt('+XXX XX XXX XXXX', intlDigits(e164))}`,
    dots: `Sales ${fmt('XXX.XXX.XX.XX', n)}`,
    tel: fmt('XXX XXX XXXX', n),
    marked: fmt('XXX XXX XX XX', n),
    selected: fmt('(XXX) XXX-XX-XX', n),
    other: 'Fax: (044) 123-45-68',
  };
}

export const ORIGINAL_TEXTS: Record<string, string> = {
  national: 'Call us: (044) 123-45-67',
  intl: 'From abroad: +380 44 123 4567',
  dots: 'Sales 044.123.45.67',
  tel: '044 123 4567',
  marked: '050 111 22 33',
  selected: '(050) 999-88-77',
  other: 'Fax: (044) 123-45-68',
};

export interface HttpHit {
  readonly method: string;
  readonly url: string;
  status: number | null;
}

/** A small HTTP server on 127.0.0.1 answering GET path with the page set for it. */
export interface PageServer {
  readonly origin: string;
  readonly pages: Map<string, string>;
  close(): Promise<void>;
}

export async function pageServer(t: Test): Promise<PageServer> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!);
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  t.teardown(async () => {
    server.closeAllConnections();
    await close();
  });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pages, close };
}

export interface World {
  readonly api: TestApi;
  /** ringpath's base URL (it serves /dni.js and /dni/v1). */
  readonly appUrl: string;
  readonly site: DniSiteFixture;
  readonly pages: PageServer;
  /** Every request ringpath got under /dni/v1, with its status once answered. */
  readonly hits: HttpHit[];
  heartbeats(): HttpHit[];
  sessionRequests(): HttpHit[];
  /** The site's sessions, oldest first. */
  sessions(): Promise<SessionRow[]>;
}

export interface SessionRow {
  public_id: string;
  visitor_key: string;
  number: string;
  kind: string;
  fallback_reason: string | null;
  held_until: Date;
  last_heartbeat_at: Date | null;
  number_held_until: Date | null;
}

/**
 * ringpath listening on 127.0.0.1 with a site whose pages are on `pages.origin`:
 * a pool of `pool` numbers, the fallback FALLBACK, SWAP_TEXTS and SWAP_SELECTORS.
 */
export async function world(t: Test, opts: { pool?: number; site?: Record<string, unknown> } = {}): Promise<World> {
  const api = await testApi(t);
  const hits: HttpHit[] = [];
  api.app.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/dni/v1/')) return;
    const hit: HttpHit = { method: req.method ?? '', url: req.url, status: null };
    hits.push(hit);
    res.on('finish', () => (hit.status = res.statusCode));
  });
  const appUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const pages = await pageServer(t);
  const site = await dniSite(api, {
    pool: opts.pool ?? 3,
    site: {
      domain: 'shop.example.com',
      fallback_number: FALLBACK,
      allowed_origins: [pages.origin],
      swap_phone_texts: SWAP_TEXTS,
      swap_selectors: SWAP_SELECTORS,
      ...opts.site,
    },
  });
  return {
    api,
    appUrl,
    site,
    pages,
    hits,
    heartbeats: () => hits.filter((h) => h.method === 'POST' && h.url.endsWith('/heartbeat')),
    sessionRequests: () => hits.filter((h) => h.method === 'POST' && h.url === '/dni/v1/sessions'),
    async sessions() {
      const { rows } = await api.db.pool.query<SessionRow>(
        `SELECT v.public_id, v.visitor_key, v.number, v.kind, v.fallback_reason, v.held_until, v.last_heartbeat_at,
                t.held_until AS number_held_until
           FROM visitor_sessions v LEFT JOIN tracking_numbers t ON t.id = v.tracking_number_id AND t.held_by_session_id = v.id
          WHERE v.site_id = $1 ORDER BY v.id`,
        [site.siteId],
      );
      return rows;
    },
  };
}

export interface BrowserOptions {
  /** Leave navigator.webdriver to the browser (default: --disable-blink-features=AutomationControlled, so it is false). */
  readonly automationControlled?: boolean;
  /** The window's size (default 800×600). */
  readonly viewport?: { width: number; height: number };
  /** More Chromium flags. */
  readonly args?: readonly string[];
}

/** Chromium with a fresh profile, closed (and its profile removed) when the test ends. */
export async function browser(t: Test, opts: BrowserOptions = {}): Promise<BrowserContext> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'ringpath-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, ...(opts.automationControlled ? [] : ['--disable-blink-features=AutomationControlled']), ...(opts.args ?? [])],
    userAgent: DESKTOP_UA,
    viewport: opts.viewport ?? { width: 800, height: 600 },
    timeout: 30_000,
  });
  context.setDefaultTimeout(WAIT_MS);
  t.teardown(async () => {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  });
  return context;
}

/** A screenshot of the page as the test left it, in test/artifacts/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Waits until the snippet has written the number over the page (or given up). */
export async function snippetState(page: Page, state: 'swapped' | 'failed'): Promise<void> {
  await page.waitForSelector(`html[data-ringpath-state="${state}"]`, { state: 'attached' });
}

/** The text of each element with one of these ids. */
export async function texts(page: Page, ids: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of ids) out[id] = ((await page.locator(`#${id}`).textContent()) ?? '').trim();
  return out;
}
