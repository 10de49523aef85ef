// rtpengine's pcap recordings to two-channel WAVs: synthetic captures built
// here, and sipp's G.711 sample when Debian's sip-tester is installed.
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { alawToLinear, pcapToWav, readRtpPackets, rtpToChannels, SAMPLE_RATE, ulawToLinear } from '../../../src/recordings/pcap-wav.ts';
import { decodeWav, rms } from '../../../src/recordings/wav.ts';

const PORTS = { caller: 40012, callee: 40000 };

interface Pkt {
  time: number;
  src: number;
  dst: number;
  pt?: number;
  seq?: number;
  ts: number;
  ssrc: number;
  payload: Buffer;
  rtcp?: boolean;
}

/** A pcap with raw IPv4 packets (LINKTYPE_RAW), as rtpengine writes with recording-format=raw. */
function pcap(packets: Pkt[], linktype = 101): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(linktype, 20);
  const records = packets.map((p) => {
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = p.rtcp ? 200 : (p.pt ?? 0);
    rtp.writeUInt16BE((p.seq ?? 0) & 0xffff, 2);
    rtp.writeUInt32BE(p.ts >>> 0, 4);
    rtp.writeUInt32BE(p.ssrc >>> 0, 8);
    const udpLen = 8 + 12 + p.payload.length;
    const ip = Buffer.alloc(20 + 8);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udpLen, 2);
    ip[8] = 64;
    ip[9] = 17;
    ip.set([127, 0, 0, 1], 12);
    ip.set([127, 0, 0, 1], 16);
    ip.writeUInt16BE(p.src, 20);
    ip.writeUInt16BE(p.dst, 22);
    ip.writeUInt16BE(udpLen, 24);
    const frame = Buffer.concat([ip, rtp, p.payload]);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.time), 0);
    rec.writeUInt32LE(Math.round((p.time % 1) * 1e6), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  return Buffer.concat([head, ...records]);
}

/** 20 ms packets of one byte value from one party. */
function stream(opts: { from: number; to: number; start: number; count: number; byte: number; pt?: number; ssrc: number; ts0?: number }): Pkt[] {
  return Array.from({ length: opts.count }, (_, i) => ({
    time: opts.start + i * 0.02,
    src: opts.from,
    dst: opts.to,
    pt: opts.pt ?? 0,
    seq: i,
    ts: (opts.ts0 ?? 1000) + i * 160,
    ssrc: opts.ssrc,
    payload: Buffer.alloc(160, opts.byte),
  }));
}

t.test('G.711 decoding matches the reference tables', async (t) => {
  t.equal(ulawToLinear(0xff), 0, 'μ-law 0xff is silence');
  t.equal(ulawToLinear(0x7f), 0, 'μ-law 0x7f is (negative) silence');
  t.equal(ulawToLinear(0x00), -32124);
  t.equal(ulawToLinear(0x80), 32124);
  t.equal(alawToLinear(0xd5), 8, 'A-law 0xd5 is the smallest positive step');
  t.equal(alawToLinear(0x55), -8);
  t.equal(alawToLinear(0xaa), 32256);
  t.equal(alawToLinear(0x2a), -32256);
});

