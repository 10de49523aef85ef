// WAV writing and reading, and keeping two channels of the recording daemon's mix.
import t from 'tap';
import { decodeWav, encodeWav, isCompleteWav, rms, twoChannels } from '../../../src/recordings/wav.ts';

const ch = (...s: number[]) => Int16Array.from(s);

t.test('a two-channel WAV round-trips, with a canonical header', async (t) => {
  const wav = encodeWav({ sampleRate: 8000, channels: [ch(1, -2, 32767), ch(-32768, 0, 5)] });
  t.equal(wav.length, 44 + 3 * 2 * 2);
  t.equal(wav.toString('ascii', 0, 4), 'RIFF');
  t.equal(wav.readUInt16LE(22), 2, 'channels');
  t.equal(wav.readUInt32LE(24), 8000, 'sample rate');
  t.equal(wav.readUInt32LE(28), 32000, 'byte rate');
  t.equal(wav.readInt16LE(44), 1, 'interleaved: left first');
  t.equal(wav.readInt16LE(46), -32768, 'then right');
  const back = decodeWav(wav);
  t.same([...back.channels[0]!], [1, -2, 32767]);
  t.same([...back.channels[1]!], [-32768, 0, 5]);
  t.ok(isCompleteWav(wav));
});

t.test('a WAV still being written is not complete', async (t) => {
  const wav = encodeWav({ sampleRate: 8000, channels: [ch(1, 2, 3, 4)] });
  t.notOk(isCompleteWav(wav.subarray(0, wav.length - 2)), 'cut short');
  const open = Buffer.from(wav);
  open.writeUInt32LE(0, 4); // sizes not filled in yet
  open.writeUInt32LE(0, 40);
  t.notOk(isCompleteWav(open), 'sizes still zero');
  t.notOk(isCompleteWav(Buffer.from('not a wav')));
});

t.test('WAVE_FORMAT_EXTENSIBLE PCM is read; other formats are refused', async (t) => {
  // ffmpeg writes the extensible header for more than two channels
  const plain = encodeWav({ sampleRate: 8000, channels: [ch(7), ch(8), ch(9), ch(10)] });
  const fmt = Buffer.alloc(8 + 40);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(40, 4);
  plain.copy(fmt, 8, 20, 36);
  fmt.writeUInt16LE(0xfffe, 8);
  fmt.writeUInt16LE(22, 24);
  fmt.writeUInt16LE(1, 32); // sub-format GUID starts with WAVE_FORMAT_PCM
  const data = plain.subarray(36);
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, data]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  const ext = decodeWav(Buffer.concat([head, body]));
  t.equal(ext.channels.length, 4);
  t.same(ext.channels.map((c) => c[0]), [7, 8, 9, 10]);

  const float = Buffer.from(plain);
  float.writeUInt16LE(3, 20);
  t.throws(() => decodeWav(float), /unsupported WAV format/);
});

t.test('twoChannels keeps the first two channels with sound', async (t) => {
  const four = { sampleRate: 8000, channels: [ch(0, 0), ch(5, 6), ch(0, 0), ch(-1, 0)] };
  t.same(twoChannels(four).channels.map((c) => [...c]), [[5, 6], [-1, 0]]);
  const one = { sampleRate: 8000, channels: [ch(0, 0), ch(0, 0), ch(3, 3), ch(0, 0)] };
  t.same(twoChannels(one).channels.map((c) => [...c]), [[3, 3], [0, 0]], 'padded with a silent channel');
});

t.test('rms', async (t) => {
  t.equal(rms(ch()), 0);
  t.equal(rms(ch(0, 0, 0)), 0);
  t.equal(rms(ch(3, -3, 3, -3)), 3);
});
