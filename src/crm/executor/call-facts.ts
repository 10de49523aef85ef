// The stored CDR as the post-call matrix sees it (CallFacts): who answered or placed
// the call with their CRM owner, the attribution with the visitor session's click ids,
// the site, the routing trace, and a recording link the CRM can play.
import type { Queryable } from '../../db/pool.ts';
import { readAttribution } from '../../calls/record.ts';
import type { CallDirection } from '../../db/repositories/calls.ts';
import type { Disposition, RoutingTrace } from '../../routing/types.ts';
import type { CallFacts, CallParty, RoutingTraceStep } from '../types.ts';

export type CrmSyncState = 'not_required' | 'pending' | 'synced' | 'failed';

export interface CallRow {
  readonly id: string;
  readonly direction: CallDirection;
  readonly disposition: Disposition;
  readonly caller: string | null;
  readonly callee: string | null;
  readonly caller_raw: string | null;
  readonly tracking_number: string | null;
  readonly tracking_number_id: number | null;
  readonly site_id: number | null;
  /** As stored, by whichever version of ringpath wrote the call (see readAttribution). */
  readonly attribution: unknown;
  readonly routing_trace: RoutingTrace;
  readonly unknown_employee: boolean;
  readonly answered_by_employee_id: number | null;
  readonly answered_by_destination: string | null;
  readonly answered_by_name: string | null;
  readonly answered_by_owner: string | null;
  readonly placed_by_employee_id: number | null;
  readonly placed_by_name: string | null;
  readonly placed_by_owner: string | null;
  readonly responsible_owner: string | null;
  readonly started_at: Date;
  readonly answered_at: Date | null;
  readonly ended_at: Date;
  readonly ring_duration_ms: number;
  readonly talk_duration_ms: number;
  readonly recording_path: string | null;
  readonly crm_sync_state: CrmSyncState;
  readonly gclid: string | null;
  readonly fbclid: string | null;
  readonly ga_client_id: string | null;
  readonly landing_page: string | null;
  readonly referrer: string | null;
}

/** A signed HTTPS link to the call's recording (.wav or .mp3), or undefined when there is none to give. */
/** The URL the CRM gets for a call's recording (ringpath's stable token URL in production). */
export type RecordingLink = (call: { readonly id: string; readonly recordingPath: string }) => string | undefined | Promise<string | undefined>;

export async function loadCallRow(db: Queryable, id: string): Promise<CallRow | undefined> {
  const { rows } = await db.query<CallRow>(
    `SELECT c.id, c.direction, c.disposition, c.caller, c.callee, c.caller_raw, c.tracking_number, c.tracking_number_id,
            p.site_id, c.attribution, c.routing_trace, c.unknown_employee,
            c.answered_by_employee_id, c.answered_by_destination, a.full_name AS answered_by_name, a.hubspot_owner_id AS answered_by_owner,
            c.placed_by_employee_id, o.full_name AS placed_by_name, o.hubspot_owner_id AS placed_by_owner, r.hubspot_owner_id AS responsible_owner,
            c.started_at, c.answered_at, c.ended_at, c.ring_duration_ms, c.talk_duration_ms, c.recording_path, c.crm_sync_state,
            v.gclid, v.fbclid, v.ga_client_id, v.landing_page, v.referrer
       FROM calls c
       LEFT JOIN tracking_numbers t ON t.id = c.tracking_number_id
       LEFT JOIN pools p ON p.id = t.pool_id
       LEFT JOIN employees a ON a.id = c.answered_by_employee_id
       LEFT JOIN employees o ON o.id = c.placed_by_employee_id
       LEFT JOIN employees r ON r.id = c.responsible_employee_id
       LEFT JOIN visitor_sessions v ON v.id = c.visitor_session_id
      WHERE c.id = $1`,
    [id],
  );
  return rows[0];
}

/** The client's number: the caller of an inbound call, the callee of an outbound one. */
export function clientNumber(row: Pick<CallRow, 'direction' | 'caller' | 'callee'>): string | null {
  if (row.direction === 'internal') return null;
  return row.direction === 'inbound' ? row.caller : row.callee;
}

const opt = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v.trim() === '' ? undefined : v);

function employee(id: number | null, name: string | null, owner: string | null): CallParty | null {
  if (id === null) return null;
  return { kind: 'employee', employeeId: id, ownerId: opt(owner) ?? null, name: name ?? `#${id}` };
}

function answeredBy(row: CallRow): CallParty | null {
  if (row.direction !== 'inbound' || row.disposition !== 'answered') return null;
  const known = employee(row.answered_by_employee_id, row.answered_by_name, row.answered_by_owner);
  if (known) return known;
  if (row.unknown_employee || row.answered_by_destination !== null) return { kind: 'unknown', destination: row.answered_by_destination ?? '?' };
  return null;
}

function placedBy(row: CallRow): CallParty | null {
  if (row.direction !== 'outbound') return null;
  return employee(row.placed_by_employee_id, row.placed_by_name, row.placed_by_owner) ?? { kind: 'unknown', destination: row.caller_raw ?? row.caller ?? '?' };
}

function traceSteps(trace: RoutingTrace): RoutingTraceStep[] {
  return (Array.isArray(trace) ? trace : []).map((e) => ({
    stepType: e.stepType,
    result: e.result,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(typeof e.ringMs === 'number' ? { ringMs: e.ringMs } : {}),
  }));
}

/** Pure: the CDR row as CallFacts. */
export function toCallFacts(row: CallRow, recordingUrl: string | undefined): CallFacts {
  // The call keeps a copy of its session's source; calls stored before it did read the session's columns.
  const a = readAttribution(row.attribution);
  const attribution: CallFacts['attribution'] = {
    confidence: a.confidence,
    label: a.label,
    source: opt(a.source),
    medium: opt(a.medium),
    campaign: opt(a.campaign),
    content: opt(a.content),
    term: opt(a.term),
    gclid: opt(a.gclid) ?? opt(row.gclid),
    gbraid: opt(a.gbraid),
    wbraid: opt(a.wbraid),
    fbclid: opt(a.fbclid) ?? opt(row.fbclid),
    msclkid: opt(a.msclkid),
    gaClientId: opt(a.gaClientId) ?? opt(row.ga_client_id),
    landingPage: opt(a.landingPage) ?? opt(row.landing_page),
    referrer: opt(a.referrer) ?? opt(row.referrer),
  };
  return {
    id: row.id,
    direction: row.direction,
    disposition: row.disposition,
    callerE164: row.caller,
    calleeE164: row.callee,
    trackingNumber: opt(row.tracking_number),
    trackingNumberId: row.tracking_number_id ?? undefined,
    siteId: row.site_id ?? undefined,
    startedAt: row.started_at,
    answeredAt: row.answered_at ?? undefined,
    endedAt: row.ended_at,
    talkMs: row.talk_duration_ms,
    ringMs: row.ring_duration_ms,
    answeredBy: answeredBy(row),
    placedBy: placedBy(row),
    ...(opt(row.responsible_owner) ? { routingResponsibleOwnerId: row.responsible_owner! } : {}),
    attribution,
    routingTrace: traceSteps(row.routing_trace),
    recordingUrl,
  };
}
