import { randomBytes } from 'node:crypto';
import type { Queryable } from '../pool.ts';
import type { PageOf } from '../../http/schemas/common.ts';
import type { SourceRuleField } from '../../dni/rules.ts';
import type { AttributionModel } from '../../dni/types.ts';

export interface SiteRow {
  id: number;
  name: string;
  domain: string;
  public_key: string;
  fallback_number: string;
  hold_time_s: number;
  swap_selectors: string[];
  swap_phone_texts: string[];
  allowed_origins: string[];
  attribution_model: AttributionModel;
  heartbeat_s: number;
  max_sessions_per_ip: number;
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
  allowed_origins: string[];
  attribution_model: AttributionModel;
  heartbeat_s: number;
  max_sessions_per_ip: number;
}

/** One source rule as stored: rules are tried by position, the first match wins. */
export interface SourceRuleRow {
  position: number;
  field: SourceRuleField;
  value: string;
  tracking_number_id: number;
  number: string;
}

const COLUMNS = `id, name, domain, public_key, fallback_number, hold_time_s, swap_selectors, swap_phone_texts,
  allowed_origins, attribution_model, heartbeat_s, max_sessions_per_ip, created_at, updated_at`;

export const sitesRepository = {
  async create(db: Queryable, v: SiteValues): Promise<SiteRow> {
    const { rows } = await db.query<SiteRow>(
      `INSERT INTO sites (name, domain, public_key, fallback_number, hold_time_s, swap_selectors, swap_phone_texts,
                          allowed_origins, attribution_model, heartbeat_s, max_sessions_per_ip)
       VALUES ($1, lower($2), $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        v.name,
        v.domain,
        `pk_${randomBytes(12).toString('base64url')}`,
        v.fallback_number,
        v.hold_time_s,
        v.swap_selectors,
        v.swap_phone_texts,
        v.allowed_origins,
        v.attribution_model,
        v.heartbeat_s,
        v.max_sessions_per_ip,
      ],
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
         swap_phone_texts = coalesce($7, swap_phone_texts), allowed_origins = coalesce($8, allowed_origins),
         attribution_model = coalesce($9::attribution_model, attribution_model), heartbeat_s = coalesce($10, heartbeat_s),
         max_sessions_per_ip = coalesce($11, max_sessions_per_ip), updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        v.name ?? null,
        v.domain ?? null,
        v.fallback_number ?? null,
        v.hold_time_s ?? null,
        v.swap_selectors ?? null,
        v.swap_phone_texts ?? null,
        v.allowed_origins ?? null,
        v.attribution_model ?? null,
        v.heartbeat_s ?? null,
        v.max_sessions_per_ip ?? null,
      ],
    );
    return rows[0];
  },

  async sourceRules(db: Queryable, siteId: number): Promise<SourceRuleRow[]> {
    const { rows } = await db.query<SourceRuleRow>(
      `SELECT r.position, r.field, r.value, r.tracking_number_id, t.number
         FROM site_source_rules r JOIN tracking_numbers t ON t.id = r.tracking_number_id
        WHERE r.site_id = $1 ORDER BY r.position`,
      [siteId],
    );
    return rows;
  },

  /** Replace a site's rules with this ordered list (position = index); run it inside a transaction. */
  async replaceSourceRules(
    tx: Queryable,
    siteId: number,
    rules: ReadonlyArray<Pick<SourceRuleRow, 'field' | 'value' | 'tracking_number_id'>>,
  ): Promise<void> {
    await tx.query('DELETE FROM site_source_rules WHERE site_id = $1', [siteId]);
    await tx.query(
      `INSERT INTO site_source_rules (site_id, position, field, value, tracking_number_id)
       SELECT $1, r.ord - 1, r.field::source_rule_field, r.value, r.tracking_number_id
         FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS r(field, value, tracking_number_id, ord)`,
      [siteId, rules.map((r) => r.field), rules.map((r) => r.value), rules.map((r) => r.tracking_number_id)],
    );
  },

  /** The kinds of the given tracking numbers (absent ones are left out). */
  async trackingNumberKinds(db: Queryable, ids: readonly number[]): Promise<Map<number, 'static' | 'pool'>> {
    const { rows } = await db.query<{ id: number; kind: 'static' | 'pool' }>('SELECT id, kind FROM tracking_numbers WHERE id = ANY($1::bigint[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.kind]));
  },

  async remove(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM sites WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },
};
