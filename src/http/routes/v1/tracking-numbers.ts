import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, notFound, type FieldProblem } from '../../../errors.ts';
import type { Queryable } from '../../../db/pool.ts';
import {
  trackingNumbersRepository as repo,
  type TrackingKind,
  type TrackingNumberReferences,
  type TrackingNumberRow,
} from '../../../db/repositories/tracking-numbers.ts';
import type { AppDeps } from '../../app.ts';
import { requirePhone } from '../../inputs.ts';
import { IdParams, Page, errorResponses } from '../../schemas/common.ts';
import {
  TrackingNumber,
  TrackingNumberCreate,
  TrackingNumberListQuery,
  TrackingNumberSaved,
  TrackingNumberUpdate,
} from '../../schemas/tracking-numbers.ts';
import { trackingNumberWarnings } from '../../../tracking/warnings.ts';

const toTrackingNumber = (r: TrackingNumberRow): TrackingNumber => ({
  ...r,
  held_until: r.held_until?.toISOString() ?? null,
  released_at: r.released_at?.toISOString() ?? null,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

/** The number as saved, with the warnings about it. */
async function saved(db: Queryable, r: TrackingNumberRow): Promise<TrackingNumberSaved> {
  const facts = await repo.warningFacts(db, r);
  return {
    ...toTrackingNumber(r),
    warnings: trackingNumberWarnings({ number: r.number, kind: r.kind, routingSchemeId: r.routing_scheme_id, ...facts }),
  };
}

const CREATE_DOC = {
  summary: 'Add a tracking number',
  description:
    'A static number has one fixed source (source_name, UTMs); a pool number belongs to a site pool. The answer lists `warnings`: ' +
    'NO_ROUTING_SCHEME when its calls would ring nobody, NUMBER_IS_EMPLOYEE_DESTINATION when it is also a number an employee is rung on.',
};

const STATIC_ONLY = ['source_name', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const;

type KindFields = { pool_id?: number | undefined } & { [K in (typeof STATIC_ONLY)[number]]?: string | null | undefined };

/**
 * The fields a kind requires or forbids. A static number has one fixed source (source_name,
 * UTMs) and no pool; a pool number has a pool and takes its source from the visitor session.
 * On creation the required fields must be present; on update they may be left out.
 */
function kindProblems(kind: TrackingKind, b: KindFields, creating: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (kind === 'pool') {
    if (creating && b.pool_id === undefined) problems.push({ field: '/pool_id', message: 'is required for a pool number' });
    for (const f of STATIC_ONLY) {
      if (b[f] !== undefined && b[f] !== null) {
        problems.push({ field: `/${f}`, message: 'is only for static numbers; a pool number takes its source from the visitor session' });
      }
    }
  } else {
    if (b.pool_id !== undefined) problems.push({ field: '/pool_id', message: 'is only for pool numbers' });
    if (creating && b.source_name === undefined) {
      problems.push({ field: '/source_name', message: 'is required for a static number (e.g. "Billboard on Main St")' });
    }
  }
  return problems;
}

const invalid = (problems: FieldProblem[]): AppError =>
  new AppError('VALIDATION_FAILED', `invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

const REFERENCED: Record<keyof TrackingNumberReferences, string> = {
  pool_id: 'pool',
  routing_scheme_id: 'routing scheme',
  caller_id_for_employee_id: 'employee',
};

/** 422 naming every reference that points at nothing (the FK mapping stays as the fallback for races). */
async function requireReferences(db: Queryable, refs: TrackingNumberReferences): Promise<void> {
  const missing = await repo.missingReferences(db, refs);
  if (missing.length === 0) return;
  const problems = missing.map((f) => ({ field: `/${f}`, message: `${REFERENCED[f]} ${String(refs[f])} does not exist` }));
  throw new AppError('REFERENCE_NOT_FOUND', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

export async function trackingNumberRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const tags = ['tracking numbers'];

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'List tracking numbers',
        description: 'Static and pool tracking numbers by id, a page at a time; filter by kind or pool.',
        querystring: TrackingNumberListQuery,
        response: { 200: Page(TrackingNumber), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset, kind, pool_id } = req.query;
      const page = await repo.list(pool, { kind, pool_id }, limit, offset);
      return { ...page, items: page.items.map(toTrackingNumber) };
    },
  );

  app.post('/', { schema: { tags, ...CREATE_DOC, body: TrackingNumberCreate, response: { 201: TrackingNumberSaved, ...errorResponses } } }, async (req, reply) => {
    const b = req.body;
    const problems = kindProblems(b.kind, b, true);
    if (problems.length) throw invalid(problems);
    const number = requirePhone(b.number, '/number', config.defaultCountry, 'tracking');
    const refs = { pool_id: b.pool_id, routing_scheme_id: b.routing_scheme_id, caller_id_for_employee_id: b.caller_id_for_employee_id };
    await requireReferences(pool, refs);
    const row = await repo.create(pool, {
      number,
      kind: b.kind,
      pool_id: b.pool_id ?? null,
      source_name: b.source_name ?? null,
      utm_source: b.utm_source ?? null,
      utm_medium: b.utm_medium ?? null,
      utm_campaign: b.utm_campaign ?? null,
      utm_content: b.utm_content ?? null,
      utm_term: b.utm_term ?? null,
      routing_scheme_id: b.routing_scheme_id ?? null,
      caller_id_for_employee_id: b.caller_id_for_employee_id ?? null,
    });
    return reply.code(201).send(await saved(pool, row));
  });

  app.get('/:id', { schema: { tags, summary: 'Get a tracking number', description: 'The number with its source, routing scheme and hold state.', params: IdParams, response: { 200: TrackingNumber, ...errorResponses } } }, async (req) => {
    const row = await repo.get(pool, req.params.id);
    if (!row) throw notFound('tracking number', req.params.id);
    return toTrackingNumber(row);
  });

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change a tracking number',
        description: 'Sets the fields given (null clears one); its kind never changes. The answer lists `warnings` as POST does.',
        params: IdParams,
        body: TrackingNumberUpdate,
        response: { 200: TrackingNumberSaved, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const { kind, number, ...changes } = req.body;
      const existing = await repo.get(pool, id);
      if (!existing) throw notFound('tracking number', id);
      const problems = kindProblems(existing.kind, changes, false);
      if (kind !== undefined && kind !== existing.kind) {
        problems.unshift({ field: '/kind', message: `cannot be changed (it is ${existing.kind}); delete the number and add it again` });
      }
      if (problems.length) throw invalid(problems);
      const e164 = number === undefined ? undefined : requirePhone(number, '/number', config.defaultCountry, 'tracking');
      await requireReferences(pool, changes);
      const row = await repo.update(pool, id, { ...changes, number: e164 });
      if (!row) throw notFound('tracking number', id);
      return saved(pool, row);
    },
  );

  app.delete('/:id', { schema: { tags, summary: 'Delete a tracking number', description: 'Deletes the number (204); calls already made keep their record.', params: IdParams } }, async (req, reply) => {
    if (!(await repo.remove(pool, req.params.id))) throw notFound('tracking number', req.params.id);
    return reply.code(204).send();
  });
}
