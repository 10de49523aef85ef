import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, notFound, type FieldProblem } from '../../../errors.ts';
import { withTransaction } from '../../../db/pool.ts';
import { sitesRepository, type SiteRow } from '../../../db/repositories/sites.ts';
import { normalizeOrigin } from '../../../dni/origins.ts';
import type { AppDeps } from '../../app.ts';
import { requirePhone } from '../../inputs.ts';
import { IdParams, ListQuery, Page, errorResponses } from '../../schemas/common.ts';
import { Site, SiteCreate, SiteUpdate, SourceRules, SourceRulesPut } from '../../schemas/sites.ts';

/** The tag a site puts on its pages (the snippet is served by ringpath at /dni.js). */
export function snippetTag(publicUrl: string, publicKey: string): string {
  return `<script async src="${publicUrl}/dni.js" data-site="${publicKey}"></script>`;
}

const invalid = (problems: FieldProblem[]): AppError =>
  new AppError('VALIDATION_FAILED', `invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

/** Allowed origins as browsers send them; every one that is not an origin is named. */
function origins(input: readonly string[] | undefined): string[] | undefined {
  if (input === undefined) return undefined;
  const problems: FieldProblem[] = [];
  const out = new Set<string>();
  input.forEach((o, i) => {
    const r = normalizeOrigin(o);
    if (r.ok) out.add(r.origin);
    else problems.push({ field: `/allowed_origins/${i}`, message: r.message });
  });
  if (problems.length) throw invalid(problems);
  return [...out];
}

export async function siteRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const tags = ['sites'];
  const toSite = (r: SiteRow): Site => ({
    ...r,
    snippet: snippetTag(config.publicUrl, r.public_key),
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  });
  // the public DNI API caches sites; a change made here applies to it at once
  const changed = () => fastify.dniSites?.invalidate();

  app.get('/', { schema: { tags, summary: 'List sites', description: 'The sites whose visitors get tracking numbers, by id, a page at a time.', querystring: ListQuery, response: { 200: Page(Site), ...errorResponses } } }, async (req) => {
    const page = await sitesRepository.list(pool, req.query.limit, req.query.offset);
    return { ...page, items: page.items.map(toSite) };
  });

  app.post('/', { schema: { tags, summary: 'Add a site', description: 'Adds a site; the answer carries the snippet to put on its pages. Give it a pool of numbers with POST /pools.', body: SiteCreate, response: { 201: Site, ...errorResponses } } }, async (req, reply) => {
    const b = req.body;
    const row = await sitesRepository.create(pool, {
      name: b.name,
      domain: b.domain,
      fallback_number: requirePhone(b.fallback_number, '/fallback_number', config.defaultCountry, 'tracking'),
      hold_time_s: b.hold_time_s ?? 900,
      swap_selectors: b.swap_selectors ?? [],
      swap_phone_texts: b.swap_phone_texts ?? [],
      allowed_origins: origins(b.allowed_origins) ?? [],
      attribution_model: b.attribution_model ?? 'first_touch',
      heartbeat_s: b.heartbeat_s ?? 30,
      max_sessions_per_ip: b.max_sessions_per_ip ?? 20,
    });
    changed();
    return reply.code(201).send(toSite(row));
  });

  app.get('/:id', { schema: { tags, summary: 'Get a site', description: 'The site with its DNI settings and snippet.', params: IdParams, response: { 200: Site, ...errorResponses } } }, async (req) => {
    const row = await sitesRepository.get(pool, req.params.id);
    if (!row) throw notFound('site', req.params.id);
    return toSite(row);
  });

  app.patch('/:id', { schema: { tags, summary: 'Change a site', description: 'Sets the fields given; lists replace the stored ones. The public DNI API sees the change within seconds.', params: IdParams, body: SiteUpdate, response: { 200: Site, ...errorResponses } } }, async (req) => {
    const b = req.body;
    const row = await sitesRepository.update(pool, req.params.id, {
      ...b,
      fallback_number: b.fallback_number === undefined ? undefined : requirePhone(b.fallback_number, '/fallback_number', config.defaultCountry, 'tracking'),
      allowed_origins: origins(b.allowed_origins),
    });
    if (!row) throw notFound('site', req.params.id);
    changed();
    return toSite(row);
  });

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete a site',
        description: 'Deletes the site with its visitor sessions and source rules (204). Refused while it has a pool (409 SITE_HAS_POOL).',
        params: IdParams,
        response: { 204: Type.Null({ description: 'deleted' }), ...errorResponses },
      },
    }, async (req, reply) => {
    if (!(await sitesRepository.remove(pool, req.params.id))) throw notFound('site', req.params.id);
    changed();
    return reply.code(204).send(null);
  });

  app.get(
    '/:id/source-rules',
    {
      schema: {
        tags,
        summary: "A site's source rules",
        description: 'Rules that show a static tracking number to visits from a given source, in the order they are tried.',
        params: IdParams, response: { 200: SourceRules, ...errorResponses } } },
    async (req) => {
      if (!(await sitesRepository.get(pool, req.params.id))) throw notFound('site', req.params.id);
      return { rules: await sitesRepository.sourceRules(pool, req.params.id) };
    },
  );

  app.put(
    '/:id/source-rules',
    {
      schema: {
        tags,
        summary: "Replace a site's source rules",
        description:
          'A visit matching a rule is shown its static tracking number instead of a pool number. The list replaces the stored one; ' +
          'each rule names a static tracking number by id.',
        params: IdParams,
        body: SourceRulesPut,
        response: { 200: SourceRules, ...errorResponses },
      },
    },
    async (req) => {
      const siteId = req.params.id;
      const rules = req.body.rules;
      const pathProblems: FieldProblem[] = rules.flatMap((r, i) =>
        r.field === 'landing_path' && !r.value.startsWith('/') ? [{ field: `/rules/${i}/value`, message: 'a landing_path starts with "/" (e.g. /promo)' }] : [],
      );
      if (pathProblems.length) throw invalid(pathProblems);
      const result = await withTransaction(pool, async (tx) => {
        if (!(await sitesRepository.get(tx, siteId))) throw notFound('site', siteId);
        const kinds = await sitesRepository.trackingNumberKinds(tx, rules.map((r) => r.tracking_number_id));
        const missing = rules.flatMap((r, i) =>
          kinds.has(r.tracking_number_id) ? [] : [{ field: `/rules/${i}/tracking_number_id`, message: `tracking number ${r.tracking_number_id} does not exist` }],
        );
        if (missing.length) throw new AppError('REFERENCE_NOT_FOUND', missing.map((p) => `${p.field}: ${p.message}`).join('; '), missing);
        const pooled = rules.flatMap((r, i) =>
          kinds.get(r.tracking_number_id) === 'pool'
            ? [{ field: `/rules/${i}/tracking_number_id`, message: `tracking number ${r.tracking_number_id} is a pool number; a source rule shows a static number` }]
            : [],
        );
        if (pooled.length) throw new AppError('TRACKING_NUMBER_NOT_STATIC', pooled.map((p) => `${p.field}: ${p.message}`).join('; '), pooled);
        await sitesRepository.replaceSourceRules(tx, siteId, rules);
        return sitesRepository.sourceRules(tx, siteId);
      });
      changed();
      return { rules: result };
    },
  );
}
