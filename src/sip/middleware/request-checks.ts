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
  return missing ? reject(400, 'MISSING_HEADER', `missing ${missing} header`) : undefined;
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

/** URI schemes ringpath reads a number or account from (RFC 3261 §19.1, RFC 3966). */
const READABLE_URI = /^(?:sips?|tel):[^\s]+$/i;

/**
 * Why ringpath cannot read this Request-URI (416 Unsupported URI Scheme, RFC
 * 3261 §8.2.2.1), or undefined. An unreadable Request-URI is refused, never
 * replaced by the To header: the two may name different parties.
 */
export function requestUriProblem(uri: string): SipReject | undefined {
  return READABLE_URI.test(uri) ? undefined : reject(416, 'URI_SCHEME_UNSUPPORTED', `cannot read the Request-URI ${JSON.stringify(uri.slice(0, 80))}`);
}

/**
 * The checks of a new INVITE, in order: required headers (400), the
 * Request-URI's length (414) and scheme (416), Max-Forwards exhausted (483, a
 * routing loop), an SDP offer in the body (488).
 */
export function inviteProblem(req: CheckedRequest): SipReject | undefined {
  const headers = requiredHeadersProblem(req);
  if (headers) return headers;
  if (req.uri.length > MAX_REQUEST_URI_LENGTH) return reject(414, 'REQUEST_URI_TOO_LONG', `${req.uri.length} characters`);
  const uri = requestUriProblem(req.uri);
  if (uri) return uri;
  if (req.get('Max-Forwards')?.trim() === '0') return reject(483, 'TOO_MANY_HOPS');
  if (!hasSdpOffer(req)) return reject(488, 'SDP_OFFER_REQUIRED');
  return undefined;
}
