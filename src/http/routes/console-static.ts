// The web console: the single-page app built into dist/console (by `npm install`,
// see console/build.ts), served at `/`. Any other GET that asks for HTML and is
// no API path gets index.html, so the app's own paths (/employees, /calls/…) load.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

export const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/console');

/** Paths that belong to the server, never to the app. */
const SERVER_PATHS = /^\/(api|dni|docs|recordings|webhooks|metrics|healthz|readyz)(\/|$)|^\/dni\.js$/;

/** Whether a request that matched no route should get the app's index.html. */
export function wantsConsolePage(method: string, url: string, accept: string | undefined): boolean {
  const p = url.split('?')[0]!;
  return (method === 'GET' || method === 'HEAD') && !SERVER_PATHS.test(p) && !/\.[A-Za-z0-9]+$/.test(p) && (accept ?? '').includes('text/html');
}

// not encapsulated: the not-found handler at the root sends index.html with reply.sendFile
export const consoleStaticRoutes = fp(async (app: FastifyInstance, opts: { dir?: string }): Promise<void> => {
  const root = opts.dir ?? CONSOLE_DIR;
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ dir: root }, 'the console is not built (npm install builds it); / answers 404');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // ours, below: send's own (public, max-age=0) would replace it
    cacheControl: false,
    setHeaders(res, file) {
      // built assets carry a content hash in their names; index.html must be fetched again
      res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
});

/** index.html for the app's own paths; undefined when the request is not one. */
export function consoleFallback(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (!wantsConsolePage(request.method, request.url, request.headers.accept)) return undefined;
  if (!('sendFile' in reply) || !existsSync(path.join(CONSOLE_DIR, 'index.html'))) return undefined;
  return reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html', CONSOLE_DIR);
}
