// The stored settings (settings table, crm_* keys) as the post-call matrix reads them.
// toCrmSettings is pure; loadCrmSettings adds what lives elsewhere (the senior
// manager's CRM owner) and reads everything from one connection.
import type { Queryable } from '../db/pool.ts';
import { loadSettings, type Settings } from '../db/repositories/settings.ts';
import type { LookupTarget } from '../routing/types.ts';
import type { CrmSettings, FieldMapping, PipelineRule } from './types.ts';

/** The matrix's settings plus the responsible-manager lookup order the mirror facts need. */
export interface CrmSyncSettings {
  readonly matrix: CrmSettings;
  readonly lookupOrder: readonly LookupTarget[];
}

export function pipelineRules(stored: Settings['crm_deal_pipeline_rules']): PipelineRule[] {
  return stored.flatMap((r): PipelineRule[] => {
    const m = r.match;
    const match =
      m.tracking_number !== undefined
        ? { trackingNumber: m.tracking_number }
        : m.site_id !== undefined
          ? { siteId: m.site_id }
          : m.utm_source !== undefined
            ? { utmSource: m.utm_source }
            : undefined;
    return match ? [{ match, pipelineId: r.pipeline_id, stageId: r.stage_id }] : [];
  });
}

export function toCrmSettings(s: Settings, extras: { seniorManagerOwnerId: string | null; now: Date }): CrmSyncSettings {
  const mapping: FieldMapping = Object.fromEntries(Object.entries(s.crm_field_mapping).filter(([, v]) => typeof v === 'string' && v !== ''));
  return {
    matrix: {
      createEntities: s.crm_create_entities,
      createWhen: s.crm_create_when,
      utmOnly: s.crm_utm_only,
      language: s.crm_language,
      pipelineRules: pipelineRules(s.crm_deal_pipeline_rules),
      defaultPipelineId: s.crm_deal_pipeline?.pipeline_id ?? null,
      defaultStageId: s.crm_deal_pipeline?.stage_id ?? null,
      fieldMapping: mapping,
      createForUnknownOutbound: s.crm_outbound_create_for_new_client,
      completedTaskForEveryAnsweredCall: s.crm_completed_task_for_answered_calls,
      missedTaskDueMinutes: s.missed_call_task_due_minutes,
      seniorManagerOwnerId: extras.seniorManagerOwnerId,
      timeZone: s.time_zone,
      now: extras.now,
    },
    lookupOrder: s.crm_responsible_lookup_order,
  };
}

/** The settings as they are now; `now` is the matrix's clock (the executor passes the call's end). */
export async function loadCrmSettings(db: Queryable, now: Date): Promise<CrmSyncSettings> {
  const settings = await loadSettings(db);
  const { rows } = await db.query<{ hubspot_owner_id: string | null }>(
    `SELECT hubspot_owner_id FROM employees WHERE is_senior_manager LIMIT 1`,
  );
  const owner = rows[0]?.hubspot_owner_id ?? null;
  return toCrmSettings(settings, { seniorManagerOwnerId: owner === '' ? null : owner, now });
}
