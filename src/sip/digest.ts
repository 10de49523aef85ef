// SIP digest authentication (RFC 3261 §22) against stored HA1 digests, using
// drachtio-mw-digest-auth. Unknown users and wrong passwords get the same
// answer, so accounts cannot be enumerated.
import digest from 'drachtio-mw-digest-auth';

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

export async function authenticate(req: DigestRequest, opts: { realm: string; proxy: boolean; lookup: Ha1Lookup }): Promise<DigestOutcome> {
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
