// A site's allowed origins, as browsers send them in the Origin header:
// scheme://host[:port], lower case, without the scheme's default port. Pure.

export type OriginResult = { readonly ok: true; readonly origin: string } | { readonly ok: false; readonly message: string };

/** The origin as browsers serialise it, or why the input is not one. */
export function normalizeOrigin(input: string): OriginResult {
  const raw = input.trim();
  if (/^https?:\/\/\/?$/i.test(raw)) return { ok: false, message: `${JSON.stringify(input)} has no host` };
  const m = /^(https?):\/\/([^/?#]+?)\/?$/i.exec(raw);
  if (!m) {
    return /^https?:\/\//i.test(raw)
      ? { ok: false, message: `${JSON.stringify(input)} has a path, query or fragment; an origin is only scheme://host[:port]` }
      : { ok: false, message: `${JSON.stringify(input)} is not an origin: expected http(s)://host[:port], e.g. https://shop.example.com` };
  }
  if (m[2]!.includes('@')) return { ok: false, message: `${JSON.stringify(input)} has credentials; an origin is only scheme://host[:port]` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: `${JSON.stringify(input)} is not an origin: its host or port cannot be read` };
  }
  if (!url.hostname) return { ok: false, message: `${JSON.stringify(input)} has no host` };
  return { ok: true, origin: url.origin };
}
