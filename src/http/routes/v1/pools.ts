import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, notFound, type FieldProblem } from '../../../errors.ts';
import { withTransaction, type Queryable } from '../../../db/pool.ts';
import {
  ONE_POOL_PER_SITE,
  isStillReferenced,
  isUniqueViolation,
  poolsRepository as repo,
  type PoolReferences,
  type PoolRow,
} from '../../../db/repositories/pools.ts';
import { trackingNumbersRepository } from '../../../db/repositories/tracking-numbers.ts';
import type { AppDeps } from '../../app.ts';
import { requirePhone } from '../../inputs.ts';
import { IdParams, ListQuery, Page, errorResponses } from '../../schemas/common.ts';
import { Pool, PoolCreate, PoolNumbersAdd, PoolNumbersAdded, PoolSummary, PoolUpdate } from '../../schemas/pools.ts';
import { poolNumbersWarnings } from '../../../tracking/warnings.ts';

const toPoolSummary = (r: PoolRow): PoolSummary => ({
  ...r,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

const toPool = (r: PoolRow, numbers: string[]): Pool => ({ ...toPoolSummary(r), numbers });

const REFERENCED: Record<keyof PoolReferences, string> = { site_id: 'site', routing_scheme_id: 'routing scheme' };

/** 422 naming every reference that points at nothing (the FK mapping stays as the fallback for races). */
async function requireReferences(db: Queryable, refs: PoolReferences): Promise<void> {
  const missing = await repo.missingReferences(db, refs);
  if (missing.length === 0) return;
  const problems = missing.map((f) => ({ field: `/${f}`, message: `${REFERENCED[f]} ${String(refs[f])} does not exist` }));
  throw new AppError('REFERENCE_NOT_FOUND', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

/**
 * The bulk-add input as E.164 numbers, or a 400 listing every entry that is not a
 * valid number or repeats an earlier entry (compared after normalisation).
 */
function normaliseBulk(inputs: readonly string[], defaultCountry: string): string[] {
  const problems: FieldProblem[] = [];
  const firstIndex = new Map<string, number>();
  let invalidPhones = 0;
  const numbers = inputs.map((input, i) => {
    const field = `/numbers/${i}`;
    try {
      const e164 = requirePhone(input, field, defaultCountry, 'tracking');
      const first = firstIndex.get(e164);
      if (first === undefined) firstIndex.set(e164, i);
      else problems.push({ field, message: `${e164} is already in this request at /numbers/${first}` });
      return e164;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      invalidPhones += 1;
      problems.push(...err.errors);
      return '';
    }
  });
  if (problems.length) {
    const what = problems.length === 1 ? 'an entry is' : `${problems.length} entries are`;
    throw new AppError(invalidPhones ? 'PHONE_INVALID' : 'VALIDATION_FAILED', `${what} invalid or repeated; nothing was added`, problems);
  }
  return numbers;
}

export async function poolRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const tags = ['pools'];

  async function poolWithNumbers(db: Queryable, id: number): Promise<Pool> {
    const row = await repo.get(db, id);
    if (!row) throw notFound('pool', id);
    return toPool(row, await repo.numbers(db, id));
  }

  app.get('/', { schema: { tags, summary: 'List pools', description: 'The number pools of the sites, without their numbers, by id, a page at a time.', querystring: ListQuery, response: { 200: Page(PoolSummary), ...errorResponses } } }, async (req) => {
    const page = await repo.list(pool, req.query.limit, req.query.offset);
    return { ...page, items: page.items.map(toPoolSummary) };
  });

  app.post('/', { schema: { tags, summary: 'Add a pool to a site', description: 'A site has at most one pool (409 SITE_HAS_POOL). Add its numbers with POST /pools/{id}/numbers.', body: PoolCreate, response: { 201: Pool, ...errorResponses } } }, async (req, reply) => {
    const b = req.body;
    await requireReferences(pool, b);
    try {
      const row = await repo.create(pool, { site_id: b.site_id, name: b.name, routing_scheme_id: b.routing_scheme_id ?? null });
      return reply.code(201).send(toPool(row, []));
    } catch (err) {
      if (!isUniqueViolation(err, ONE_POOL_PER_SITE)) throw err;
      throw AppError.field('SITE_HAS_POOL', '/site_id', `site ${b.site_id} already has a pool; a site has at most one`);
    }
  });

  app.get('/:id', { schema: { tags, summary: 'Get a pool', description: 'The pool with its numbers.', params: IdParams, response: { 200: Pool, ...errorResponses } } }, async (req) =>
    poolWithNumbers(pool, req.params.id),
  );

  app.patch('/:id', { schema: { tags, summary: 'Change a pool', description: 'Renames the pool or sets its routing scheme (null clears it); its site never changes.', params: IdParams, body: PoolUpdate, response: { 200: Pool, ...errorResponses } } }, async (req) => {
    await requireReferences(pool, { routing_scheme_id: req.body.routing_scheme_id });
    const row = await repo.update(pool, req.params.id, req.body);
    if (!row) throw notFound('pool', req.params.id);
    return toPool(row, await repo.numbers(pool, row.id));
  });

  app.delete('/:id', { schema: { tags, summary: 'Delete a pool', description: 'Deletes an empty pool (204); one with numbers is 409 POOL_HAS_NUMBERS.', params: IdParams } }, async (req, reply) => {
    const row = await repo.get(pool, req.params.id);
    if (!row) throw notFound('pool', req.params.id);
    const stillHasNumbers = (what: string) =>
      new AppError('POOL_HAS_NUMBERS', `pool ${row.id} still has ${what}; delete them or move them to another pool first`);
    if (row.size > 0) throw stillHasNumbers(`${row.size} number${row.size === 1 ? '' : 's'}`);
    try {
      if (!(await repo.remove(pool, row.id))) throw notFound('pool', row.id);
    } catch (err) {
      // numbers added since the check above
      if (isStillReferenced(err)) throw stillHasNumbers('numbers');
      throw err;
    }
    return reply.code(204).send();
  });

  app.post(
    '/:id/numbers',
    {
      schema: {
        tags,
        summary: 'Add numbers to a pool',
        description:
          'Adds pool tracking numbers, all or nothing: numbers that are already tracking numbers are 409 TRACKING_NUMBER_TAKEN, each named. ' +
          'The answer lists `warnings`: NO_ROUTING_SCHEME when the pool has no routing scheme, NUMBER_IS_EMPLOYEE_DESTINATION for a number an employee is rung on.',
        params: IdParams,
        body: PoolNumbersAdd,
        response: { 201: PoolNumbersAdded, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const numbers = normaliseBulk(req.body.numbers, config.defaultCountry);
      const result = await withTransaction(pool, async (tx) => {
        if (!(await repo.lockForNewNumbers(tx, id))) throw notFound('pool', id);
        const added = await trackingNumbersRepository.addToPool(tx, id, numbers);
        const taken = numbers.flatMap((n, i) => (added.has(n) ? [] : [{ field: `/numbers/${i}`, message: `${n} is already a tracking number` }]));
        // throwing rolls the whole add back
        if (taken.length) throw new AppError('TRACKING_NUMBER_TAKEN', `${taken.length} of the numbers are already tracking numbers; nothing was added`, taken);
        const saved = await poolWithNumbers(tx, id);
        const warnings = poolNumbersWarnings(numbers, saved.routing_scheme_id, await trackingNumbersRepository.employeesRungOn(tx, numbers));
        return { ...saved, warnings };
      });
      return reply.code(201).send(result);
    },
  );
}
