import { Type, type Static, type TSchema } from 'typebox';
import { ListQuery } from './common.ts';

export const CRM_SYNC_STATES = ['not_required', 'pending', 'synced', 'failed'] as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const CallsQuery = Type.Object(
  {
    ...ListQuery.properties,
    crm_sync_state: Type.Optional(
      Type.Enum([...CRM_SYNC_STATES], { description: 'failed: the dead letter (the CRM refused a write for good, or the retries ran out)' }),
    ),
    direction: Type.Optional(Type.Enum(['inbound', 'outbound', 'internal'])),
    disposition: Type.Optional(Type.Enum(['answered', 'missed', 'busy', 'failed', 'abandoned', 'blocked'])),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'calls started at or after (ISO 8601 with a zone)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'calls started before (ISO 8601 with a zone)' })),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'part of the source label or UTM source, any case' })),
    campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'part of the UTM campaign, any case' })),
    answered_by: Type.Optional(Type.Integer({ minimum: 1, description: 'employee id who answered' })),
    record_owner: Type.Optional(Type.Integer({ minimum: 1, description: "employee id whose HubSpot owner owns the call's contact" })),
    not_called_back_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, description: 'missed inbound calls with no outbound call to the caller within this many days' }),
    ),
  },
  { additionalProperties: false },
);
export type CallsQuery = Static<typeof CallsQuery>;

export const CallIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

const Text = Nullable(Type.String());

/** Which source brought the call (SPEC §4): the visitor session, or the static number's source. */
export const CallAttribution = Type.Object(
  {
    confidence: Type.Enum(['exact', 'recent', 'static', 'fallback', 'none'], {
      description:
        'exact: the visitor session held the dialled pool number when the call started; recent: it had let it go within the hold time ' +
        '(a best guess); static: a static number\'s fixed source; fallback: a site\'s fallback number, unattributed (pool exhausted); none: unattributed',
    }),
    label: Type.String({ description: 'what a person reads: "google / cpc", "Billboard A1", "unattributed (pool exhausted)"' }),
    visitor_session_id: Nullable(Type.Integer({ description: 'the visitor session (exact and recent only)' })),
    source: Text,
    medium: Text,
    campaign: Text,
    content: Text,
    term: Text,
    gclid: Text,
    gbraid: Text,
    wbraid: Text,
    fbclid: Text,
    msclkid: Text,
    ga_client_id: Nullable(Type.String({ description: 'from the _ga cookie' })),
    referrer: Text,
    landing_page: Text,
  },
  { description: "a copy of the session's (or static number's) source as it was when the call started" },
);
export type CallAttribution = Static<typeof CallAttribution>;

export const CallSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  direction: Type.Enum(['inbound', 'outbound', 'internal']),
  disposition: Type.Enum(['answered', 'missed', 'busy', 'failed', 'abandoned', 'blocked'], {
    description: 'blocked: an outbound call the dial plan refused (never rung, not synced to the CRM)',
  }),
  caller: Nullable(Type.String()),
  callee: Nullable(Type.String()),
  tracking_number: Nullable(Type.String()),
  source: Type.String({ description: 'the attribution label, e.g. "google / cpc" or "unattributed" (attribution.label)' }),
  attribution_confidence: Type.String({ description: 'attribution.confidence' }),
  attribution: CallAttribution,
  answered_by_employee_id: Nullable(Type.Integer()),
  placed_by_employee_id: Nullable(Type.Integer()),
  started_at: DateTime,
  answered_at: Nullable(DateTime),
  ended_at: DateTime,
  ring_duration_ms: Type.Integer(),
  talk_duration_ms: Type.Integer(),
  has_recording: Type.Boolean(),
  crm_sync_state: Type.Enum([...CRM_SYNC_STATES]),
  crm_sync_error: Nullable(Type.String()),
});
export type CallSummary = Static<typeof CallSummary>;

export const CrmWriteEntry = Type.Object({
  key: Type.String({ description: 'the write key: contact, deal, call, task:callback, …' }),
  object_type: Type.Enum(['contact', 'deal', 'call', 'task']),
  object_id: Nullable(Type.String({ description: 'null while the write was in flight' })),
  reused: Type.Boolean({ description: 'an existing record used instead of creating one' }),
  written_at: Nullable(DateTime),
});

