// Media and recording end to end: sipp as the carrier and the manager's phone,
// both talking (sipp's G.711 sample played from a pcap as RTP), a real
// drachtio-server, rtpengine anchoring the media, and ringpath filing the
// recording and serving it behind a signed link. The unreachable-rtpengine case
// runs without rtpengine (it is skipped only when drachtio-server or sipp is missing).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { decodeWav, rms } from '../../src/recordings/wav.ts';
import { freePort } from '../../src/util/net.ts';
import { testDatabase } from '../support/db.ts';
import { rtpengineUnavailable, startRtpengine } from '../support/rtpengine.ts';
import { employee, scheme, sipUriDestination, staticNumber, waitForCalls } from '../support/sip-fixtures.ts';
import { runSipp, sipUnavailable, startDrachtio, startSipp, startSipRingpath, type SippResult } from '../support/sip.ts';

// The unreachable-rtpengine case needs drachtio-server and sipp but no rtpengine.
const noSip = sipUnavailable();
const noRtpengine = noSip ?? rtpengineUnavailable();
t.setTimeout(5 * 60_000);
const TRACKING = '+380441234567';
const CALLER = '+380501234567';
const TALK_MS = 4000;

const passed = (t: Test, r: SippResult, what: string) =>
  t.equal(r.code, 0, `${what} scenario passed${r.code === 0 ? '' : `\n${r.errors}\n${r.output.slice(-1500)}`}`);

async function tmpDir(t: Test, name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `ringpath-${name}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A carrier call to Alice's phone that both sides talk on; resolves with the call's row. */
async function talkingCall(t: Test, env: Record<string, string>) {
  const drachtio = await startDrachtio(t);
  const db = await testDatabase(t);
  const ringpath = await startSipRingpath(t, drachtio, db.url, env);
  const alice = await employee(db.pool, 'Alice');
  const phone = await startSipp(t, { scenario: 'uas-answer-audio.xml', calls: 1, pauseMs: 200, timeoutS: 40 });
  await sipUriDestination(db.pool, alice, `sip:alice@127.0.0.1:${phone.port}`);
  await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'simple', [{ type: 'employees', employeeIds: [alice] }]));
  const caller = await runSipp(t, {
    scenario: 'uac-inbound-audio-expect-200.xml',
    target: `127.0.0.1:${drachtio.sipPort}`,
    service: TRACKING,
    keys: { caller: CALLER },
    pauseMs: TALK_MS,
    timeoutS: 40,
  });
  passed(t, caller, 'caller');
  passed(t, await phone.done, 'phone');
  await waitForCalls(db.pool, 1, 20_000);
  const { rows } = await db.pool.query<{ sip_call_id: string; disposition: string; recording_path: string | null }>(
    'SELECT sip_call_id, disposition, recording_path FROM calls',
  );
  return { ringpath, call: rows[0]! };
}

t.test('recording through rtpengine', { skip: noRtpengine ?? false }, async (t) => {
  await t.test('an answered call gives one two-channel WAV with both parties, served by its signed link with Range', async (t) => {
    const recordingsDir = await tmpDir(t, 'recordings');
    const rtpengine = await startRtpengine(t, { recordingsDir });
    const { ringpath, call } = await talkingCall(t, { RTPENGINE_NG: rtpengine.ng, RECORDINGS_DIR: recordingsDir });
    t.equal(call.disposition, 'answered');
    t.ok(call.recording_path, `the call has a recording${call.recording_path ? '' : `\n${rtpengine.log().slice(-3000)}`}`);
    if (!call.recording_path) return;
    t.equal(call.recording_path, path.join(recordingsDir, `${call.sip_call_id}.wav`), 'named after the Call-ID, under RECORDINGS_DIR');
    t.same((await readdir(recordingsDir)).filter((f) => f.endsWith('.wav')), [path.basename(call.recording_path)], 'one WAV');

    const wav = await readFile(call.recording_path);
    const pcm = decodeWav(wav);
    t.equal(pcm.channels.length, 2, 'two channels');
    t.equal(pcm.sampleRate, 8000);
    const seconds = pcm.channels[0]!.length / pcm.sampleRate;
    t.ok(seconds > 2 && seconds < TALK_MS / 1000 + 3, `${seconds.toFixed(2)} s long`);
    const [caller, callee] = pcm.channels.map(rms) as [number, number];
    t.ok(caller > 300, `the caller's channel has sound (RMS ${caller.toFixed(0)})`);
    t.ok(callee > 300, `the called party's channel has sound (RMS ${callee.toFixed(0)})`);
    // the phone keeps quiet for its first 2 s while the caller talks: each party has a channel of its own
    const [callerEarly, calleeEarly] = pcm.channels.map((c) => rms(c.subarray(8000, 15200))) as [number, number];
    t.ok(callerEarly > 300, `from 1 s to 1.9 s the caller talks (RMS ${callerEarly.toFixed(0)})`);
    t.ok(calleeEarly < 30, `and the called party's channel is silent (RMS ${calleeEarly.toFixed(0)})`);
    if (rtpengine.method === 'pcap') t.same(await readdir(path.join(rtpengine.recordingDir, 'pcaps')), [], "rtpengine's pcap was consumed");

    const url = ringpath.recordingLinks.url(path.basename(call.recording_path));
    t.ok(url.startsWith(ringpath.url), url);
    const full = await fetch(url);
    t.equal(full.status, 200);
    t.equal(full.headers.get('content-type'), 'audio/wav');
    t.ok(Buffer.from(await full.arrayBuffer()).equals(wav), 'the whole file');
    const head = await fetch(url, { headers: { range: 'bytes=0-43' } });
    t.equal(head.status, 206);
    t.equal(head.headers.get('content-range'), `bytes 0-43/${wav.length}`);
    const header = Buffer.from(await head.arrayBuffer());
    t.equal(header.toString('ascii', 0, 4), 'RIFF');
    t.equal(header.readUInt16LE(22), 2, 'the header says two channels');
    const tampered = await fetch(url.replace(/signature=[^&]+/, `signature=${'x'.repeat(43)}`));
    t.equal(tampered.status, 403);
  });
});

t.test('rtpengine unreachable: the call still connects, without a recording, and it is counted', { skip: noSip ?? false }, async (t) => {
  const recordingsDir = await tmpDir(t, 'recordings');
  const { ringpath, call } = await talkingCall(t, { RTPENGINE_NG: `127.0.0.1:${await freePort()}`, RECORDINGS_DIR: recordingsDir });
  t.equal(call.disposition, 'answered');
  t.equal(call.recording_path, null, 'no recording');
  t.same(await readdir(recordingsDir), []);
  const metrics = await (await fetch(`${ringpath.url}/metrics`)).text();
  t.match(metrics, /^ringpath_media_unavailable_total(\{[^}]*\})? 1$/m, 'counted');
});
