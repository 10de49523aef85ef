import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, notFound, type FieldProblem } from '../../../errors.ts';
import { withTransaction, type Queryable } from '../../../db/pool.ts';
import {
  routingSchemesRepository as schemes,
  type RoutingSchemeRow,
  type RoutingStep,
} from '../../../db/repositories/routing-schemes.ts';
import { parseSchedule, type Schedule } from '../../../routing/schedule.ts';
import type { AppDeps } from '../../app.ts';
import { requirePhone } from '../../inputs.ts';
import { IdParams, ListQuery, Page, errorResponses } from '../../schemas/common.ts';
import { RoutingScheme, RoutingSchemeCreate, RoutingSchemeUpdate, type StepInput } from '../../schemas/routing-schemes.ts';

const DEFAULT_RING_TIMEOUT_S = 20;

const toScheme = (r: RoutingSchemeRow): RoutingScheme => ({
  ...r,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

function schemeName(input: string): string {
  const name = input.trim();
  if (name === '') throw AppError.field('VALIDATION_FAILED', '/name', 'must not be blank');
  return name;
}

function requireSchedule(input: unknown, field: string): Schedule {
  const r = parseSchedule(input);
  if (r.ok) return r.schedule;
  const errors = r.problems.map((p) => ({ field: `${field}${p.field}`, message: p.message }));
  throw new AppError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/** A step as sent (already schema-checked) → the stored step: defaults applied, number and schedule normalised. */
function toStep(s: StepInput, i: number, country: string): RoutingStep {
  const at = `/steps/${i}`;
  const common = {
    ring_timeout_s: s.ring_timeout_s ?? DEFAULT_RING_TIMEOUT_S,
    ...(s.schedule === undefined ? {} : { schedule: requireSchedule(s.schedule, `${at}/schedule`) }),
  };
  switch (s.type) {
    case 'responsible_manager':
      return { type: s.type, ...common, lookup_order: s.lookup_order };
    case 'employees':
      return { type: s.type, ...common, employee_ids: s.employee_ids, ring_strategy: s.ring_strategy };
    case 'new_client_distribution':
      return { type: s.type, ...common, mode: s.mode };
    case 'senior_manager':
      return { type: s.type, ...common };
    case 'external_number':
      return { type: s.type, ...common, number: requirePhone(s.number, `${at}/number`, country, 'ringing') };
  }
}

/**
 * Every employee named by an `employees` step exists and can be rung. Quality
 * control employees listen to recordings but are never rung (SPEC §8).
 */
async function assertRingable(tx: Queryable, steps: readonly RoutingStep[]): Promise<void> {
  const ids = [...new Set(steps.flatMap((s) => (s.type === 'employees' ? s.employee_ids : [])))];
  const roles = await schemes.employeeRoles(tx, ids);
  const missing: FieldProblem[] = [];
  const notRingable: FieldProblem[] = [];
  steps.forEach((s, i) => {
    if (s.type !== 'employees') return;
    s.employee_ids.forEach((id, j) => {
      const field = `/steps/${i}/employee_ids/${j}`;
      const role = roles.get(id);
      if (role === undefined) missing.push({ field, message: `employee ${id} does not exist` });
      else if (role === 'quality_control') {
        notRingable.push({ field, message: `employee ${id} is in quality control; quality control employees are never rung` });
      }
    });
  });
  const problems = [...missing, ...notRingable];
  if (problems.length > 0) {
    const code = missing.length > 0 ? 'REFERENCE_NOT_FOUND' : 'EMPLOYEE_NOT_RINGABLE';
    throw new AppError(code, problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }
}

async function mustGet(db: Queryable, id: number): Promise<RoutingSchemeRow> {
  const row = await schemes.get(db, id);
  if (!row) throw notFound('routing scheme', id);
  return row;
}

/** The unique index on lower(name) as a conflict naming /name. */
function rethrowNameTaken(err: unknown): never {
  const pg = err as { code?: unknown; constraint?: unknown };
  if (pg.code === '23505' && pg.constraint === 'routing_schemes_name_key') {
    throw AppError.field('SCHEME_NAME_TAKEN', '/name', 'is already used by another routing scheme');
  }
  throw err;
}

export async function routingSchemeRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const tags = ['routing schemes'];
  const toSteps = (input: readonly StepInput[]) => input.map((s, i) => toStep(s, i, config.defaultCountry));

  app.get('/', { schema: { tags, summary: 'List routing schemes', description: 'Routing schemes with their steps, by id, a page at a time.', querystring: ListQuery, response: { 200: Page(RoutingScheme), ...errorResponses } } }, async (req) => {
    const page = await schemes.list(pool, req.query.limit, req.query.offset);
    return { ...page, items: page.items.map(toScheme) };
  });

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Add a routing scheme',
        description:
          'A scheme is an ordered list of steps (responsible manager, employees, new-client distribution, senior manager, external number), ' +
          'each with a ring timeout and optional working hours; a call runs through them until someone answers. Names are unique (409 SCHEME_NAME_TAKEN).',
        body: RoutingSchemeCreate,
        response: { 201: RoutingScheme, ...errorResponses },
      },
    },
    async (req, reply) => {
      const values = { name: schemeName(req.body.name), steps: toSteps(req.body.steps) };
      const row = await withTransaction(pool, async (tx) => {
        await assertRingable(tx, values.steps);
        return mustGet(tx, await schemes.create(tx, values));
      }).catch(rethrowNameTaken);
      return reply.code(201).send(toScheme(row));
    },
  );

  app.get('/:id', { schema: { tags, summary: 'Get a routing scheme', description: 'The scheme with its steps in order.', params: IdParams, response: { 200: RoutingScheme, ...errorResponses } } }, async (req) => {
    return toScheme(await mustGet(pool, req.params.id));
  });

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change a routing scheme',
        description: 'Renames the scheme, or replaces all its steps with the ones given.',
        params: IdParams,
        body: RoutingSchemeUpdate,
        response: { 200: RoutingScheme, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const name = req.body.name === undefined ? undefined : schemeName(req.body.name);
      const steps = req.body.steps === undefined ? undefined : toSteps(req.body.steps);
      const row = await withTransaction(pool, async (tx) => {
        if (!(await schemes.lock(tx, id))) throw notFound('routing scheme', id);
        if (steps !== undefined) {
          await assertRingable(tx, steps);
          await schemes.replaceSteps(tx, id, steps);
        }
        // a name conflict here rolls back the new steps too
        if (name !== undefined) await schemes.rename(tx, id, name);
        return mustGet(tx, id);
      }).catch(rethrowNameTaken);
      return toScheme(row);
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete a routing scheme',
        description: 'Deletes the scheme (204); one used by tracking numbers or pools is 409 SCHEME_IN_USE.',
        params: IdParams,
      },
    }, async (req, reply) => {
    const { id } = req.params;
    await withTransaction(pool, async (tx) => {
      if (!(await schemes.lock(tx, id))) throw notFound('routing scheme', id);
      const refs = await schemes.references(tx, id);
      if (refs.tracking_numbers > 0 || refs.pools > 0) {
        throw new AppError(
          'SCHEME_IN_USE',
          `routing scheme ${id} is used by ${refs.tracking_numbers} tracking number(s) and ${refs.pools} pool(s); point them at another scheme first`,
        );
      }
      await schemes.remove(tx, id);
    });
    return reply.code(204).send();
  });
}
