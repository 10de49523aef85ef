// What a request must look like before ringpath reads it at all. Pure: a request
// view in, a SipReject (or nothing) out. drachtio-server's parser discards much
// worse input before it gets here (see test/sip/malformed.test.ts); these checks
// answer what it lets through.
import { reject, type SipReject } from '../reject.ts';

/** Longer Request-URIs get 414; no carrier or phone sends anything near it. */
export const MAX_REQUEST_URI_LENGTH = 512;

/** Headers every request must carry to be processed at all (RFC 3261 §8.1.1). */
export const REQUIRED_HEADERS = ['Call-ID', 'From', 'To', 'CSeq'] as const;

/** The parts of a request the checks read (a drachtio request satisfies it). */
export interface CheckedRequest {
  readonly uri: string;
  readonly body?: string | undefined;
  get(name: string): string | undefined;
  has(name: string): boolean;
}

/** The first required header that is absent or empty. */
export function missingHeader(req: CheckedRequest): string | undefined {
  for (const h of REQUIRED_HEADERS) if (!req.has(h) || !req.get(h)) return h;
  return undefined;
}

/** Why a request without its required headers is refused (400), or undefined. */
export function requiredHeadersProblem(req: CheckedRequest): SipReject | undefined {
  const missing = missingHeader(req);
  return missing ? reject(400, `missing ${missing} header`) : undefined;
}

// The lines every usable offer has (RFC 4566 §5): the version first, a
// connection address (session or media level) and a media description.
const SDP_VERSION = /^\s*v=0\r?$/m;
const SDP_CONNECTION = /^c=IN IP[46] \S+/m;
const SDP_MEDIA = /^m=[a-z]+ \d{1,5}(?:\/\d+)? [\w/.-]+ \S+/m;

/**
 * True when the body is an SDP offer: Content-Type application/sdp, and the
 * version, connection and media lines of one. A body that only starts like SDP
 * would otherwise reach the phones (or rtpengine) and fail there.
 */
export function hasSdpOffer(req: CheckedRequest): boolean {
  const contentType = req.get('Content-Type');
  const body = req.body;
  if (!body || !contentType || !/^\s*application\/sdp\s*(?:;|$)/i.test(contentType)) return false;
  return SDP_VERSION.test(body) && SDP_CONNECTION.test(body) && SDP_MEDIA.test(body);
}

/**
 * The checks of a new INVITE, in order: required headers (400), the
 * Request-URI's length (414), Max-Forwards exhausted (483, a routing loop),
 * an SDP offer in the body (488).
 */
export function inviteProblem(req: CheckedRequest): SipReject | undefined {
  const headers = requiredHeadersProblem(req);
  if (headers) return headers;
  if (req.uri.length > MAX_REQUEST_URI_LENGTH) return reject(414, 'Request-URI too long');
  if (req.get('Max-Forwards')?.trim() === '0') return reject(483, 'too many hops');
  if (!hasSdpOffer(req)) return reject(488, 'an SDP offer is required');
  return undefined;
}
