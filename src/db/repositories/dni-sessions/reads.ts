// Reads on the DNI hot path: a site's settings by public key, every allowed origin,
// and a returning visitor's last session.
import { touchOfRow } from '../../../dni/session-row.ts';
import type { Queryable } from '../../pool.ts';
import type { DniSite, VisitorHistory } from './types.ts';

export async function loadDniSite(db: Queryable, publicKey: string): Promise<DniSite | undefined> {
  const { rows } = await db.query<DniSite>(
    `SELECT s.id, s.public_key, s.domain, s.allowed_origins, s.fallback_number, s.hold_time_s, s.heartbeat_s,
            s.max_sessions_per_ip, s.attribution_model, s.swap_phone_texts, s.swap_selectors, p.id AS pool_id,
            coalesce((SELECT json_agg(json_build_object('position', r.position, 'field', r.field, 'value', r.value,
                                                        'tracking_number_id', r.tracking_number_id, 'number', t.number)
                                      ORDER BY r.position)
                        FROM site_source_rules r JOIN tracking_numbers t ON t.id = r.tracking_number_id
                       WHERE r.site_id = s.id), '[]'::json) AS rules
       FROM sites s LEFT JOIN pools p ON p.site_id = s.id
      WHERE s.public_key = $1`,
    [publicKey],
  );
  return rows[0];
}

/** Every origin some site allows: what a CORS preflight, which names no site, is checked against. */
export async function loadAllowedOrigins(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ origin: string }>('SELECT DISTINCT unnest(allowed_origins) AS origin FROM sites');
  return rows.map((r) => r.origin);
}

interface HistoryRow {
  source: string | null;
  medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  gclid: string | null;
  gbraid: string | null;
  wbraid: string | null;
  fbclid: string | null;
  msclkid: string | null;
  referrer: string | null;
  landing_page: string | null;
  pool_number_id: number | null;
  pool_session_id: number | null;
}

export async function visitorHistory(db: Queryable, siteId: number, visitor: string): Promise<VisitorHistory | undefined> {
  const { rows } = await db.query<HistoryRow>({
    name: 'dni-visitor-history',
    text: `SELECT v.source, v.medium, v.utm_campaign, v.utm_content, v.utm_term, v.gclid, v.gbraid, v.wbraid, v.fbclid,
            v.msclkid, v.referrer, v.landing_page, p.tracking_number_id AS pool_number_id, p.id AS pool_session_id
       FROM (SELECT * FROM visitor_sessions WHERE site_id = $1 AND visitor_key = $2 ORDER BY created_at DESC LIMIT 1) v
       LEFT JOIN LATERAL (SELECT id, tracking_number_id FROM visitor_sessions
                           WHERE site_id = $1 AND visitor_key = $2 AND kind = 'pool' AND tracking_number_id IS NOT NULL
                           ORDER BY created_at DESC LIMIT 1) p ON true`,
    values: [siteId, visitor],
  });
  const r = rows[0];
  if (!r || r.source === null || r.medium === null || r.landing_page === null) return undefined;
  return {
    touch: touchOfRow(r),
    pool_number_id: r.pool_number_id,
    pool_session_id: r.pool_session_id,
  };
}
