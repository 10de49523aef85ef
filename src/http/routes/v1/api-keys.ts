// /api/v1/api-keys: the API keys themselves (the same as `ringpath api-key create|list|revoke`).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyListing } from '../../../auth/api-keys.ts';
import { notFound } from '../../../errors.ts';
import type { AppDeps } from '../../app.ts';
import { ApiKey, ApiKeyCreate, CreatedApiKey } from '../../schemas/api-keys.ts';
import { IdParams, ListQuery, Page, errorResponses } from '../../schemas/common.ts';

/** The JSON form of a key; never its secret. */
export function apiKeyJson(k: ApiKeyListing) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    created_at: k.createdAt.toISOString(),
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}

export async function apiKeyRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool } = opts.deps;
  const tags = ['api-keys'];

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'list the API keys',
        description: 'Every API key, oldest first, revoked ones included; secrets are never shown again.',
        querystring: ListQuery,
        response: { 200: Page(ApiKey), ...errorResponses },
      },
    },
    async (req) => {
      const { items, total } = await listApiKeys(pool, req.query);
      return { items: items.map(apiKeyJson), total, limit: req.query.limit, offset: req.query.offset };
    },
  );

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'create an API key',
        description: 'Creates a key and answers it whole, once, in `key`; only its hash is stored.',
        body: ApiKeyCreate,
        response: { 201: CreatedApiKey, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { key, record } = await createApiKey(pool, req.body.name);
      return reply.code(201).send({ ...apiKeyJson({ ...record, lastUsedAt: null, revokedAt: null }), key });
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'revoke an API key',
        description:
          'From now on the key authenticates nothing. It stays listed with `revoked_at`; revoking it again changes nothing. A key may revoke itself.',
        params: IdParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    async (req) => {
      const revoked = await revokeApiKey(pool, req.params.id);
      if (!revoked) throw notFound('API key', req.params.id);
      return apiKeyJson(revoked);
    },
  );
}
