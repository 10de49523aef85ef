import type { Queryable } from '../pool.ts';
import type { PageOf } from '../../http/schemas/common.ts';

export interface PoolRow {
  id: number;
  site_id: number;
  name: string;
  routing_scheme_id: number | null;
  exhausted_count: number;
  /** how many tracking numbers are members of the pool */
  size: number;
  created_at: Date;
  updated_at: Date;
}

export interface PoolValues {
  site_id: number;
  name: string;
  routing_scheme_id: number | null;
}

/** What may change after creation; null clears the scheme. */
export interface PoolChanges {
  name?: string;
  routing_scheme_id?: number | null;
}

/** Ids a pool may point at; see missingReferences. */
export interface PoolReferences {
  site_id?: number;
  routing_scheme_id?: number | null;
}

/** The unique constraint that keeps a site to one pool. */
export const ONE_POOL_PER_SITE = 'pools_site_id_key';

const COLUMNS = 'p.id, p.site_id, p.name, p.routing_scheme_id, p.exhausted_count, p.created_at, p.updated_at';
const SIZE = '(SELECT count(*)::int FROM tracking_numbers t WHERE t.pool_id = p.id) AS size';

function pgError(err: unknown): { code?: unknown; constraint?: unknown } {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown; constraint?: unknown }) : {};
}

export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = pgError(err);
  return e.code === '23505' && e.constraint === constraint;
}

/** A delete blocked by rows that still point at it (ON DELETE RESTRICT raises 23001, NO ACTION 23503). */
export function isStillReferenced(err: unknown): boolean {
  const { code } = pgError(err);
  return code === '23001' || code === '23503';
}

export const poolsRepository = {
  /** Throws a unique violation of ONE_POOL_PER_SITE when the site already has a pool. */
  async create(db: Queryable, v: PoolValues): Promise<PoolRow> {
    const { rows } = await db.query<PoolRow>(
      `INSERT INTO pools AS p (site_id, name, routing_scheme_id) VALUES ($1, $2, $3) RETURNING ${COLUMNS}, 0 AS size`,
      [v.site_id, v.name, v.routing_scheme_id],
    );
    return rows[0]!;
  },

  async get(db: Queryable, id: number): Promise<PoolRow | undefined> {
    const { rows } = await db.query<PoolRow>(`SELECT ${COLUMNS}, ${SIZE} FROM pools p WHERE p.id = $1`, [id]);
    return rows[0];
  },

  /** The member numbers (E.164), in order. */
  async numbers(db: Queryable, id: number): Promise<string[]> {
    const { rows } = await db.query<{ number: string }>('SELECT number FROM tracking_numbers WHERE pool_id = $1 ORDER BY number', [id]);
    return rows.map((r) => r.number);
  },

  async list(db: Queryable, limit: number, offset: number): Promise<PageOf<PoolRow>> {
    const [items, count] = await Promise.all([
      db.query<PoolRow>(`SELECT ${COLUMNS}, ${SIZE} FROM pools p ORDER BY p.id LIMIT $1 OFFSET $2`, [limit, offset]),
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM pools'),
    ]);
    return { items: items.rows, total: count.rows[0]!.n, limit, offset };
  },

  async update(db: Queryable, id: number, c: PoolChanges): Promise<PoolRow | undefined> {
    const { rows } = await db.query<PoolRow>(
      `UPDATE pools AS p SET name = coalesce($2, p.name),
         routing_scheme_id = CASE WHEN $4 THEN $3::bigint ELSE p.routing_scheme_id END, updated_at = now()
       WHERE p.id = $1 RETURNING ${COLUMNS}, ${SIZE}`,
      [id, c.name ?? null, c.routing_scheme_id ?? null, c.routing_scheme_id !== undefined],
    );
    return rows[0];
  },

  /** Throws what isStillReferenced recognises when numbers still belong to the pool. */
  async remove(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM pools WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  /**
   * Inside a transaction: whether the pool exists, keeping it from being deleted
   * until the transaction ends (numbers are about to be added to it).
   */
  async lockForNewNumbers(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM pools WHERE id = $1 FOR KEY SHARE', [id]);
    return (rowCount ?? 0) > 0;
  },

  /** The names of the given references that point at no row (absent and null ones are not checked). */
  async missingReferences(db: Queryable, refs: PoolReferences): Promise<Array<keyof PoolReferences>> {
    const { rows } = await db.query<{ site_id: boolean; routing_scheme_id: boolean }>(
      `SELECT ($1::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sites WHERE id = $1)) AS site_id,
              ($2::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM routing_schemes WHERE id = $2)) AS routing_scheme_id`,
      [refs.site_id ?? null, refs.routing_scheme_id ?? null],
    );
    const found = rows[0]!;
    return (['site_id', 'routing_scheme_id'] as const).filter((k) => found[k]);
  },
};
