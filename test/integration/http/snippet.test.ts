// GET /dni.js (the snippet) and what the session answer tells the snippet to swap.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import t from 'tap';
import { SNIPPET_FILE } from '../../../src/dni/snippet-build.ts';
import { snippetRoutes } from '../../../src/http/routes/snippet.ts';
import { testApi } from '../../support/app.ts';
import { askSession, dniSite, PAGE } from '../../support/dni.ts';

/** What the README promises: the snippet costs a page at most 6 KB gzipped. */
const MAX_GZIPPED = 6 * 1024;

t.test('GET /dni.js serves the built snippet as cacheable JavaScript any page may load', async (t) => {
  const api = await testApi(t);
  const r = await api.app.inject({ method: 'GET', url: '/dni.js' });
  t.equal(r.statusCode, 200);
  t.match(r.headers['content-type'], /^application\/javascript/);
  t.equal(r.headers['cache-control'], 'public, max-age=300');
  t.equal(r.headers['access-control-allow-origin'], '*');
  t.match(r.headers.etag, /^"[A-Za-z0-9_-]+"$/);
  t.equal(r.body, await readFile(SNIPPET_FILE, 'utf8'), 'the body is dist/dni.js');
  t.match(r.body, /\/dni\/v1\/sessions/, 'it is the snippet');

  const again = await api.app.inject({ method: 'GET', url: '/dni.js', headers: { 'if-none-match': r.headers.etag as string } });
  t.equal(again.statusCode, 304, 'a browser holding the same ETag gets 304');
  t.equal(again.body, '');
  const other = await api.app.inject({ method: 'GET', url: '/dni.js', headers: { 'if-none-match': '"something-else"' } });
  t.equal(other.statusCode, 200, 'another ETag gets the script');
});

t.test(`the built snippet is at most ${MAX_GZIPPED} bytes gzipped`, async (t) => {
  const body = await readFile(SNIPPET_FILE);
  const gzipped = gzipSync(body, { level: 9 }).length;
  t.comment(`dist/dni.js: ${body.length} bytes, ${gzipped} gzipped`);
  t.ok(gzipped <= MAX_GZIPPED, `${gzipped} bytes gzipped`);
});

t.test('GET /dni.js builds the snippet when its file is missing', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-snippet-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'dist', 'dni.js');
  const app = Fastify();
  await app.register(snippetRoutes, { file });
  t.teardown(() => app.close());
  await app.ready();
  const r = await app.inject({ method: 'GET', url: '/dni.js' });
  t.equal(r.statusCode, 200);
  t.ok((await stat(file)).size > 0, 'the file was built');
  t.equal(r.body, await readFile(file, 'utf8'));
});

t.test("a session tells the snippet the site's numbers (E.164 and national format) and selectors to swap", async (t) => {
  const api = await testApi(t);
  const site = await dniSite(api, {
    pool: 2,
    site: { swap_phone_texts: ['(044) 123-45-67', '+380 44 123 4567', '050 111 22 33'], swap_selectors: ['.phone', '[itemprop=telephone]'] },
  });
  const r = await askSession(api.app, { site: site.key, page: PAGE });
  t.equal(r.statusCode, 200, r.body);
  const body = r.json() as { number: string; display: string; kind: string; swap: unknown };
  t.equal(body.kind, 'pool');
  t.ok(site.numbers.includes(body.number));
  t.same(body.swap, {
    numbers: [
      { number: '+380441234567', display: '044 123 4567' },
      { number: '+380501112233', display: '050 111 2233' },
    ],
    selectors: ['.phone', '[itemprop=telephone]'],
  });

  // a change through the admin API is in the next session
  const patched = await api.patch(`/api/v1/sites/${site.siteId}`, { swap_phone_texts: ['0441234568'], swap_selectors: [] });
  t.equal(patched.statusCode, 200, patched.body);
  const next = await askSession(api.app, { site: site.key, page: PAGE });
  t.same((next.json() as { swap: unknown }).swap, { numbers: [{ number: '+380441234568', display: '044 123 4568' }], selectors: [] });
});
