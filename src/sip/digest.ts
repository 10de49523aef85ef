// SIP digest authentication (RFC 3261 §22) against stored HA1 digests, using
// drachtio-mw-digest-auth to check the response. Unknown users and wrong
// passwords get the same answer, so accounts cannot be enumerated. ringpath
// issues its own nonces: signed and timestamped with a secret every process
// shares, so a captured Authorization header stops working after NONCE_TTL_S
// and cannot be replayed against another Request-URI.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import digest from 'drachtio-mw-digest-auth';

export const NONCE_TTL_S = 300;

export interface Nonces {
  issue(): string;
  check(nonce: string): 'ok' | 'stale' | 'invalid';
}

/** Stateless nonces: `<issued-at, base36>.<random>.<HMAC>`; valid for NONCE_TTL_S seconds. */
export function nonces(secret: string, now: () => number = () => Math.floor(Date.now() / 1000)): Nonces {
  const mac = (ts: string, salt: string) => createHmac('sha256', secret).update(`sip-nonce:${ts}:${salt}`).digest('base64url').slice(0, 32);
  return {
    issue: () => {
      const ts = now().toString(36);
      const salt = randomBytes(6).toString('base64url');
      return `${ts}.${salt}.${mac(ts, salt)}`;
    },
    check: (nonce) => {
      const m = /^([0-9a-z]{1,12})\.([\w-]{8})\.([\w-]{32})$/.exec(nonce);
      if (!m) return 'invalid';
      const expected = Buffer.from(mac(m[1]!, m[2]!));
      const given = Buffer.from(m[3]!);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
      const age = now() - parseInt(m[1]!, 36);
      return age >= -5 && age <= NONCE_TTL_S ? 'ok' : 'stale';
    },
  };
}

export type DigestOutcome =
  | { readonly kind: 'ok'; readonly username: string }
  | { readonly kind: 'challenge'; readonly status: 401 | 407; readonly headers: Record<string, string> }
  | { readonly kind: 'failed'; readonly username: string | undefined };

export interface DigestRequest {
  readonly method: string;
  readonly uri: string;
  get(name: string): string | undefined;
  has(name: string): boolean;
}

/** HA1 for a username in a realm, or undefined when there is no such user. */
export type Ha1Lookup = (username: string, realm: string) => Promise<string | undefined>;

function challenge(opts: { realm: string; proxy: boolean; nonces: Nonces }, stale: boolean): DigestOutcome {
  const value = `Digest realm="${opts.realm}", algorithm=MD5, qop="auth", nonce="${opts.nonces.issue()}"${stale ? ', stale=true' : ''}`;
  return opts.proxy
    ? { kind: 'challenge', status: 407, headers: { 'Proxy-Authenticate': value } }
    : { kind: 'challenge', status: 401, headers: { 'WWW-Authenticate': value } };
}

const param = (header: string, name: string): string | undefined =>
  new RegExp(`[\\s,]${name}="([^"]*)"`, 'i').exec(` ${header.replace(/^\s*digest\s+/i, ', ')}`)?.[1];

/**
 * Whether credentials computed for `digestUri` fit this Request-URI. RFC 3261
 * says the two are equal; some UAs send only the host (`sip:host:port`), which
 * must then match the Request-URI's host.
 */
export function sameTarget(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  const parts = (u: string) => {
    const m = /^(sips?):(?:([^@;?]*)@)?([^;?]+)/i.exec(u.trim());
    return m ? { scheme: m[1]!.toLowerCase(), user: m[2], host: m[3]!.toLowerCase() } : undefined;
  };
  const d = parts(digestUri);
  const r = parts(requestUri);
  return d !== undefined && r !== undefined && d.user === undefined && d.scheme === r.scheme && d.host === r.host;
}

export async function authenticate(
  req: DigestRequest,
  opts: { realm: string; proxy: boolean; lookup: Ha1Lookup; nonces: Nonces },
): Promise<DigestOutcome> {
  const header = req.get('Authorization') ?? req.get('Proxy-Authorization');
  if (!header) return challenge(opts, false);
  const nonce = param(header, 'nonce');
  const state = nonce === undefined ? 'invalid' : opts.nonces.check(nonce);
  // a nonce ringpath did not issue, or issued too long ago: a fresh challenge
  if (state !== 'ok') return challenge(opts, state === 'stale');
  const uri = param(header, 'uri');
  if (uri !== undefined && !sameTarget(uri, req.uri)) return { kind: 'failed', username: param(header, 'username') };
  let username: string | undefined;
  const mw = digest({
    realm: opts.realm,
    proxy: opts.proxy,
    passwordLookup: (user, realm, cb) => {
      username = user;
      if (realm !== opts.realm) return cb(null, undefined);
      opts.lookup(user, realm).then(
        (ha1) => cb(null, ha1 ? { ha1 } : undefined),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
  // The middleware only reads the request; it never sees the real response.
  const view = { method: req.method, uri: req.uri, get: (n: string) => req.get(n), has: (n: string) => req.has(n) };
  return new Promise<DigestOutcome>((resolve) => {
    const res = {
      send(status: number, o?: { headers?: Record<string, string> }) {
        if (status === 401 || status === 407) resolve({ kind: 'challenge', status, headers: o?.headers ?? {} });
        else resolve({ kind: 'failed', username });
      },
    };
    mw(view, res, () => resolve({ kind: 'ok', username: username ?? '' }));
  });
}
