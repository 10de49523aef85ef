import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { notFound } from '../../../errors.ts';
import { sitesRepository, type SiteRow } from '../../../db/repositories/sites.ts';
import type { AppDeps } from '../../app.ts';
import { requirePhone } from '../../inputs.ts';
import { IdParams, ListQuery, Page, errorResponses } from '../../schemas/common.ts';
import { Site, SiteCreate, SiteUpdate } from '../../schemas/sites.ts';

const toSite = (r: SiteRow): Site => ({
  ...r,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export async function siteRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const tags = ['sites'];

  app.get('/', { schema: { tags, querystring: ListQuery, response: { 200: Page(Site), ...errorResponses } } }, async (req) => {
    const page = await sitesRepository.list(pool, req.query.limit, req.query.offset);
    return { ...page, items: page.items.map(toSite) };
  });

  app.post('/', { schema: { tags, body: SiteCreate, response: { 201: Site, ...errorResponses } } }, async (req, reply) => {
    const b = req.body;
    const row = await sitesRepository.create(pool, {
      name: b.name,
      domain: b.domain,
      fallback_number: requirePhone(b.fallback_number, '/fallback_number', config.defaultCountry),
      hold_time_s: b.hold_time_s ?? 900,
      swap_selectors: b.swap_selectors ?? [],
      swap_phone_texts: b.swap_phone_texts ?? [],
    });
    return reply.code(201).send(toSite(row));
  });

  app.get('/:id', { schema: { tags, params: IdParams, response: { 200: Site, ...errorResponses } } }, async (req) => {
    const row = await sitesRepository.get(pool, req.params.id);
    if (!row) throw notFound('site', req.params.id);
    return toSite(row);
  });

  app.patch('/:id', { schema: { tags, params: IdParams, body: SiteUpdate, response: { 200: Site, ...errorResponses } } }, async (req) => {
    const b = req.body;
    const row = await sitesRepository.update(pool, req.params.id, {
      ...b,
      fallback_number: b.fallback_number === undefined ? undefined : requirePhone(b.fallback_number, '/fallback_number', config.defaultCountry),
    });
    if (!row) throw notFound('site', req.params.id);
    return toSite(row);
  });

  app.delete('/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    if (!(await sitesRepository.remove(pool, req.params.id))) throw notFound('site', req.params.id);
    return reply.code(204).send();
  });
}
