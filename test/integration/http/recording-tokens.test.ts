// Stable recording URLs for the CRM: an opaque token per recording that never expires,
// serves Range requests with 206 (so HubSpot's player can seek), and can be revoked.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { loadConfig } from '../../../src/config.ts';
import { recordCall } from '../../../src/db/repositories/calls.ts';
import { buildApp } from '../../../src/http/app.ts';
import { recordingTokens, recordingTokenUrl, tokenOfSegment } from '../../../src/recordings/tokens.ts';
import { encodeWav } from '../../../src/recordings/wav.ts';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { cdr } from '../../support/crm/world.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';

t.test('token URLs: the shape of the URL and of a path segment', async (t) => {
  const token = 'A'.repeat(43);
  t.equal(recordingTokenUrl('https://calls.example.com/', token), `https://calls.example.com/recordings/t/${token}.wav`, 'a .wav URL with no expiry');
  t.equal(tokenOfSegment(`${token}.wav`), token);
  for (const bad of [token, `${token}.mp3`, `${'A'.repeat(42)}.wav`, `../${token}.wav`, `${token}.wav?x`]) t.equal(tokenOfSegment(bad), undefined, JSON.stringify(bad));
});

t.test('a stable, revocable recording URL with Range and 206', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-recording-tokens-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const db = await testDatabase(t);
  const id = randomUUID();
  await recordCall(db.pool, cdr(id, { client: '+380501234567', answeredBy: { destination: '+380671112233' } }), { crmSync: false });
  const wav = encodeWav({ sampleRate: 8000, channels: [Int16Array.from({ length: 800 }, (_, i) => i), Int16Array.from({ length: 800 }, (_, i) => -i)] });
  await writeFile(path.join(dir, `${id}.wav`), wav);
  const config = loadConfig({ DEFAULT_COUNTRY: 'UA', LOG_LEVEL: 'silent', RECORDINGS_DIR: dir, PUBLIC_URL: 'https://calls.example.com' });
  const app = await buildApp({ config, pool: db.pool, logger: silentLogger });
  t.teardown(() => app.close());
  const { key } = await createApiKey(db.pool, 'recording tokens');

  const call = { id, recordingPath: `/recordings/${id}.wav` };
  const token = await recordingTokens.forCall(db.pool, call);
  t.match(token, /^[A-Za-z0-9_-]{43}$/);
  t.equal(await recordingTokens.forCall(db.pool, call), token, 'the same URL every time the call is synced');
  t.equal(await recordingTokens.forCall(db.pool, { id, recordingPath: '/recordings/notes.txt' }), undefined, 'only a servable recording');
  const url = `/recordings/t/${token}.wav`;

  const whole = await app.inject({ method: 'GET', url });
  t.equal(whole.statusCode, 200, 'no API key, no signature, no expiry');
  t.equal(whole.headers['content-type'], 'audio/wav');
  t.ok(whole.rawPayload.equals(wav), 'the recording, byte for byte');
  const part = await app.inject({ method: 'GET', url, headers: { range: 'bytes=44-99' } });
  t.equal(part.statusCode, 206, 'a range: 206 Partial Content');
  t.equal(part.headers['content-range'], `bytes 44-99/${wav.length}`);
  t.ok(part.rawPayload.equals(wav.subarray(44, 100)));
  t.equal(wav.readUInt16LE(22), 2, 'two channels: the caller on channel 1, the called party on channel 2');

  t.equal((await app.inject({ method: 'GET', url: `/recordings/t/${'B'.repeat(43)}.wav` })).statusCode, 404, 'an unknown token');
  const revoke = () => app.inject({ method: 'DELETE', url: `/api/v1/calls/${id}/recording-link`, headers: { authorization: `Bearer ${key}` } });
  t.equal((await revoke()).statusCode, 204);
  t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, 'revoked: gone for good');
  t.equal((await revoke()).statusCode, 404, 'nothing left to revoke');
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/calls/${randomUUID()}/recording-link`, headers: { authorization: `Bearer ${key}` } })).statusCode, 404);
  const fresh = await recordingTokens.forCall(db.pool, call);
  t.not(fresh, token, 'a later sync gets a new URL');
  t.equal((await app.inject({ method: 'GET', url: `/recordings/t/${fresh}.wav` })).statusCode, 200);
});
