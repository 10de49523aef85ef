// 16-bit PCM WAV files: writing ringpath's recordings and reading the
// rtpengine recording daemon's. Pure (buffers in, buffers out).

export interface Pcm {
  readonly sampleRate: number;
  /** One array of samples per channel, all the same length. */
  readonly channels: readonly Int16Array[];
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** A canonical 44-byte-header WAV of the channels, interleaved. */
export function encodeWav(pcm: Pcm): Buffer {
  const n = pcm.channels.length;
  if (n === 0) throw new Error('a WAV needs at least one channel');
  const frames = Math.max(...pcm.channels.map((c) => c.length));
  const dataBytes = frames * n * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  out.writeUInt16LE(n, 22);
  out.writeUInt32LE(pcm.sampleRate, 24);
  out.writeUInt32LE(pcm.sampleRate * n * 2, 28);
  out.writeUInt16LE(n * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let ch = 0; ch < n; ch++) {
    const samples = pcm.channels[ch]!;
    for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, 44 + (i * n + ch) * 2);
  }
  return out;
}

interface Chunks {
  readonly format?: { channels: number; sampleRate: number; bits: number; tag: number };
  readonly data?: { offset: number; declared: number };
}

function chunks(buf: Buffer): Chunks | undefined {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let format: Chunks['format'];
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ' && off + 24 <= buf.length) {
      let tag = buf.readUInt16LE(off + 8);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID
      if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 40 && off + 34 <= buf.length) tag = buf.readUInt16LE(off + 32);
      format = { tag, channels: buf.readUInt16LE(off + 10), sampleRate: buf.readUInt32LE(off + 12), bits: buf.readUInt16LE(off + 22) };
    }
    if (id === 'data') return { ...(format ? { format } : {}), data: { offset: off + 8, declared: size } };
    off += 8 + size + (size % 2);
  }
  return format ? { format } : {};
}

/**
 * Whether a WAV's header has been finalised: the writer fills in the sizes when
 * it closes the file, so a file still being written does not pass.
 */
export function isCompleteWav(buf: Buffer): boolean {
  const c = chunks(buf);
  if (!c?.data || buf.readUInt32LE(4) + 8 !== buf.length) return false;
  return c.data.offset + c.data.declared <= buf.length && c.data.declared !== 0xffffffff;
}

/** The samples of a 16-bit PCM WAV; throws for anything else. */
export function decodeWav(buf: Buffer): Pcm {
  const c = chunks(buf);
  if (!c) throw new Error('not a RIFF/WAVE file');
  if (!c.format || !c.data) throw new Error('the WAV has no fmt or data chunk');
  const { channels: n, sampleRate, bits, tag } = c.format;
  if (tag !== WAVE_FORMAT_PCM || bits !== 16 || n < 1) throw new Error(`unsupported WAV format (tag ${tag}, ${bits} bits, ${n} channels)`);
  const bytes = Math.min(c.data.declared, buf.length - c.data.offset);
  const frames = Math.floor(bytes / (2 * n));
  const channels = Array.from({ length: n }, () => new Int16Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let ch = 0; ch < n; ch++) channels[ch]![i] = buf.readInt16LE(c.data.offset + (i * n + ch) * 2);
  }
  return { sampleRate, channels };
}

/** Root mean square of a channel's samples (0 for silence, up to 32768). */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/**
 * Two channels from the recording daemon's channel-per-source mix (which has
 * four, filled in order of each source's first packet): the first two that
 * carry sound, padded with silence.
 */
export function twoChannels(pcm: Pcm): Pcm {
  if (pcm.channels.length === 2) return pcm;
  const frames = pcm.channels[0]?.length ?? 0;
  const audible = pcm.channels.filter((c) => c.some((s) => s !== 0));
  const picked = [...audible, ...pcm.channels.filter((c) => !audible.includes(c))].slice(0, 2);
  while (picked.length < 2) picked.push(new Int16Array(frames));
  return { sampleRate: pcm.sampleRate, channels: picked };
}
