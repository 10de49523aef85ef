// Per-site export settings (GA4, the qualified-call rule, the Google Ads feed)
// and each call's export status, in PostgreSQL.
import type { Queryable } from '../db/pool.ts';
import type { AdsSettings, CallForAds } from './ads-feed.ts';
import type { CallForGa4, Ga4Settings } from './ga4.ts';
import type { QualifyRule } from './qualify.ts';

export const EXPORT_TASK = 'call_export';

export interface SiteExportsRow {
  site_id: number;
  ga4_measurement_id: string | null;
  ga4_api_secret: string | null;
  ga4_event_name: string;
  ga4_conversion_event: string;
  qualify_min_talk_s: number;
  qualify_answered: boolean;
  qualify_first_time: boolean;
  ads_feed_user: string | null;
  ads_feed_password_hash: string | null;
  ads_conversion_name: string;
  ads_conversion_value: string;
  ads_currency: string;
  ads_time_zone: string;
  updated_at: Date;
}

export const ruleOf = (r: SiteExportsRow): QualifyRule => ({ minTalkS: r.qualify_min_talk_s, answered: r.qualify_answered, firstTime: r.qualify_first_time });
export const ga4Of = (r: SiteExportsRow): Ga4Settings | undefined =>
  r.ga4_measurement_id && r.ga4_api_secret
    ? { measurementId: r.ga4_measurement_id, apiSecret: r.ga4_api_secret, eventName: r.ga4_event_name, conversionEvent: r.ga4_conversion_event }
    : undefined;
export const adsOf = (r: SiteExportsRow): AdsSettings => ({
  conversionName: r.ads_conversion_name,
  conversionValue: Number(r.ads_conversion_value),
  currency: r.ads_currency,
  timeZone: r.ads_time_zone,
});

export interface SiteExportsPatch {
  ga4MeasurementId?: string | null;
  ga4ApiSecret?: string | null;
  ga4EventName?: string;
  ga4ConversionEvent?: string;
  minTalkS?: number;
  answered?: boolean;
  firstTime?: boolean;
  adsFeedUser?: string | null;
  adsFeedPasswordHash?: string | null;
  adsConversionName?: string;
  adsConversionValue?: number;
  adsCurrency?: string;
  adsTimeZone?: string;
}

const COLUMNS: ReadonlyArray<readonly [keyof SiteExportsPatch, string]> = [
  ['ga4MeasurementId', 'ga4_measurement_id'],
  ['ga4ApiSecret', 'ga4_api_secret'],
  ['ga4EventName', 'ga4_event_name'],
  ['ga4ConversionEvent', 'ga4_conversion_event'],
  ['minTalkS', 'qualify_min_talk_s'],
  ['answered', 'qualify_answered'],
  ['firstTime', 'qualify_first_time'],
  ['adsFeedUser', 'ads_feed_user'],
  ['adsFeedPasswordHash', 'ads_feed_password_hash'],
  ['adsConversionName', 'ads_conversion_name'],
  ['adsConversionValue', 'ads_conversion_value'],
  ['adsCurrency', 'ads_currency'],
  ['adsTimeZone', 'ads_time_zone'],
];

/** A stored call with what its exports need: the visitor session's ids and whether the caller called before. */
export interface ExportCallRow {
  id: string;
  direction: string;
  disposition: string;
  started_at: Date;
  talk_duration_ms: number;
  tracking_number: string | null;
  attribution: Record<string, unknown>;
  site_id: number | null;
  ga_session_id: string | null;
  session_created_at: Date | null;
  first_time_caller: boolean;
}

const CALL_SELECT = `SELECT c.id::text, c.direction, c.disposition, c.started_at, c.talk_duration_ms, c.tracking_number, c.attribution,
         s.site_id, s.ga_session_id, s.created_at AS session_created_at,
         (c.caller IS NULL OR NOT EXISTS (SELECT 1 FROM calls p WHERE p.caller = c.caller AND p.started_at < c.started_at AND p.id <> c.id)) AS first_time_caller
    FROM calls c LEFT JOIN visitor_sessions s ON s.id = c.visitor_session_id`;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export function ga4CallOf(r: ExportCallRow): CallForGa4 {
  const a = r.attribution ?? {};
  return {
    id: r.id,
    startedAt: r.started_at,
    disposition: r.disposition,
    talkDurationMs: r.talk_duration_ms,
    trackingNumber: r.tracking_number,
    firstTimeCaller: r.first_time_caller,
    gaClientId: str(a.gaClientId),
    gaSessionId: r.ga_session_id,
    source: str(a.source),
    medium: str(a.medium),
    campaign: str(a.campaign),
  };
}

