import { randomBytes } from 'node:crypto';
import type { Queryable } from '../pool.ts';
import type { PageOf } from '../../http/schemas/common.ts';

export interface SiteRow {
  id: number;
  name: string;
  domain: string;
  public_key: string;
  fallback_number: string;
  hold_time_s: number;
  swap_selectors: string[];
  swap_phone_texts: string[];
  created_at: Date;
  updated_at: Date;
}

export interface SiteValues {
  name: string;
  domain: string;
  fallback_number: string;
  hold_time_s: number;
  swap_selectors: string[];
  swap_phone_texts: string[];
}

const COLUMNS = 'id, name, domain, public_key, fallback_number, hold_time_s, swap_selectors, swap_phone_texts, created_at, updated_at';

export const sitesRepository = {
  async create(db: Queryable, v: SiteValues): Promise<SiteRow> {
    const { rows } = await db.query<SiteRow>(
      `INSERT INTO sites (name, domain, public_key, fallback_number, hold_time_s, swap_selectors, swap_phone_texts)
       VALUES ($1, lower($2), $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [v.name, v.domain, `pk_${randomBytes(12).toString('base64url')}`, v.fallback_number, v.hold_time_s, v.swap_selectors, v.swap_phone_texts],
    );
    return rows[0]!;
  },

  async get(db: Queryable, id: number): Promise<SiteRow | undefined> {
    const { rows } = await db.query<SiteRow>(`SELECT ${COLUMNS} FROM sites WHERE id = $1`, [id]);
    return rows[0];
  },

  async list(db: Queryable, limit: number, offset: number): Promise<PageOf<SiteRow>> {
    const [items, count] = await Promise.all([
      db.query<SiteRow>(`SELECT ${COLUMNS} FROM sites ORDER BY id LIMIT $1 OFFSET $2`, [limit, offset]),
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM sites'),
    ]);
    return { items: items.rows, total: count.rows[0]!.n, limit, offset };
  },

  async update(db: Queryable, id: number, v: Partial<SiteValues>): Promise<SiteRow | undefined> {
    const { rows } = await db.query<SiteRow>(
      `UPDATE sites SET
         name = coalesce($2, name), domain = coalesce(lower($3), domain), fallback_number = coalesce($4, fallback_number),
         hold_time_s = coalesce($5, hold_time_s), swap_selectors = coalesce($6, swap_selectors),
         swap_phone_texts = coalesce($7, swap_phone_texts), updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, v.name ?? null, v.domain ?? null, v.fallback_number ?? null, v.hold_time_s ?? null, v.swap_selectors ?? null, v.swap_phone_texts ?? null],
    );
    return rows[0];
  },

  async remove(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM sites WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },
};
