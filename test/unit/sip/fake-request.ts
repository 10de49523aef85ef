// A stand-in for a drachtio request in unit tests: the Request-URI, headers
// looked up case-insensitively (as drachtio does), and an optional body.
import type { SipRequestView } from '../../../src/sip/srf.ts';

export interface FakeRequest extends SipRequestView {
  readonly body: string | undefined;
}

export function fakeRequest(
  uri: string,
  headers: Record<string, string | undefined> = {},
  opts: { method?: string; body?: string; source?: string } = {},
): FakeRequest {
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) byName.set(name.toLowerCase(), value);
  return {
    method: opts.method ?? 'INVITE',
    uri,
    callId: byName.get('call-id') ?? '',
    source_address: opts.source ?? '192.0.2.10',
    source_port: '5060',
    body: opts.body,
    get: (name) => byName.get(name.toLowerCase()),
    has: (name) => byName.has(name.toLowerCase()),
  };
}

/** The headers of a well-formed INVITE from the carrier, to take away from or spoil. */
export const INVITE_HEADERS: Readonly<Record<string, string>> = {
  Via: 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1',
  From: '<sip:+380501234567@192.0.2.10>;tag=1',
  To: '<sip:+380441234567@ringpath.example>',
  'Call-ID': 'abc@192.0.2.10',
  CSeq: '1 INVITE',
  Contact: '<sip:+380501234567@192.0.2.10:5060>',
  'Content-Type': 'application/sdp',
};

export const SDP = [
  'v=0',
  'o=carrier 1 1 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 4000 RTP/AVP 0 8',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');
