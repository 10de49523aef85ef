// Routing schemes and their ordered steps (routing_steps, routing_step_employees).
// Writes that touch several rows (create, replaceSteps, remove) expect to run
// inside one transaction opened by the caller.
import type { Queryable } from '../pool.ts';
import type { PageOf } from '../../http/schemas/common.ts';
import type { Schedule } from '../../routing/schedule.ts';

export type LookupTarget = 'contact_owner' | 'deal_owner';
export type RingStrategy = 'simultaneous' | 'sequential';
export type DistributionMode = 'ring_all' | 'round_robin';

interface StepCommon {
  /** Seconds to ring before the scheme moves on. */
  ring_timeout_s: number;
  /** Working hours; without one the step always runs. */
  schedule?: Schedule;
}

export type RoutingStep =
  | (StepCommon & { type: 'responsible_manager'; lookup_order: LookupTarget[] })
  | (StepCommon & { type: 'employees'; employee_ids: number[]; ring_strategy: RingStrategy })
  | (StepCommon & { type: 'new_client_distribution'; mode: DistributionMode })
  | (StepCommon & { type: 'senior_manager' })
  | (StepCommon & { type: 'external_number'; number: string });

export type StepType = RoutingStep['type'];

export interface RoutingSchemeRow {
  id: number;
  name: string;
  steps: RoutingStep[];
  created_at: Date;
  updated_at: Date;
}

export interface RoutingSchemeValues {
  name: string;
  steps: RoutingStep[];
}

export interface SchemeReferences {
  tracking_numbers: number;
  pools: number;
}

export type SalesRole = 'sales_rep' | 'head' | 'quality_control';

type SchemeHead = Omit<RoutingSchemeRow, 'steps'>;

interface StepRow {
  scheme_id: number;
  type: StepType;
  ring_timeout_s: number;
  lookup_order: LookupTarget[] | null;
  ring_strategy: RingStrategy | null;
  distribution_mode: DistributionMode | null;
  external_number: string | null;
  schedule: Schedule | null;
  employee_ids: string[];
}

function toStep(r: StepRow): RoutingStep {
  const common: StepCommon = { ring_timeout_s: r.ring_timeout_s, ...(r.schedule ? { schedule: r.schedule } : {}) };
  switch (r.type) {
    case 'responsible_manager':
      return { type: r.type, ...common, lookup_order: r.lookup_order ?? [] };
    case 'employees':
      return { type: r.type, ...common, employee_ids: r.employee_ids.map(Number), ring_strategy: r.ring_strategy ?? 'simultaneous' };
    case 'new_client_distribution':
      return { type: r.type, ...common, mode: r.distribution_mode ?? 'ring_all' };
    case 'senior_manager':
      return { type: r.type, ...common };
    case 'external_number':
      return { type: r.type, ...common, number: r.external_number ?? '' };
  }
}

/** The typed columns of a step; each type fills only its own. */
function stepColumns(s: RoutingStep): unknown[] {
  return [
    s.type,
    s.ring_timeout_s,
    s.type === 'responsible_manager' ? s.lookup_order : null,
    s.type === 'employees' ? s.ring_strategy : null,
    s.type === 'new_client_distribution' ? s.mode : null,
    s.type === 'external_number' ? s.number : null,
    s.schedule ? JSON.stringify(s.schedule) : null,
  ];
}

async function withSteps(db: Queryable, heads: SchemeHead[]): Promise<RoutingSchemeRow[]> {
  if (heads.length === 0) return [];
  const { rows } = await db.query<StepRow>(
    `SELECT s.scheme_id, s.type, s.ring_timeout_s, s.lookup_order, s.ring_strategy, s.distribution_mode, s.external_number, s.schedule,
            coalesce((SELECT array_agg(e.employee_id ORDER BY e.position) FROM routing_step_employees e WHERE e.step_id = s.id), '{}') AS employee_ids
       FROM routing_steps s WHERE s.scheme_id = ANY($1::bigint[]) ORDER BY s.scheme_id, s.position`,
    [heads.map((h) => h.id)],
  );
  const steps = new Map<number, RoutingStep[]>(heads.map((h) => [h.id, []]));
  for (const r of rows) steps.get(r.scheme_id)?.push(toStep(r));
  return heads.map((h) => ({ ...h, steps: steps.get(h.id) ?? [] }));
}

