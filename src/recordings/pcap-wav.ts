// A call's RTP, as rtpengine writes it with --recording-method=pcap, turned into
// a two-channel WAV: channel 0 the caller, channel 1 the called party. Pure.
//
// rtpengine records every packet it receives, with the sender as source and its
// own media port as destination. The caller sends to the port in the SDP that
// answered the caller, the called party to the port in the SDP it was offered,
// so the destination port tells the parties apart. Samples are placed by RTP
// timestamp within a source, and sources by arrival time, so the two channels
// stay aligned. G.711 (PCMU, PCMA) is decoded; other payloads are left silent.

import { encodeWav } from './wav.ts';

export const SAMPLE_RATE = 8000;
/** Longest recording produced (4 hours); later audio is dropped. */
export const MAX_SAMPLES = 4 * 3600 * SAMPLE_RATE;

export interface RtpPacket {
  /** Arrival time in seconds. */
  readonly time: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payloadType: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Buffer;
}

/** rtpengine's media ports: where each party sends its audio. */
export interface PartyPorts {
  readonly caller: number;
  readonly callee: number;
}

const LINKTYPE_ETHERNET = 1;
const RAW_LINKTYPES = new Set([12, 14, 101]); // DLT_RAW and LINKTYPE_RAW

/** The RTP packets of a pcap file; a truncated last record is ignored. */
export function readRtpPackets(pcap: Buffer): RtpPacket[] {
  if (pcap.length < 24) throw new Error('not a pcap file (too short)');
  const magic = pcap.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const be = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!le && !be) throw new Error('not a pcap file (bad magic)');
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (off: number) => (le ? pcap.readUInt32LE(off) : pcap.readUInt32BE(off));
  const linktype = u32(20) & 0x0fffffff;
  if (linktype !== LINKTYPE_ETHERNET && !RAW_LINKTYPES.has(linktype)) throw new Error(`unsupported pcap link type ${linktype}`);
  const packets: RtpPacket[] = [];
  let off = 24;
  while (off + 16 <= pcap.length) {
    const time = u32(off) + u32(off + 4) / (nano ? 1e9 : 1e6);
    const caplen = u32(off + 8);
    off += 16;
    if (off + caplen > pcap.length) break;
    const frame = pcap.subarray(off, off + caplen);
    off += caplen;
    const ip = linktype === LINKTYPE_ETHERNET ? ethernetPayload(frame) : frame;
    const p = ip && rtpOf(ip, time);
    if (p) packets.push(p);
  }
  return packets;
}

function ethernetPayload(frame: Buffer): Buffer | undefined {
  if (frame.length < 14) return undefined;
  let off = 12;
  let type = frame.readUInt16BE(off);
  if (type === 0x8100 && frame.length >= 18) type = frame.readUInt16BE((off += 4)); // one VLAN tag
  return type === 0x0800 || type === 0x86dd ? frame.subarray(off + 2) : undefined;
}

function rtpOf(ip: Buffer, time: number): RtpPacket | undefined {
  if (ip.length < 1) return undefined;
  let udp: number;
  const version = ip[0]! >> 4;
  if (version === 4) {
    if (ip.length < 20 || ip[9] !== 17) return undefined;
    udp = (ip[0]! & 0x0f) * 4;
  } else if (version === 6) {
    if (ip.length < 40 || ip[6] !== 17) return undefined;
    udp = 40;
  } else return undefined;
  if (ip.length < udp + 8 + 12) return undefined;
  const rtp = ip.subarray(udp + 8, udp + ip.readUInt16BE(udp + 4));
  if (rtp.length < 12 || rtp[0]! >> 6 !== 2) return undefined;
  const payloadType = rtp[1]! & 0x7f;
  if (payloadType >= 72 && payloadType <= 76) return undefined; // RTCP
  let start = 12 + (rtp[0]! & 0x0f) * 4;
  if (rtp[0]! & 0x10) {
    if (rtp.length < start + 4) return undefined;
    start += 4 + rtp.readUInt16BE(start + 2) * 4;
  }
  let end = rtp.length;
  if (rtp[0]! & 0x20) end -= rtp[rtp.length - 1]!;
  if (start > end) return undefined;
  return {
    time,
    srcPort: ip.readUInt16BE(udp),
    dstPort: ip.readUInt16BE(udp + 2),
    payloadType,
    timestamp: rtp.readUInt32BE(4),
    ssrc: rtp.readUInt32BE(8),
    payload: rtp.subarray(start, end),
  };
}

