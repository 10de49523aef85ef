// Sites, pools and visitor sessions for DNI tests, written straight into the test database.
import type { Pool } from '../../src/db/pool.ts';

export async function site(
  pool: Pool,
  opts: { name?: string; fallback?: string; holdTimeS?: number } = {},
): Promise<number> {
  const name = opts.name ?? 'shop';
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO sites (name, domain, public_key, fallback_number, hold_time_s) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [name, `${name}.example.com`, `pk-${name}`, opts.fallback ?? '+380449990000', opts.holdTimeS ?? 900],
  );
  return rows[0]!.id;
}

/** A site's pool with its numbers; returns the pool id and the numbers' ids in order. */
export async function numberPool(pool: Pool, siteId: number, numbers: readonly string[], schemeId: number | null = null): Promise<{ poolId: number; ids: number[] }> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO pools (site_id, name, routing_scheme_id) VALUES ($1, 'pool', $2) RETURNING id`,
    [siteId, schemeId],
  );
  const poolId = rows[0]!.id;
  const ids: number[] = [];
  for (const n of numbers) {
    const r = await pool.query<{ id: number }>(`INSERT INTO tracking_numbers (number, kind, pool_id) VALUES ($1, 'pool', $2) RETURNING id`, [n, poolId]);
    ids.push(r.rows[0]!.id);
  }
  return { poolId, ids };
}

export interface SessionSpec {
  readonly siteId: number;
  readonly trackingNumberId: number | null;
  readonly number?: string | null;
  readonly kind?: 'pool' | 'static' | 'fallback';
  readonly createdAt: Date;
  readonly heldUntil?: Date | null;
  readonly releasedAt?: Date | null;
  readonly source?: string;
  readonly medium?: string;
  readonly utmCampaign?: string | null;
  readonly utmTerm?: string | null;
  readonly gclid?: string | null;
  readonly gbraid?: string | null;
  readonly msclkid?: string | null;
  readonly gaClientId?: string | null;
  readonly referrer?: string | null;
  readonly landingPage?: string;
  readonly fallbackReason?: string | null;
}

export async function visitorSession(pool: Pool, s: SessionSpec): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO visitor_sessions (site_id, visitor_key, tracking_number_id, number, kind, created_at, held_until, released_at,
                                   source, medium, utm_source, utm_medium, utm_campaign, utm_term, gclid, gbraid, msclkid,
                                   ga_client_id, referrer, landing_page, fallback_reason)
     VALUES ($1, md5(random()::text), $2, $3, $4, $5, $6, $7, $8, $9, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
    [
      s.siteId,
      s.trackingNumberId,
      s.number ?? null,
      s.kind ?? 'pool',
      s.createdAt,
      s.heldUntil ?? null,
      s.releasedAt ?? null,
      s.source ?? 'google',
      s.medium ?? 'cpc',
      s.utmCampaign ?? null,
      s.utmTerm ?? null,
      s.gclid ?? null,
      s.gbraid ?? null,
      s.msclkid ?? null,
      s.gaClientId ?? null,
      s.referrer ?? null,
      s.landingPage ?? 'https://shop.example.com/',
      s.fallbackReason ?? null,
    ],
  );
  return rows[0]!.id;
}