async function insertSteps(db: Queryable, schemeId: number, steps: RoutingStep[]): Promise<void> {
  for (const [position, step] of steps.entries()) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO routing_steps (scheme_id, position, type, ring_timeout_s, lookup_order, ring_strategy, distribution_mode, external_number, schedule)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) RETURNING id`,
      [schemeId, position, ...stepColumns(step)],
    );
    if (step.type !== 'employees') continue;
    await db.query(
      `INSERT INTO routing_step_employees (step_id, employee_id, position)
       SELECT $1, u.employee_id, u.n - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS u(employee_id, n)`,
      [rows[0]!.id, step.employee_ids],
    );
  }
}

const HEAD = 'id, name, created_at, updated_at';

export const routingSchemesRepository = {
  async list(db: Queryable, limit: number, offset: number): Promise<PageOf<RoutingSchemeRow>> {
    const [page, count] = await Promise.all([
      db.query<SchemeHead>(`SELECT ${HEAD} FROM routing_schemes ORDER BY id LIMIT $1 OFFSET $2`, [limit, offset]),
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM routing_schemes'),
    ]);
    return { items: await withSteps(db, page.rows), total: count.rows[0]!.n, limit, offset };
  },

  async get(db: Queryable, id: number): Promise<RoutingSchemeRow | undefined> {
    const { rows } = await db.query<SchemeHead>(`SELECT ${HEAD} FROM routing_schemes WHERE id = $1`, [id]);
    return (await withSteps(db, rows))[0];
  },

  /** Lock the scheme row until the transaction ends; false when it does not exist. */
  async lock(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM routing_schemes WHERE id = $1 FOR UPDATE', [id]);
    return (rowCount ?? 0) > 0;
  },

  /** Insert a scheme and its steps (inside a transaction). */
  async create(db: Queryable, v: RoutingSchemeValues): Promise<number> {
    const { rows } = await db.query<{ id: number }>('INSERT INTO routing_schemes (name) VALUES ($1) RETURNING id', [v.name]);
    const id = rows[0]!.id;
    await insertSteps(db, id, v.steps);
    return id;
  },

  async rename(db: Queryable, id: number, name: string): Promise<void> {
    await db.query('UPDATE routing_schemes SET name = $2, updated_at = now() WHERE id = $1', [id, name]);
  },

  /** Replace every step of a scheme (inside a transaction). */
  async replaceSteps(db: Queryable, id: number, steps: RoutingStep[]): Promise<void> {
    await db.query('DELETE FROM routing_steps WHERE scheme_id = $1', [id]);
    await insertSteps(db, id, steps);
    await db.query('UPDATE routing_schemes SET updated_at = now() WHERE id = $1', [id]);
  },

  /** Tracking numbers and pools that route through the scheme. */
  async references(db: Queryable, id: number): Promise<SchemeReferences> {
    const { rows } = await db.query<SchemeReferences>(
      `SELECT (SELECT count(*)::int FROM tracking_numbers WHERE routing_scheme_id = $1) AS tracking_numbers,
              (SELECT count(*)::int FROM pools WHERE routing_scheme_id = $1) AS pools`,
      [id],
    );
    return rows[0]!;
  },

  async remove(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM routing_schemes WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  /** Sales roles of the given employees, share-locked so they cannot change or vanish before commit. */
  async employeeRoles(db: Queryable, ids: readonly number[]): Promise<Map<number, SalesRole>> {
    if (ids.length === 0) return new Map();
    const { rows } = await db.query<{ id: number; sales_role: SalesRole }>(
      'SELECT id, sales_role FROM employees WHERE id = ANY($1::bigint[]) FOR SHARE',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.sales_role]));
  },
};