t.test('the caller goes to channel 0 and the called party to channel 1, aligned in time', async (t) => {
  const T = 1_700_000_000;
  const packets = [
    ...stream({ from: 30000, to: PORTS.caller, start: T, count: 50, byte: 0x80, ssrc: 1 }), // 1 s of loud caller (PCMU)
    ...stream({ from: 30002, to: PORTS.callee, start: T + 0.5, count: 25, byte: 0xaa, pt: 8, ssrc: 2 }), // 0.5 s of callee (PCMA) from 0.5 s
    { time: T + 0.1, src: 30001, dst: PORTS.caller + 1, ts: 0, ssrc: 1, payload: Buffer.alloc(20), rtcp: true },
    { time: T + 0.2, src: 30000, dst: PORTS.caller, pt: 101, ts: 1000, ssrc: 1, payload: Buffer.alloc(4, 1) }, // telephone-event: ignored
    ...stream({ from: 5555, to: 49999, start: T, count: 5, byte: 0x80, ssrc: 9 }), // another call's port: ignored
  ];
  const wav = pcapToWav(pcap(packets), PORTS);
  t.ok(wav);
  const pcm = decodeWav(wav!);
  t.equal(pcm.sampleRate, SAMPLE_RATE);
  t.equal(pcm.channels.length, 2);
  const [caller, callee] = pcm.channels as [Int16Array, Int16Array];
  t.equal(caller.length, SAMPLE_RATE, 'one second long');
  t.equal(caller[0], 32124);
  t.equal(caller[SAMPLE_RATE - 1], 32124);
  t.equal(callee[0], 0, 'the called party is silent before it starts');
  t.equal(callee[SAMPLE_RATE / 2 - 1], 0);
  t.equal(callee[SAMPLE_RATE / 2], 32256, 'and starts half a second in');
  t.equal(callee[SAMPLE_RATE - 1], 32256);
});

t.test('RTP timestamps place samples; a lost packet leaves a gap, a jump re-anchors at arrival', async (t) => {
  const T = 100;
  const s = stream({ from: 1, to: PORTS.caller, start: T, count: 10, byte: 0x80, ssrc: 7 });
  const lost = s.filter((_, i) => i !== 3);
  const [caller] = rtpToChannels(readRtpPackets(pcap(lost)), PORTS)!;
  t.equal(caller.length, 1600);
  t.equal(caller[3 * 160 + 5], 0, 'the lost 20 ms are silence');
  t.equal(caller[4 * 160], 32124);

  // a source whose timestamps jump by an hour keeps to arrival time
  const jumped = stream({ from: 1, to: PORTS.caller, start: T, count: 10, byte: 0x80, ssrc: 7 }).map((p, i) =>
    i >= 5 ? { ...p, ts: p.ts + 3600 * SAMPLE_RATE } : p,
  );
  const [c2] = rtpToChannels(readRtpPackets(pcap(jumped)), PORTS)!;
  t.equal(c2.length, 1600, 'still 200 ms long');
});

t.test('no G.711 audio: no recording', async (t) => {
  t.equal(pcapToWav(pcap([]), PORTS), undefined);
  t.equal(pcapToWav(pcap(stream({ from: 1, to: PORTS.caller, start: 1, count: 3, byte: 1, pt: 18, ssrc: 1 })), PORTS), undefined, 'G.729 is not decoded');
});

t.test('a truncated last record is ignored; other files are refused', async (t) => {
  const full = pcap(stream({ from: 1, to: PORTS.caller, start: 1, count: 3, byte: 0x80, ssrc: 1 }));
  t.equal(readRtpPackets(full.subarray(0, full.length - 10)).length, 2);
  t.throws(() => readRtpPackets(Buffer.from('RIFF....WAVEfmt not a pcap at all')), /bad magic/);
  t.throws(() => readRtpPackets(pcap([], 113)), /link type 113/);
});

const SIPP_SAMPLE = '/usr/share/sip-tester/g711a.pcap';
t.test("sipp's G.711 A-law sample (Ethernet frames) decodes to speech", { skip: existsSync(SIPP_SAMPLE) ? false : `${SIPP_SAMPLE} is not installed (Debian package sip-tester)` }, async (t) => {
  const packets = readRtpPackets(readFileSync(SIPP_SAMPLE));
  t.ok(packets.length > 200, `${packets.length} RTP packets`);
  t.ok(packets.every((p) => p.payloadType === 8));
  const dst = packets[0]!.dstPort;
  const [caller, callee] = rtpToChannels(packets, { caller: dst, callee: 1 })!;
  t.ok(caller.length / SAMPLE_RATE > 6.5, `${(caller.length / SAMPLE_RATE).toFixed(2)} s`);
  t.ok(rms(caller) > 300, `caller RMS ${rms(caller).toFixed(0)}`);
  t.equal(rms(callee), 0);
});