export function adsCallOf(r: ExportCallRow): CallForAds {
  const a = r.attribution ?? {};
  return { id: r.id, startedAt: r.started_at, gclid: str(a.gclid), gbraid: str(a.gbraid), wbraid: str(a.wbraid), clickAt: r.session_created_at };
}

export type ExportTarget = 'ga4' | 'google_ads';
export type ExportState = 'pending' | 'sent' | 'skipped' | 'failed' | 'included' | 'excluded';

export const exportStore = {
  async settings(db: Queryable, siteId: number): Promise<SiteExportsRow | undefined> {
    const { rows } = await db.query<SiteExportsRow>('SELECT * FROM site_exports WHERE site_id = $1', [siteId]);
    return rows[0] ? { ...rows[0], site_id: Number(rows[0].site_id) } : undefined;
  },

  /** Create or change a site's export settings; only the given fields change. */
  async save(db: Queryable, siteId: number, patch: SiteExportsPatch): Promise<SiteExportsRow> {
    const given = COLUMNS.filter(([k]) => patch[k] !== undefined);
    const cols = given.map(([, c]) => c);
    const values = given.map(([k]) => patch[k]);
    const set = cols.length > 0 ? cols.map((c, i) => `${c} = $${i + 2}`).join(', ') + ', updated_at = now()' : 'updated_at = now()';
    const { rows } = await db.query<SiteExportsRow>(
      `INSERT INTO site_exports (site_id${cols.map((c) => `, ${c}`).join('')}) VALUES ($1${cols.map((_, i) => `, $${i + 2}`).join('')})
       ON CONFLICT (site_id) DO UPDATE SET ${set} RETURNING *`,
      [siteId, ...values],
    );
    return { ...rows[0]!, site_id: Number(rows[0]!.site_id) };
  },

  async call(db: Queryable, callId: string): Promise<ExportCallRow | undefined> {
    const { rows } = await db.query<ExportCallRow>(`${CALL_SELECT} WHERE c.id = $1`, [callId]);
    return rows[0] ? { ...rows[0], site_id: rows[0].site_id === null ? null : Number(rows[0].site_id) } : undefined;
  },

  /** A site's inbound calls attributed to its visitor sessions, since `since`, oldest first. */
  async siteCalls(db: Queryable, siteId: number, since: Date): Promise<ExportCallRow[]> {
    const { rows } = await db.query<ExportCallRow>(
      `${CALL_SELECT} WHERE s.site_id = $1 AND c.direction = 'inbound' AND c.started_at >= $2 ORDER BY c.started_at, c.id`,
      [siteId, since],
    );
    return rows.map((r) => ({ ...r, site_id: Number(r.site_id) }));
  },

  async status(db: Queryable, callId: string, target: ExportTarget): Promise<{ state: ExportState; reason: string | null } | undefined> {
    const { rows } = await db.query<{ state: ExportState; reason: string | null }>(
      'SELECT state, reason FROM call_exports WHERE call_id = $1 AND target = $2',
      [callId, target],
    );
    return rows[0];
  },

  async setStatus(db: Queryable, callId: string, target: ExportTarget, state: ExportState, reason: string | null): Promise<void> {
    await db.query(
      `INSERT INTO call_exports (call_id, target, state, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, target) DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason, updated_at = now()`,
      [callId, target, state, reason],
    );
  },

  /** Export statuses of many calls at once (the calls API). */
  async statuses(db: Queryable, callIds: readonly string[]): Promise<Map<string, Partial<Record<ExportTarget, { state: ExportState; reason: string | null }>>>> {
    const out = new Map<string, Partial<Record<ExportTarget, { state: ExportState; reason: string | null }>>>();
    if (callIds.length === 0) return out;
    const { rows } = await db.query<{ call_id: string; target: ExportTarget; state: ExportState; reason: string | null }>(
      'SELECT call_id::text, target, state, reason FROM call_exports WHERE call_id = ANY ($1::uuid[])',
      [callIds],
    );
    for (const r of rows) out.set(r.call_id, { ...out.get(r.call_id), [r.target]: { state: r.state, reason: r.reason } });
    return out;
  },

  /** Queue the export job of a stored call (keyed by call, so at most one waits). */
  async enqueue(db: Queryable, callId: string): Promise<void> {
    await db.query(
      `SELECT graphile_worker.add_job('${EXPORT_TASK}', json_build_object('callId', $1::text), job_key := 'export:' || $1::text, max_attempts := 10)`,
      [callId],
    );
  },
};
