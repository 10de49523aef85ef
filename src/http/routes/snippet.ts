// GET /dni.js: the DNI snippet (README "The snippet"). Public and cacheable; any
// page may load it (CORS *), and only the sites' allowed origins may then use
// /dni/v1 with it. Built from src/dni/snippet when dist/dni.js is missing.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadSnippet } from '../../dni/snippet-build.ts';

/** Seconds browsers and CDNs may keep the snippet before asking again (with its ETag). */
export const SNIPPET_MAX_AGE_S = 300;

interface Built {
  readonly body: string;
  readonly etag: string;
}

export async function snippetRoutes(app: FastifyInstance, opts: { file?: string }): Promise<void> {
  let built: Promise<Built> | undefined;
  const snippet = (): Promise<Built> => {
    built ??= loadSnippet(opts.file).then((body) => ({ body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }));
    // a failed build is tried again on the next request
    built.catch(() => (built = undefined));
    return built;
  };

  // built (when missing) as ringpath starts, not on a visitor's first request
  app.addHook('onReady', async () => {
    await snippet().catch((err: unknown) => app.log.warn({ err }, 'the DNI snippet could not be built; GET /dni.js will try again'));
  });

  app.get('/dni.js', { schema: { hide: true } }, async (request, reply) => {
    const { body, etag } = await snippet();
    reply
      .header('Cache-Control', `public, max-age=${SNIPPET_MAX_AGE_S}`)
      .header('ETag', etag)
      .header('Access-Control-Allow-Origin', '*')
      .header('X-Content-Type-Options', 'nosniff');
    const match = request.headers['if-none-match'];
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
    return reply.type('application/javascript; charset=utf-8').send(body);
  });
}
