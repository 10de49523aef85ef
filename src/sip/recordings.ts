// Filing the recording a call left behind as RECORDINGS_DIR/<Call-ID>.wav:
// two channels, the caller on the first and the called party on the second.
//
// Two sources, depending on how rtpengine records (see sip/rtpengine.conf):
// - recording-method=pcap: rtpengine names the pcap in its offer response and
//   closes it when the call is deleted; ringpath decodes it (src/recordings/pcap-wav.ts).
// - recording-method=proc with rtpengine-recording (output-format=wav,
//   output-mixed, mix-method=channels): the daemon writes
//   <output-dir>/<escaped Call-ID>-<16 hex>-mix.wav when the call ends; ringpath
//   waits for its header to be finalised and keeps two of its channels.
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { pcapToWav, type PartyPorts } from '../recordings/pcap-wav.ts';
import { decodeWav, encodeWav, isCompleteWav, twoChannels } from '../recordings/wav.ts';

export interface CallRecording {
  readonly callId: string;
  /** The pcap rtpengine writes for the call (recording-method=pcap), from its offer response. */
  readonly pcapPath?: string;
  /** rtpengine's media ports for each party, to tell the parties apart in the pcap. */
  readonly ports?: PartyPorts;
}

export interface RecordingStore {
  readonly recordingsDir: string;
  /** rtpengine-recording's output-dir, when the recording daemon is used. */
  readonly daemonOutputDir?: string;
  /** How long to wait for rtpengine or the daemon to finish writing (ms). */
  readonly waitMs?: number;
  readonly logger: Logger;
}

const DEFAULT_WAIT_MS = 5000;
const POLL_MS = 100;
const SAFE_NAME = /^[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,99}$/;

/** The file name of a call's recording: the Call-ID when it is a safe file name, else a cleaned one plus a hash. */
export function recordingFileName(callId: string): string {
  if (SAFE_NAME.test(callId)) return `${callId}.wav`;
  const clean = callId.replace(/[^A-Za-z0-9._@-]/g, '_').replace(/^\./, '_').slice(0, 80);
  const hash = createHash('sha256').update(callId).digest('hex').slice(0, 10);
  return `${clean}-${hash}.wav`;
}

/** The Call-ID as rtpengine puts it in file names (g_uri_escape_string: all but unreserved characters escaped). */
export function rtpengineEscape(callId: string): string {
  return Array.from(Buffer.from(callId, 'utf8'))
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exists = (p: string) => stat(p).then(() => true, () => false);
const remove = (p: string) => unlink(p).catch(() => undefined);

async function until<T>(what: () => Promise<T | undefined>, waitMs: number): Promise<T | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = await what();
    if (found !== undefined || Date.now() >= deadline) return found;
    await sleep(POLL_MS);
  }
}

/** rtpengine's finished metadata file for a pcap: <recording-dir>/metadata/rtpengine-meta-<prefix>.txt. */
function pcapMetadataPath(pcapPath: string): string {
  const prefix = path.basename(pcapPath, '.pcap');
  return path.join(path.dirname(path.dirname(pcapPath)), 'metadata', `rtpengine-meta-${prefix}.txt`);
}

/** Write a WAV under RECORDINGS_DIR without ever replacing another call's file; returns its path. */
async function store(dir: string, callId: string, wav: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const base = recordingFileName(callId).replace(/\.wav$/, '');
  const tmp = path.join(dir, `.${base}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, wav);
  try {
    for (let i = 1; ; i++) {
      const file = path.join(dir, i === 1 ? `${base}.wav` : `${base}-${i}.wav`);
      try {
        await link(tmp, file);
        return file;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 100) throw err;
      }
    }
  } finally {
    await remove(tmp);
  }
}

async function fromPcap(rec: CallRecording & { pcapPath: string }, s: RecordingStore): Promise<Buffer | undefined> {
  const meta = pcapMetadataPath(rec.pcapPath);
  // rtpengine moves the metadata into place once the pcap is closed
  const finished = await until(async () => ((await exists(meta)) ? true : undefined), s.waitMs ?? DEFAULT_WAIT_MS);
  if (!finished) s.logger.warn({ pcap: rec.pcapPath }, 'rtpengine did not finish the recording in time; using what it wrote');
  try {
    if (!rec.ports) throw new Error('the media ports of the parties are unknown');
    return pcapToWav(await readFile(rec.pcapPath), rec.ports);
  } finally {
    await Promise.all([remove(rec.pcapPath), remove(meta)]);
  }
}

async function fromDaemon(callId: string, dir: string, s: RecordingStore): Promise<Buffer | undefined> {
  const escaped = rtpengineEscape(callId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const name = new RegExp(`^${escaped}-[0-9a-f]{16}-mix\\.wav$`);
  const complete = await until(async () => {
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => name.test(f));
    for (const f of files) {
      const file = path.join(dir, f);
      const buf = await readFile(file).catch(() => undefined);
      if (buf && isCompleteWav(buf)) return { file, buf };
    }
    return undefined;
  }, s.waitMs ?? DEFAULT_WAIT_MS);
  if (!complete) return undefined;
  try {
    return encodeWav(twoChannels(decodeWav(complete.buf)));
  } finally {
    await remove(complete.file);
  }
}

/**
 * File a finished call's recording; undefined when there is none (no audio, or
 * rtpengine's files did not appear). Never throws: a call without its recording
 * is still a call.
 */
export async function fileRecording(rec: CallRecording, s: RecordingStore): Promise<string | undefined> {
  const log = s.logger.child({ callId: rec.callId });
  try {
    const { pcapPath } = rec;
    const wav = pcapPath
      ? await fromPcap({ ...rec, pcapPath }, s)
      : s.daemonOutputDir
        ? await fromDaemon(rec.callId, s.daemonOutputDir, s)
        : undefined;
    if (!wav) {
      log.warn({ pcapPath, daemonOutputDir: s.daemonOutputDir }, 'the call was recorded but no audio was found');
      return undefined;
    }
    const file = await store(s.recordingsDir, rec.callId, wav);
    log.info({ file, bytes: wav.length }, 'recording filed');
    return file;
  } catch (err) {
    log.error({ err }, 'filing the recording failed');
    return undefined;
  }
}

/** Drop what rtpengine wrote for a call that was never answered. */
export async function discardRecording(rec: CallRecording): Promise<void> {
  if (rec.pcapPath) await Promise.all([remove(rec.pcapPath), remove(pcapMetadataPath(rec.pcapPath))]);
}