export function ulawToLinear(u: number): number {
  const v = ~u & 0xff;
  const t = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4);
  return v & 0x80 ? 0x84 - t : t - 0x84;
}

export function alawToLinear(a: number): number {
  const v = a ^ 0x55;
  const seg = (v & 0x70) >> 4;
  let t = (v & 0x0f) << 4;
  t = seg === 0 ? t + 8 : seg === 1 ? t + 0x108 : (t + 0x108) << (seg - 1);
  return v & 0x80 ? t : -t;
}

const DECODERS: Record<number, (b: number) => number> = { 0: ulawToLinear, 8: alawToLinear };

/** A growing channel of samples at SAMPLE_RATE. */
class Track {
  samples = new Int16Array(SAMPLE_RATE * 10);
  length = 0;
  put(at: number, data: Buffer, decode: (b: number) => number): void {
    if (at < 0 || at >= MAX_SAMPLES) return;
    const end = Math.min(at + data.length, MAX_SAMPLES);
    if (end > this.samples.length) {
      const grown = new Int16Array(Math.min(MAX_SAMPLES, Math.max(end, this.samples.length * 2)));
      grown.set(this.samples);
      this.samples = grown;
    }
    for (let i = at; i < end; i++) this.samples[i] = decode(data[i - at]!);
    this.length = Math.max(this.length, end);
  }
}

/** Where each source's timeline starts: its first packet's arrival and RTP timestamp. */
interface Anchor {
  at: number;
  timestamp: number;
}

/** Samples further than this from where arrival time puts them re-anchor their source. */
const MAX_DRIFT = SAMPLE_RATE;

/** The two channels of a call's RTP; undefined when no packet of either party carries G.711 audio. */
export function rtpToChannels(packets: readonly RtpPacket[], ports: PartyPorts): [Int16Array, Int16Array] | undefined {
  const parties = packets.filter((p) => p.dstPort === ports.caller || p.dstPort === ports.callee);
  const audio = parties.filter((p) => DECODERS[p.payloadType] && p.payload.length > 0);
  if (audio.length === 0) return undefined;
  const t0 = audio.reduce((min, p) => Math.min(min, p.time), Infinity);
  const tracks = [new Track(), new Track()] as const;
  const anchors = new Map<string, Anchor>();
  for (const p of audio) {
    const track = p.dstPort === ports.caller ? 0 : 1;
    const key = `${track}:${p.ssrc}`;
    const arrival = Math.round((p.time - t0) * SAMPLE_RATE);
    let anchor = anchors.get(key);
    let at = anchor ? anchor.at + ((p.timestamp - anchor.timestamp) | 0) : arrival;
    if (!anchor || Math.abs(at - arrival) > MAX_DRIFT) {
      anchor = { at: arrival, timestamp: p.timestamp };
      anchors.set(key, anchor);
      at = arrival;
    }
    tracks[track].put(at, p.payload, DECODERS[p.payloadType]!);
  }
  const frames = Math.max(tracks[0].length, tracks[1].length);
  const out = (t: Track) => {
    const c = new Int16Array(frames);
    c.set(t.samples.subarray(0, Math.min(t.length, frames)));
    return c;
  };
  return [out(tracks[0]), out(tracks[1])];
}

/** A two-channel WAV (caller, called party) of an rtpengine pcap, or undefined without audio. */
export function pcapToWav(pcap: Buffer, ports: PartyPorts): Buffer | undefined {
  const channels = rtpToChannels(readRtpPackets(pcap), ports);
  return channels ? encodeWav({ sampleRate: SAMPLE_RATE, channels }) : undefined;
}