export const CrmSync = Type.Object({
  state: Type.Enum([...CRM_SYNC_STATES]),
  error: Nullable(Type.String({ description: 'why the sync failed (dead letter), or the last transient error' })),
  contact_id: Nullable(Type.String()),
  deal_id: Nullable(Type.String()),
  call_id: Nullable(Type.String({ description: 'the call engagement' })),
  matrix_rows: Type.Array(Type.String(), { description: 'the rows of the post-call table that decided the writes' }),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  attempts: Type.Integer(),
  failures: Type.Integer({ description: 'attempts that ended in a transient error' }),
  requests: Type.Number({ description: 'HubSpot requests spent (a batch of n counts 1/n per call)' }),
  failed_write: Nullable(Type.String()),
  failed_status: Nullable(Type.Integer()),
  failed_at: Nullable(DateTime),
  synced_at: Nullable(DateTime),
  manual_retries: Type.Integer(),
  retried_at: Nullable(DateTime),
  writes: Type.Array(CrmWriteEntry),
});

export const CallDetail = Type.Object({
  ...CallSummary.properties,
  routing_trace: Type.Array(Type.Unknown(), { description: 'each routing step, each destination tried and its result' }),
  recording_url: Nullable(Type.String({ description: 'a signed link to the recording (WAV, seekable), valid for RECORDING_URL_TTL_S' })),
  crm_sync: CrmSync,
});
export type CallDetail = Static<typeof CallDetail>;

export const RetryAccepted = Type.Object({
  id: Type.String({ format: 'uuid' }),
  crm_sync_state: Type.Literal('pending'),
});

export const SimulateCallBody = Type.Object(
  {
    from: Type.String({ minLength: 1, maxLength: 64, description: "the caller's number, any format; \"anonymous\" for a withheld caller" }),
    to: Type.String({ minLength: 1, maxLength: 64, description: 'the tracking number dialled, any format' }),
    at: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'when the call comes in: ISO 8601 with a zone, e.g. 2026-06-15T09:30:00+03:00; default now' }),
    ),
  },
  { additionalProperties: false },
);
export type SimulateCallBody = Static<typeof SimulateCallBody>;

const SimulatedTarget = Type.Object({
  employee_id: Nullable(Type.Integer({ description: 'null for an external number' })),
  employee_name: Nullable(Type.String()),
  destinations: Type.Array(Type.String(), { description: 'every destination rung at once for this target' }),
});

const SimulatedStep = Type.Object({
  order: Type.Integer({ description: '1-based, in the order the plan would ring' }),
  step: Type.Integer({ description: "1-based step of the routing scheme" }),
  step_type: Type.String(),
  action: Type.Enum(['ring', 'skip']),
  ring_timeout_s: Nullable(Type.Integer()),
  targets: Type.Array(SimulatedTarget),
  reason: Type.String(),
  skip_code: Nullable(Type.String({ description: 'why the step is skipped: outside_working_hours, not_found, nobody_eligible, …' })),
  excluded: Type.Array(Type.Object({ employee_id: Nullable(Type.Integer()), code: Type.String(), detail: Type.String() })),
});

export const SimulationReport = Type.Object({
  simulated: Type.Literal(true),
  at: DateTime,
  caller: Nullable(Type.String({ description: 'E.164; null for a withheld caller' })),
  tracking_number: Type.Object({
    id: Type.Integer(),
    number: Type.String(),
    kind: Type.Enum(['static', 'pool']),
    pool_id: Nullable(Type.Integer()),
    site_id: Nullable(Type.Integer()),
    source_name: Nullable(Type.String({ description: "a static number's fixed source" })),
    fallback_for_site_id: Nullable(Type.Integer({ description: 'the site this is the fallback number of: calls to it attribute as fallback' })),
  }),
  attribution: CallAttribution,
  routing: Type.Object({
    scheme_id: Nullable(Type.Integer()),
    scheme_found: Type.Boolean({ description: 'false: the number has no scheme or it was deleted; nobody would be rung' }),
    crm_lookup: Nullable(
      Type.Object(
        {
          status: Type.Enum(['found', 'not_found', 'failed', 'timeout']),
          contact_owner_id: Nullable(Type.String()),
          deal_owner_id: Nullable(Type.String()),
        },
        { description: "what the CRM mirror said about the caller; null when no step asked" },
      ),
    ),
    responsible_manager_id: Nullable(Type.Integer()),
    steps: Type.Array(SimulatedStep),
    round_robin: Type.Array(
      Type.Object({ step: Type.Integer(), first_employee_id: Type.Integer() }, { description: 'who this call would offer first; the rotation does not move' }),
    ),
    rings_anyone: Type.Boolean(),
  }),
  lines: Type.Array(Type.String(), { description: 'the same, in the words `ringpath simulate-call` prints' }),
});
