// The web console in Chromium: ringpath listening on 127.0.0.1 with a test
// database, recordings served from a directory of the test's own, an API key
// for arranging data, and helpers to log in through the console's own form.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { Test } from 'tap';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { recordingLinks } from '../../src/recordings/sign.ts';
import { browser, screenshot } from './browser.ts';
import { silentLogger, testDatabase, type TestDatabase } from './db.ts';

export interface ConsoleWorld {
  readonly app: FastifyInstance;
  readonly db: TestDatabase;
  readonly url: string;
  readonly recordingsDir: string;
  readonly context: BrowserContext;
  readonly page: Page;
  api(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function consoleWorld(t: Test, opts: { env?: Record<string, string>; viewport?: { width: number; height: number } } = {}): Promise<ConsoleWorld> {
  const db = await testDatabase(t);
  const port = await freePort();
  const recordingsDir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-recordings-'));
  t.teardown(() => rm(recordingsDir, { recursive: true, force: true }));
  const config = loadConfig({
    DEFAULT_COUNTRY: 'UA',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    RECORDINGS_DIR: recordingsDir,
    ...opts.env,
  });
  const links = recordingLinks({ publicUrl: config.publicUrl, secret: 'console-browser-test-recording-secret' });
  const app = await buildApp({ config, pool: db.pool, logger: silentLogger, recordingLinks: links });
  t.teardown(() => app.close());
  const url = await app.listen({ host: '127.0.0.1', port });
  const { key } = await createApiKey(db.pool, 'tests');
  const context = await browser(t, { viewport: opts.viewport ?? { width: 1280, height: 800 }, args: ['--autoplay-policy=no-user-gesture-required'] });
  const page = await context.newPage();
  return {
    app,
    db,
    url,
    recordingsDir,
    context,
    page,
    api: (method, u, body) =>
      app.inject({ method, url: u, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) }),
  };
}

/** Logs in through the console's form and waits for the page after it. */
export async function logIn(w: ConsoleWorld, email: string, password: string, shot?: string): Promise<void> {
  await w.page.goto(w.url + '/');
  await w.page.getByLabel('Email').fill(email);
  await w.page.getByLabel(/^Password/).fill(password);
  if (shot) await screenshot(w.page, shot);
  await w.page.getByRole('button', { name: 'Log in' }).click();
}

/** A WAV of `seconds` of a 440 Hz tone, 8 kHz mono 16-bit. */
export async function writeWav(file: string, seconds: number): Promise<void> {
  const rate = 8000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  await writeFile(file, Buffer.concat([header, data]));
}

/** The texts an element's aria-describedby points at: a field's hint and its error, as a screen reader reads them. */
export async function describedBy(locator: Locator): Promise<string> {
  interface Element {
    getAttribute(name: string): string | null;
    ownerDocument: { getElementById(id: string): { textContent: string | null } | null };
  }
  return locator.evaluate((node: unknown) => {
    const el = node as Element;
    return (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' | ');
  });
}

/** Runs `fetch` in the page with its session (and the CSRF token for a change); answers the status and the problem's code. */
export async function pageFetch(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; code: string | undefined }> {
  return (await page.evaluate(`(async () => {
    const me = await (await fetch('/api/v1/auth/me')).json();
    const r = await fetch(${JSON.stringify(url)}, {
      method: ${JSON.stringify(method)},
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token || '' },
      ${body === undefined ? '' : `body: ${JSON.stringify(JSON.stringify(body))},`}
    });
    const data = await r.json().catch(() => ({}));
    return { status: r.status, code: data.code };
  })()`)) as { status: number; code: string | undefined };
}

/** A full-page screenshot in test/artifacts/NAME.png, taken from the top (the console's header is fixed). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}
