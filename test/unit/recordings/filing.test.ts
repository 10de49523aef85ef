// Filing a call's recording under RECORDINGS_DIR from what rtpengine (pcap) or
// rtpengine-recording (a four-channel mix) left behind, in temporary folders.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { createLogger } from '../../../src/logger.ts';
import { decodeWav, encodeWav } from '../../../src/recordings/wav.ts';
import { discardRecording, fileRecording, recordingFileName, rtpengineEscape } from '../../../src/sip/recordings.ts';

const logger = createLogger('silent');
const PORTS = { caller: 40012, callee: 40000 };

async function tmp(t: Test): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-rec-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** What rtpengine leaves after a recorded call was deleted: pcaps/<prefix>.pcap and metadata/rtpengine-meta-<prefix>.txt. */
async function rtpengineSpool(dir: string, callId: string): Promise<string> {
  const prefix = `${rtpengineEscape(callId)}-0123456789abcdef`;
  await mkdir(path.join(dir, 'pcaps'), { recursive: true });
  await mkdir(path.join(dir, 'metadata'), { recursive: true });
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt32LE(101, 20);
  const ip = Buffer.alloc(28 + 12 + 160, 0x80);
  ip.fill(0, 0, 40);
  ip[0] = 0x45;
  ip[9] = 17;
  ip.writeUInt16BE(30000, 20);
  ip.writeUInt16BE(PORTS.caller, 22);
  ip.writeUInt16BE(8 + 12 + 160, 24);
  ip[28] = 0x80;
  const rec = Buffer.alloc(16);
  rec.writeUInt32LE(ip.length, 8);
  rec.writeUInt32LE(ip.length, 12);
  const pcapPath = path.join(dir, 'pcaps', `${prefix}.pcap`);
  await writeFile(pcapPath, Buffer.concat([head, rec, ip]));
  await writeFile(path.join(dir, 'metadata', `rtpengine-meta-${prefix}.txt`), `${pcapPath}\n\n`);
  return pcapPath;
}

t.test('file names: the Call-ID when safe, else cleaned with a hash', async (t) => {
  t.equal(recordingFileName('a84b4c76e66710@pc33.example.com'), 'a84b4c76e66710@pc33.example.com.wav');
  t.match(recordingFileName('../../etc/passwd'), /^_\._\.\._etc_passwd-[0-9a-f]{10}\.wav$/);
  t.not(recordingFileName('a/b'), recordingFileName('a:b'), 'different Call-IDs never share a name');
  t.ok(recordingFileName('x'.repeat(300)).length < 100);
  t.equal(rtpengineEscape('abc@x y~'), 'abc%40x%20y~', 'as rtpengine escapes Call-IDs in its file names');
});

t.test('from rtpengine\'s pcap: a two-channel WAV named after the Call-ID; rtpengine\'s files are removed', async (t) => {
  const spool = await tmp(t);
  const recordingsDir = path.join(await tmp(t), 'recordings');
  const callId = 'call-1@example.com';
  const pcapPath = await rtpengineSpool(spool, callId);
  const file = await fileRecording({ callId, pcapPath, ports: PORTS }, { recordingsDir, logger, waitMs: 200 });
  t.equal(file, path.join(recordingsDir, 'call-1@example.com.wav'));
  const pcm = decodeWav(await readFile(file!));
  t.equal(pcm.channels.length, 2);
  t.equal(pcm.channels[0]![0], 32124, 'caller audio on channel 0');
  t.same(await readdir(path.join(spool, 'pcaps')), []);
  t.same(await readdir(path.join(spool, 'metadata')), []);

  // the same Call-ID again (a retried call) never replaces the first recording
  const again = await fileRecording({ callId, pcapPath: await rtpengineSpool(spool, callId), ports: PORTS }, { recordingsDir, logger, waitMs: 200 });
  t.equal(again, path.join(recordingsDir, 'call-1@example.com-2.wav'));
  t.same((await readdir(recordingsDir)).sort(), ['call-1@example.com-2.wav', 'call-1@example.com.wav'], 'no temporary files left');
});

t.test('a pcap without audio, or a missing one, gives no recording and no exception', async (t) => {
  const spool = await tmp(t);
  const recordingsDir = path.join(spool, 'recordings');
  const pcapPath = await rtpengineSpool(spool, 'c2');
  t.equal(await fileRecording({ callId: 'c2', pcapPath, ports: { caller: 1, callee: 2 } }, { recordingsDir, logger, waitMs: 100 }), undefined);
  t.equal(await fileRecording({ callId: 'c3', pcapPath: path.join(spool, 'pcaps', 'gone.pcap'), ports: PORTS }, { recordingsDir, logger, waitMs: 100 }), undefined);
});

t.test('from rtpengine-recording: waits for the finished mix and keeps two channels', async (t) => {
  const daemonOutputDir = await tmp(t);
  const recordingsDir = path.join(await tmp(t), 'recordings');
  const callId = 'mix@example.com';
  const mix = encodeWav({ sampleRate: 8000, channels: [Int16Array.of(5, 5), Int16Array.of(0, 0), Int16Array.of(-7, 7), Int16Array.of(0, 0)] });
  const name = path.join(daemonOutputDir, `${rtpengineEscape(callId)}-fedcba9876543210-mix.wav`);
  // still being written: the header's sizes are not filled in yet
  const open = Buffer.from(mix);
  open.writeUInt32LE(0, 4);
  await writeFile(name, open);
  setTimeout(() => void writeFile(name, mix), 300);
  await writeFile(path.join(daemonOutputDir, 'another-call-0000000000000000-mix.wav'), mix);
  const file = await fileRecording({ callId }, { recordingsDir, daemonOutputDir, logger, waitMs: 3000 });
  t.equal(file, path.join(recordingsDir, 'mix@example.com.wav'));
  const pcm = decodeWav(await readFile(file!));
  t.same(pcm.channels.map((c) => [...c]), [[5, 5], [-7, 7]]);
  t.same(await readdir(daemonOutputDir), ['another-call-0000000000000000-mix.wav'], 'the daemon\'s file is consumed, others left alone');
  t.equal(await fileRecording({ callId: 'none' }, { recordingsDir, daemonOutputDir, logger, waitMs: 200 }), undefined, 'nothing appears: no recording');
});

t.test('an unanswered call\'s pcap is discarded', async (t) => {
  const spool = await tmp(t);
  const pcapPath = await rtpengineSpool(spool, 'missed');
  await discardRecording({ callId: 'missed', pcapPath });
  t.same(await readdir(path.join(spool, 'pcaps')), []);
  t.same(await readdir(path.join(spool, 'metadata')), []);
});
