import type { Queryable } from '../pool.ts';
import type { PageOf } from '../../http/schemas/common.ts';

export type TrackingKind = 'static' | 'pool';

export interface TrackingNumberRow {
  id: number;
  number: string;
  kind: TrackingKind;
  pool_id: number | null;
  source_name: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  routing_scheme_id: number | null;
  caller_id_for_employee_id: number | null;
  held_until: Date | null;
  released_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The columns a client may set; the pool state (held_*, released_at) is the allocator's. */
export type TrackingNumberValues = Pick<
  TrackingNumberRow,
  | 'number'
  | 'kind'
  | 'pool_id'
  | 'source_name'
  | 'utm_source'
  | 'utm_medium'
  | 'utm_campaign'
  | 'utm_content'
  | 'utm_term'
  | 'routing_scheme_id'
  | 'caller_id_for_employee_id'
>;

/** What may change after creation (kind never does). */
export type TrackingNumberChanges = Partial<Omit<TrackingNumberValues, 'kind'>>;

export interface TrackingNumberFilter {
  kind?: TrackingKind;
  pool_id?: number;
}

/** Ids a tracking number may point at; see missingReferences. */
export interface TrackingNumberReferences {
  pool_id?: number | null;
  routing_scheme_id?: number | null;
  caller_id_for_employee_id?: number | null;
}

const COLUMNS = `id, number, kind, pool_id, source_name, utm_source, utm_medium, utm_campaign, utm_content, utm_term,
  routing_scheme_id, caller_id_for_employee_id, held_until, released_at, created_at, updated_at`;

const SETTABLE = [
  'number',
  'pool_id',
  'source_name',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
  'routing_scheme_id',
  'caller_id_for_employee_id',
] as const satisfies ReadonlyArray<keyof TrackingNumberChanges>;

export const trackingNumbersRepository = {
  async create(db: Queryable, v: TrackingNumberValues): Promise<TrackingNumberRow> {
    const { rows } = await db.query<TrackingNumberRow>(
      `INSERT INTO tracking_numbers (number, kind, pool_id, source_name, utm_source, utm_medium, utm_campaign, utm_content,
         utm_term, routing_scheme_id, caller_id_for_employee_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        v.number, v.kind, v.pool_id, v.source_name, v.utm_source, v.utm_medium, v.utm_campaign, v.utm_content,
        v.utm_term, v.routing_scheme_id, v.caller_id_for_employee_id,
      ],
    );
    return rows[0]!;
  },

  /**
   * Adds pool numbers, skipping any number that is already a tracking number.
   * Returns the numbers actually inserted; run it in a transaction and roll back
   * when some were skipped, so the add is all-or-nothing.
   */
  async addToPool(db: Queryable, poolId: number, numbers: readonly string[]): Promise<Set<string>> {
    const { rows } = await db.query<{ number: string }>(
      `INSERT INTO tracking_numbers (number, kind, pool_id)
       SELECT n, 'pool', $1 FROM unnest($2::text[]) AS n
       ON CONFLICT (number) DO NOTHING RETURNING number`,
      [poolId, numbers],
    );
    return new Set(rows.map((r) => r.number));
  },

  async get(db: Queryable, id: number): Promise<TrackingNumberRow | undefined> {
    const { rows } = await db.query<TrackingNumberRow>(`SELECT ${COLUMNS} FROM tracking_numbers WHERE id = $1`, [id]);
    return rows[0];
  },

  async list(db: Queryable, filter: TrackingNumberFilter, limit: number, offset: number): Promise<PageOf<TrackingNumberRow>> {
    const where = 'WHERE ($1::tracking_kind IS NULL OR kind = $1) AND ($2::bigint IS NULL OR pool_id = $2)';
    const params = [filter.kind ?? null, filter.pool_id ?? null];
    const [items, count] = await Promise.all([
      db.query<TrackingNumberRow>(`SELECT ${COLUMNS} FROM tracking_numbers ${where} ORDER BY id LIMIT $3 OFFSET $4`, [
        ...params,
        limit,
        offset,
      ]),
      db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tracking_numbers ${where}`, params),
    ]);
    return { items: items.rows, total: count.rows[0]!.n, limit, offset };
  },

  /** Sets exactly the fields present in `changes` (null clears a field). */
  async update(db: Queryable, id: number, changes: TrackingNumberChanges): Promise<TrackingNumberRow | undefined> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const column of SETTABLE) {
      const value = changes[column];
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    const { rows } = await db.query<TrackingNumberRow>(
      `UPDATE tracking_numbers SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0];
  },

  async remove(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM tracking_numbers WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  /** The names of the given references that point at no row (absent and null ones are not checked). */
  async missingReferences(db: Queryable, refs: TrackingNumberReferences): Promise<Array<keyof TrackingNumberReferences>> {
    const { rows } = await db.query<{ pool_id: boolean; routing_scheme_id: boolean; caller_id_for_employee_id: boolean }>(
      `SELECT ($1::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pools WHERE id = $1)) AS pool_id,
              ($2::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM routing_schemes WHERE id = $2)) AS routing_scheme_id,
              ($3::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM employees WHERE id = $3)) AS caller_id_for_employee_id`,
      [refs.pool_id ?? null, refs.routing_scheme_id ?? null, refs.caller_id_for_employee_id ?? null],
    );
    const found = rows[0]!;
    return (['pool_id', 'routing_scheme_id', 'caller_id_for_employee_id'] as const).filter((k) => found[k]);
  },

  /** The employees with each of these numbers among their phone destinations. */
  async employeesRungOn(db: Queryable, numbers: readonly string[]): Promise<Map<string, Array<{ id: number; full_name: string }>>> {
    const { rows } = await db.query<{ phone: string; id: number; full_name: string }>(
      `SELECT DISTINCT d.phone, e.id, e.full_name FROM employee_destinations d JOIN employees e ON e.id = d.employee_id
        WHERE d.type = 'phone' AND d.phone = ANY($1::text[]) ORDER BY e.id`,
      [numbers],
    );
    const byNumber = new Map<string, Array<{ id: number; full_name: string }>>();
    for (const r of rows) byNumber.set(r.phone, [...(byNumber.get(r.phone) ?? []), { id: r.id, full_name: r.full_name }]);
    return byNumber;
  },

  /** What trackingNumberWarnings needs to know about a saved number. */
  async warningFacts(db: Queryable, row: TrackingNumberRow): Promise<{ poolSchemeId: number | null; employeesRungOnIt: Array<{ id: number; full_name: string }> }> {
    const { rows } =
      row.pool_id === null
        ? { rows: [] as Array<{ routing_scheme_id: number | null }> }
        : await db.query<{ routing_scheme_id: number | null }>('SELECT routing_scheme_id FROM pools WHERE id = $1', [row.pool_id]);
    const employees = await trackingNumbersRepository.employeesRungOn(db, [row.number]);
    return { poolSchemeId: rows[0]?.routing_scheme_id ?? null, employeesRungOnIt: employees.get(row.number) ?? [] };
  },
};
