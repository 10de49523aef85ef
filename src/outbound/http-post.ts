// One outgoing POST with a timeout, a response size cap and the SSRF guard.
// Used by webhook delivery and the GA4 sender.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refusedLiteral } from './ssrf.ts';

export interface PostOptions {
  readonly timeoutMs: number;
  /** At most this many bytes of the response are read; the rest is dropped and the connection closed. */
  readonly maxResponseBytes: number;
  readonly allowPrivate: boolean;
}

export type PostResult =
  | { readonly ok: true; readonly status: number; readonly body: string; readonly truncated: boolean; readonly durationMs: number }
  | { readonly ok: false; readonly error: string; readonly durationMs: number };

export function post(url: string, body: string, headers: Record<string, string>, opts: PostOptions): Promise<PostResult> {
  const started = Date.now();
  const took = () => Date.now() - started;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, error: `not a URL: ${url}`, durationMs: 0 });
  }
  const literal = refusedLiteral(target, opts.allowPrivate);
  if (literal) return Promise.resolve({ ok: false, error: `destination refused: ${literal}`, durationMs: 0 });
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = lib.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'ringpath-webhooks', ...headers },
        lookup: guardedLookup(opts.allowPrivate) as unknown as typeof import('node:dns').lookup,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = opts.maxResponseBytes - size;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, Math.max(0, room)));
            size = opts.maxResponseBytes;
            truncated = true;
            done({ ok: true, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), truncated, durationMs: took() });
            res.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => done({ ok: true, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), truncated, durationMs: took() }));
        res.on('error', (err) => done({ ok: false, error: err.message, durationMs: took() }));
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, error: `timed out after ${opts.timeoutMs} ms`, durationMs: took() });
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (err: Error & { code?: string }) =>
      done({ ok: false, error: err.code === 'DESTINATION_REFUSED' ? `destination refused: ${err.message}` : err.message, durationMs: took() }),
    );
    req.end(body);
  });
}
