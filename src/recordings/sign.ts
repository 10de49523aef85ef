// Signed, expiring links to call recordings. The signature is the credential:
// whoever holds the link (HubSpot, a browser) may fetch that one file until the
// link expires, without an API key. Pure: no I/O, the clock is passed in.
import { createHmac, timingSafeEqual } from 'node:crypto';
import path from 'node:path';

/** Default lifetime of a recording link: 30 days. */
export const DEFAULT_RECORDING_URL_TTL_S = 30 * 24 * 3600;

/** A recording's file name as served: no directories, no leading dot, .wav. */
export const RECORDING_FILE = /^[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,199}\.wav$/;

export type LinkCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'bad_signature' | 'expired'; readonly message: string };

export interface RecordingLinks {
  /** The absolute URL of a recording file (its name under RECORDINGS_DIR), valid for the TTL from now. */
  url(file: string): string;
  /** A link to a stored recording path, or undefined when the path is not a servable recording. */
  link(call: { readonly recordingPath: string }): string | undefined;
  verify(file: string, expires: string | undefined, signature: string | undefined): LinkCheck;
}

export interface LinkOptions {
  readonly publicUrl: string;
  readonly secret: string;
  readonly ttlS?: number;
  /** Seconds since the epoch; Date.now by default. */
  readonly now?: () => number;
}

/** The signature of one file until one expiry time (base64url HMAC-SHA256). */
export function signRecording(secret: string, file: string, expires: number): string {
  return createHmac('sha256', secret).update(`ringpath-recording\n${file}\n${expires}`).digest('base64url');
}

export function verifyRecordingLink(
  secret: string,
  file: string,
  expires: string | undefined,
  signature: string | undefined,
  nowS: number,
): LinkCheck {
  if (!expires || !signature) return { ok: false, reason: 'missing', message: 'the link has no expires or signature parameter' };
  if (!/^\d{1,12}$/.test(expires) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) {
    return { ok: false, reason: 'malformed', message: 'the link\'s expires or signature parameter is malformed' };
  }
  const expected = Buffer.from(signRecording(secret, file, Number(expires)));
  if (!timingSafeEqual(expected, Buffer.from(signature))) {
    return { ok: false, reason: 'bad_signature', message: 'the link\'s signature does not match' };
  }
  if (Number(expires) < nowS) return { ok: false, reason: 'expired', message: 'the link has expired; ask for a new one' };
  return { ok: true };
}

export function recordingLinks(opts: LinkOptions): RecordingLinks {
  if (opts.secret.length < 16) throw new Error('the recording link secret must be at least 16 characters');
  const ttlS = opts.ttlS ?? DEFAULT_RECORDING_URL_TTL_S;
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const base = opts.publicUrl.replace(/\/+$/, '');
  const url = (file: string): string => {
    if (!RECORDING_FILE.test(file)) throw new Error(`not a recording file name: ${JSON.stringify(file)}`);
    const expires = now() + ttlS;
    return `${base}/recordings/${encodeURIComponent(file)}?expires=${expires}&signature=${signRecording(opts.secret, file, expires)}`;
  };
  return {
    url,
    link: ({ recordingPath }) => {
      const file = path.basename(recordingPath);
      return RECORDING_FILE.test(file) ? url(file) : undefined;
    },
    verify: (file, expires, signature) => verifyRecordingLink(opts.secret, file, expires, signature, now()),
  };
}
