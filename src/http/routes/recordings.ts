// GET /recordings/<file>.wav?expires=…&signature=…: a call recording behind a
// signed, expiring link (src/recordings/sign.ts), for the API and browsers.
// GET /recordings/t/<token>.wav: the same behind a stable, revocable token
// (src/recordings/tokens.ts), the URL HubSpot keeps on the call engagement.
// No API key: the signature or token is the credential, so the CRM can fetch and
// play it. Byte ranges are honoured (206 with Content-Range; 416 for a range beyond
// the file), so players can seek.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contentRange, parseRange } from '../../recordings/range.ts';
import { RECORDING_FILE } from '../../recordings/sign.ts';
import { recordingTokens, tokenOfSegment } from '../../recordings/tokens.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { problem, sendProblem } from '../problem.ts';

const Params = Type.Object({ file: Type.String({ maxLength: 255, description: 'the recording file, e.g. <call id>.wav' }) });
const Query = Type.Object({
  expires: Type.Optional(Type.String({ description: 'expiry of the link, seconds since the epoch' })),
  signature: Type.Optional(Type.String({ description: 'signature of the file name and expiry' })),
});

const NOT_FOUND = problem(404, 'RECORDING_NOT_FOUND', 'there is no such recording');

export async function recordingRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const dir = opts.deps.config.sip.recordingsDir;
  const links = opts.deps.recordingLinks;

  app.get(
    '/:file',
    {
      schema: {
        tags: ['recordings'],
        summary: 'A call recording (WAV, two channels: caller and called party) behind a signed, expiring link',
        description: 'Links come from ringpath (e.g. on CRM call engagements). Supports Range requests.',
        params: Params,
        querystring: Query,
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      if (!RECORDING_FILE.test(file)) return sendProblem(reply, NOT_FOUND);
      if (!links) return sendProblem(reply, problem(403, 'RECORDING_LINK_INVALID', 'recording links are not enabled on this server'));
      const check = links.verify(file, request.query.expires, request.query.signature);
      if (!check.ok) {
        request.log.info({ file, reason: check.reason }, 'recording link refused');
        return sendProblem(reply, problem(403, check.reason === 'expired' ? 'RECORDING_LINK_EXPIRED' : 'RECORDING_LINK_INVALID', check.message));
      }

      return serveRecording(request, reply, dir, file);
    },
  );

  app.get(
    '/t/:file',
    {
      schema: {
        tags: ['recordings'],
        summary: 'A call recording behind its stable, revocable token (the URL on CRM call engagements)',
        description: 'Never expires; DELETE /api/v1/calls/{id}/recording-link revokes it. Supports Range requests (206).',
        params: Params,
      },
    },
    async (request, reply) => {
      const token = tokenOfSegment(request.params.file);
      const file = token === undefined ? undefined : await recordingTokens.file(opts.deps.pool, token);
      if (file === undefined || !RECORDING_FILE.test(file)) return sendProblem(reply, NOT_FOUND);
      return serveRecording(request, reply, dir, file);
    },
  );
}

/** Streams a recording file from `dir`, with Range, If-Range and HEAD. */
async function serveRecording(request: FastifyRequest, reply: FastifyReply, dir: string, file: string): Promise<FastifyReply> {
  const full = path.join(dir, file);
  const st = await stat(full).catch(() => undefined);
  if (!st?.isFile()) return sendProblem(reply, NOT_FOUND);
  const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const lastModified = st.mtime.toUTCString();
  reply
    .header('accept-ranges', 'bytes')
    .header('etag', etag)
    .header('last-modified', lastModified)
    .header('cache-control', 'private, max-age=3600')
    .header('content-disposition', `inline; filename="${file}"`);

  // If-Range: a range of a file that changed since would mix two versions; send it whole instead
  const ifRange = request.headers['if-range'];
  const rangeHeader = ifRange === undefined || ifRange === etag || ifRange === lastModified ? request.headers.range : undefined;
  const range = parseRange(rangeHeader, st.size);
  if (range.kind === 'unsatisfiable') {
    reply.header('content-range', contentRange(range, st.size));
    return sendProblem(reply, problem(416, 'RANGE_NOT_SATISFIABLE', `the range ${JSON.stringify(rangeHeader)} is not within the ${st.size} bytes of the recording`));
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, st.size - 1];
  const length = st.size === 0 ? 0 : end - start + 1;
  reply.code(range.kind === 'partial' ? 206 : 200).type('audio/wav').header('content-length', length);
  if (range.kind === 'partial') reply.header('content-range', contentRange(range, st.size));
  // HEAD (fastify answers it with this handler): the headers only
  if (request.method === 'HEAD' || length === 0) return reply.send(Readable.from([]));
  return reply.send(createReadStream(full, { start, end }));
}
