// GET /recordings/<file>.wav behind signed, expiring links, with Range support.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { loadConfig } from '../../../src/config.ts';
import { buildApp } from '../../../src/http/app.ts';
import { recordingLinks, type RecordingLinks } from '../../../src/recordings/sign.ts';
import { encodeWav } from '../../../src/recordings/wav.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';

const FILE = 'a84b4c76e66710@pc33.example.com.wav';
const SECRET = 'integration-test-secret';

interface Setup {
  readonly app: FastifyInstance;
  readonly wav: Buffer;
  readonly links: RecordingLinks;
  /** The path and query of a link, as the app sees them. */
  link(file?: string, links?: RecordingLinks): string;
}

async function setup(t: Test, opts: { links?: boolean } = {}): Promise<Setup> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-recordings-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const wav = encodeWav({ sampleRate: 8000, channels: [Int16Array.from({ length: 800 }, (_, i) => i), Int16Array.from({ length: 800 }, (_, i) => -i)] });
  await writeFile(path.join(dir, FILE), wav);
  const db = await testDatabase(t);
  const config = loadConfig({ DEFAULT_COUNTRY: 'UA', LOG_LEVEL: 'silent', RECORDINGS_DIR: dir, PUBLIC_URL: 'https://calls.example.com' });
  const links = recordingLinks({ publicUrl: config.publicUrl, secret: SECRET, ttlS: 600 });
  const app = await buildApp({ config, pool: db.pool, logger: silentLogger, ...(opts.links === false ? {} : { recordingLinks: links }) });
  t.teardown(() => app.close());
  const link = (file = FILE, l = links) => {
    const u = new URL(l.url(file));
    return `${u.pathname}${u.search}`;
  };
  return { app, wav, links, link };
}

t.test('a signed link serves the whole WAV without an API key', async (t) => {
  const { app, wav, link } = await setup(t);
  const res = await app.inject({ method: 'GET', url: link() });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'audio/wav');
  t.equal(res.headers['accept-ranges'], 'bytes');
  t.equal(Number(res.headers['content-length']), wav.length);
  t.ok(res.rawPayload.equals(wav), 'the file, byte for byte');
  t.match(res.headers.etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
});

t.test('Range requests', async (t) => {
  const { app, wav, link } = await setup(t);
  const get = (range: string, more: Record<string, string> = {}) => app.inject({ method: 'GET', url: link(), headers: { range, ...more } });

  const head = await get('bytes=0-43');
  t.equal(head.statusCode, 206, 'partial');
  t.equal(head.headers['content-range'], `bytes 0-43/${wav.length}`);
  t.equal(Number(head.headers['content-length']), 44);
  t.ok(head.rawPayload.equals(wav.subarray(0, 44)), 'the WAV header');

  const open = await get('bytes=100-');
  t.equal(open.statusCode, 206);
  t.equal(open.headers['content-range'], `bytes 100-${wav.length - 1}/${wav.length}`);
  t.ok(open.rawPayload.equals(wav.subarray(100)));

  const suffix = await get('bytes=-16');
  t.equal(suffix.statusCode, 206, 'suffix');
  t.equal(suffix.headers['content-range'], `bytes ${wav.length - 16}-${wav.length - 1}/${wav.length}`);
  t.ok(suffix.rawPayload.equals(wav.subarray(-16)));

  const beyond = await get(`bytes=${wav.length}-`);
  t.equal(beyond.statusCode, 416, 'beyond the end');
  t.equal(beyond.headers['content-range'], `bytes */${wav.length}`);
  t.equal(beyond.json().code, 'RANGE_NOT_SATISFIABLE');
  t.equal((await get('bytes=50-10')).statusCode, 416, 'last before first');

  const several = await get('bytes=0-1,4-5');
  t.equal(several.statusCode, 200, 'several ranges: the whole file');
  t.equal(several.rawPayload.length, wav.length);

  const etag = (await get('bytes=0-0')).headers.etag as string;
  t.equal((await get('bytes=0-9', { 'if-range': etag })).statusCode, 206, 'If-Range with the current ETag');
  t.equal((await get('bytes=0-9', { 'if-range': '"stale"' })).statusCode, 200, 'If-Range with another ETag: the whole file');
});

t.test('HEAD gives the headers only', async (t) => {
  const { app, wav, link } = await setup(t);
  const res = await app.inject({ method: 'HEAD', url: link() });
  t.equal(res.statusCode, 200);
  t.equal(Number(res.headers['content-length']), wav.length);
  t.equal(res.rawPayload.length, 0);
});

t.test('bad, tampered or expired links get 403; unknown files 404', async (t) => {
  const { app, link, links } = await setup(t);
  const good = link();
  const get = (url: string) => app.inject({ method: 'GET', url });

  const bad = await get(good.replace(/signature=[^&]+/, `signature=${'A'.repeat(43)}`));
  t.equal(bad.statusCode, 403, 'bad signature');
  t.equal(bad.json().code, 'RECORDING_LINK_INVALID');
  t.equal((await get(good.replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 3600}`))).statusCode, 403, 'extended expiry');
  t.equal((await get(good.split('?')[0]!)).statusCode, 403, 'no signature');
  const other = await get(good.replace(encodeURIComponent(FILE), 'other.wav'));
  t.equal(other.statusCode, 403, 'signature of another file');

  const expiredLinks = recordingLinks({ publicUrl: 'https://calls.example.com', secret: SECRET, ttlS: 600, now: () => Math.floor(Date.now() / 1000) - 601 });
  const expired = await get(link(FILE, expiredLinks));
  t.equal(expired.statusCode, 403, 'expired');
  t.equal(expired.json().code, 'RECORDING_LINK_EXPIRED');

  const missing = await get(link('nobody.wav', links));
  t.equal(missing.statusCode, 404, 'a well-signed link to a file that is not there');
  t.equal(missing.json().code, 'RECORDING_NOT_FOUND');
  t.equal((await get('/recordings/..%2F..%2Fetc%2Fpasswd?expires=1&signature=x')).statusCode, 404, 'no way out of the folder');
});

t.test('without recording links configured every link is refused', async (t) => {
  const { app, link } = await setup(t, { links: false });
  const res = await app.inject({ method: 'GET', url: link() });
  t.equal(res.statusCode, 403);
});
