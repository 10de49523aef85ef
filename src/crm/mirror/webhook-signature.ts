// HubSpot webhook signatures, version 3: base64(HMAC-SHA256(client secret,
// method + URI + body + timestamp)), with X-HubSpot-Request-Timestamp in
// milliseconds. Requests older than 5 minutes are refused (replays), and so are
// ones dated more than 5 minutes ahead (a clock that far off cannot be trusted).
// Pure; compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;

export interface SignedRequest {
  readonly method: string;
  /** The full URL HubSpot posted to, as configured in the app: PUBLIC_URL + path and query. */
  readonly uri: string;
  /** The body exactly as received. */
  readonly body: string;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
}

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'MISSING' | 'STALE' | 'MALFORMED' | 'MISMATCH'; readonly message: string };

/**
 * HubSpot signs the URI with these characters decoded (its documentation lists
 * them); the rest stay as sent.
 */
const DECODED: Readonly<Record<string, string>> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function signedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

export function signatureV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method.toUpperCase()}${signedUri(uri)}${body}${timestamp}`, 'utf8').digest('base64');
}

export function checkSignatureV3(secret: string, req: SignedRequest, now: number = Date.now()): SignatureCheck {
  if (!req.signature || !req.timestamp) {
    return { ok: false, reason: 'MISSING', message: 'X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required' };
  }
  if (!/^\d{1,16}$/.test(req.timestamp.trim())) {
    return { ok: false, reason: 'MALFORMED', message: 'X-HubSpot-Request-Timestamp must be milliseconds since 1970' };
  }
  const age = now - Number(req.timestamp.trim());
  if (age > MAX_SIGNATURE_AGE_MS || age < -MAX_SIGNATURE_AGE_MS) {
    const when = age > 0 ? `${Math.ceil(age / 1000)} s old` : `dated ${Math.ceil(-age / 1000)} s in the future`;
    return { ok: false, reason: 'STALE', message: `the request is ${when}; at most ${MAX_SIGNATURE_AGE_MS / 1000} s either way are accepted` };
  }
  const expected = Buffer.from(signatureV3(secret, req.method, req.uri, req.body, req.timestamp.trim()), 'utf8');
  const given = Buffer.from(req.signature.trim(), 'utf8');
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time the same either way
  const same = given.length === expected.length ? timingSafeEqual(given, expected) : (timingSafeEqual(expected, expected), false);
  return same ? { ok: true } : { ok: false, reason: 'MISMATCH', message: 'the signature does not match this request' };
}
