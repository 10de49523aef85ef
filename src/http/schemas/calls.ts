import { Type, type Static, type TSchema } from 'typebox';
import { ListQuery } from './common.ts';
import { CallExports } from './outbound.ts';

export const CRM_SYNC_STATES = ['not_required', 'pending', 'synced', 'failed'] as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A nullable field, described. */
const N = <T extends TSchema>(t: T, description: string) => Type.Union([t, Type.Null()], { description });
const DateTime = (description: string) => Type.String({ format: 'date-time', description });
const Directions = ['inbound', 'outbound', 'internal'] as const;
const DIRECTION_DOC = 'inbound: from a caller to a tracking number; outbound: placed by an employee; internal: between employees';

export const CallsQuery = Type.Object(
  {
    ...ListQuery.properties,
    crm_sync_state: Type.Optional(
      Type.Enum([...CRM_SYNC_STATES], { description: 'failed: the dead letter (the CRM refused a write for good, or the retries ran out)' }),
    ),
    direction: Type.Optional(Type.Enum(Directions, { description: DIRECTION_DOC })),
    disposition: Type.Optional(Type.Enum(['answered', 'missed', 'busy', 'failed', 'abandoned', 'blocked'], { description: 'how the call ended' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'calls started at or after (ISO 8601 with a zone)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'calls started before (ISO 8601 with a zone)' })),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'part of the source label or UTM source, any case' })),
    campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'part of the UTM campaign, any case' })),
    answered_by: Type.Optional(Type.Integer({ minimum: 1, description: 'employee id who answered' })),
    record_owner: Type.Optional(Type.Integer({ minimum: 1, description: "employee id whose HubSpot owner owns the call's contact" })),
    not_called_back_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, description: 'missed inbound calls with no outbound call to the caller within this many days' }),
    ),
    include_test: Type.Optional(Type.Boolean({ default: false, description: 'true lists test calls to the CRM too (left out by default)' })),
  },
  { additionalProperties: false },
);
export type CallsQuery = Static<typeof CallsQuery>;

export const CallIdParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'the call id' }) }, { additionalProperties: false });

const Text = (description: string) => N(Type.String(), description);

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
    source: Text('utm_source, or the classified source such as google'),
    medium: Text('utm_medium, or the classified medium such as organic'),
    campaign: Text('utm_campaign'),
    content: Text('utm_content'),
    term: Text('utm_term'),
    gclid: Text('Google Ads click id'),
    gbraid: Text('Google Ads click id (iOS apps)'),
    wbraid: Text('Google Ads click id (iOS web)'),
    fbclid: Text('Meta click id'),
    msclkid: Text('Microsoft Ads click id'),
    ga_client_id: Nullable(Type.String({ description: 'from the _ga cookie' })),
    referrer: Text('the page the visitor came from'),
    landing_page: Text('the first page of the visit'),
  },
  { description: "a copy of the session's (or static number's) source as it was when the call started" },
);
export type CallAttribution = Static<typeof CallAttribution>;

export const CallSummary = Type.Object({
  id: Type.String({ format: 'uuid', description: 'the call id' }),
  direction: Type.Enum(Directions, { description: DIRECTION_DOC }),
  disposition: Type.Enum(['answered', 'missed', 'busy', 'failed', 'abandoned', 'blocked'], {
    description: 'blocked: an outbound call the dial plan refused (never rung, not synced to the CRM)',
  }),
  caller: N(Type.String(), 'E.164 of the caller; null when withheld'),
  callee: N(Type.String(), 'E.164 of the number called: the tracking number (inbound) or the number dialled (outbound)'),
  tracking_number: N(Type.String(), 'the tracking number dialled (inbound)'),
  source: Type.String({ description: 'the attribution label, e.g. "google / cpc" or "unattributed" (attribution.label)' }),
  attribution_confidence: Type.String({ description: 'attribution.confidence' }),
  attribution: CallAttribution,
  answered_by_employee_id: N(Type.Integer(), 'the employee who answered'),
  placed_by_employee_id: N(Type.Integer(), 'the employee who placed it (outbound and internal)'),
  started_at: DateTime('when the call came in or was placed'),
  answered_at: N(Type.String({ format: 'date-time' }), 'when it was answered; null when it was not'),
  ended_at: DateTime('when it ended'),
  ring_duration_ms: Type.Integer({ description: 'milliseconds from start to answer (or end)' }),
  talk_duration_ms: Type.Integer({ description: 'milliseconds from answer to end' }),
  has_recording: Type.Boolean({ description: 'a recording can be fetched' }),
  crm_sync_state: Type.Enum([...CRM_SYNC_STATES], { description: 'where writing the call to the CRM stands' }),
  crm_sync_error: N(Type.String(), 'why the CRM sync failed'),
  is_test: Type.Boolean({ description: 'a test call to the CRM (POST /api/v1/crm/test-calls), left out of reports' }),
  exports: CallExports,
});
export type CallSummary = Static<typeof CallSummary>;

export const CrmWriteEntry = Type.Object({
  key: Type.String({ description: 'the write key: contact, deal, call, task:callback, …' }),
  object_type: Type.Enum(['contact', 'deal', 'call', 'task'], { description: 'the kind of CRM record' }),
  object_id: Nullable(Type.String({ description: 'null while the write was in flight' })),
  reused: Type.Boolean({ description: 'an existing record used instead of creating one' }),
  written_at: N(Type.String({ format: 'date-time' }), 'when HubSpot confirmed it'),
});

export const CrmSync = Type.Object({
  state: Type.Enum([...CRM_SYNC_STATES], { description: 'where writing the call to the CRM stands' }),
  error: Nullable(Type.String({ description: 'why the sync failed (dead letter), or the last transient error' })),
  contact_id: N(Type.String(), 'the HubSpot contact'),
  deal_id: N(Type.String(), 'the HubSpot deal'),
  call_id: Nullable(Type.String({ description: 'the call engagement' })),
  matrix_rows: Type.Array(Type.String(), { description: 'the rows of the post-call table that decided the writes' }),
  warnings: Type.Array(
    Type.Object({ code: Type.String({ description: 'stable machine-readable code' }), message: Type.String({ description: 'in words' }) }),
    { description: 'what the post-call table could not do as configured' },
  ),
  attempts: Type.Integer({ description: 'sync attempts so far' }),
  failures: Type.Integer({ description: 'attempts that ended in a transient error' }),
  requests: Type.Number({ description: 'HubSpot requests spent (a batch of n counts 1/n per call)' }),
  failed_write: N(Type.String(), 'the write key that failed'),
  failed_status: N(Type.Integer(), "HubSpot's HTTP status for it"),
  failed_at: N(Type.String({ format: 'date-time' }), 'when it failed for good'),
  synced_at: N(Type.String({ format: 'date-time' }), 'when every write was done'),
  manual_retries: Type.Integer({ description: 'retries asked for with POST /calls/{id}/crm-sync/retry' }),
  retried_at: N(Type.String({ format: 'date-time' }), 'when the last manual retry was asked for'),
  writes: Type.Array(CrmWriteEntry, { description: 'the CRM records written for the call' }),
}, { description: 'how the call was written to the CRM' });

export const CallDetail = Type.Object({
  ...CallSummary.properties,
  routing_trace: Type.Array(Type.Unknown(), { description: 'each routing step, each destination tried and its result' }),
  recording_url: Nullable(Type.String({ description: 'a signed link to the recording (WAV, seekable), valid for RECORDING_URL_TTL_S' })),
  crm_sync: CrmSync,
});
export type CallDetail = Static<typeof CallDetail>;

export const RetryAccepted = Type.Object({
  id: Type.String({ format: 'uuid', description: 'the call id' }),
  crm_sync_state: Type.Literal('pending', { description: 'queued again' }),
});

export const BulkRetryBody = Type.Object(
  {
    reason_contains: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'only calls whose crm_sync_error contains this text (case-insensitive), e.g. "401" or "INVALID_AUTHENTICATION"; omitted: every dead-lettered call' }),
    ),
  },
  { additionalProperties: false },
);
export type BulkRetryBody = Static<typeof BulkRetryBody>;

export const BulkRetryAccepted = Type.Object({
  retried: Type.Integer({ minimum: 0, description: 'how many dead-lettered calls went back to pending' }),
  ids: Type.Array(Type.String({ format: 'uuid' }), { description: 'the calls queued again, oldest first' }),
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
  employee_name: N(Type.String(), "the employee's full name"),
  destinations: Type.Array(Type.String(), { description: 'every destination rung at once for this target' }),
});

const SimulatedStep = Type.Object({
  order: Type.Integer({ description: '1-based, in the order the plan would ring' }),
  step: Type.Integer({ description: "1-based step of the routing scheme" }),
  step_type: Type.String({ description: 'the kind of routing step' }),
  action: Type.Enum(['ring', 'skip'], { description: 'whether the step would ring anyone' }),
  ring_timeout_s: N(Type.Integer(), 'seconds it would ring; null when skipped'),
  targets: Type.Array(SimulatedTarget, { description: 'who would be rung' }),
  reason: Type.String({ description: 'why, in words' }),
  skip_code: Nullable(Type.String({ description: 'why the step is skipped: outside_working_hours, not_found, nobody_eligible, …' })),
  excluded: Type.Array(
    Type.Object({
      employee_id: N(Type.Integer(), 'the employee left out'),
      code: Type.String({ description: 'why: quality_control, no_destinations, unknown_employee, unknown_owner, duplicate or loop' }),
      detail: Type.String({ description: 'in words' }),
    }),
    { description: 'employees the step would have rung but leaves out' },
  ),
});

export const SimulationReport = Type.Object({
  simulated: Type.Literal(true, { description: 'always true: nothing was rung or stored' }),
  at: DateTime('the moment simulated'),
  caller: Nullable(Type.String({ description: 'E.164; null for a withheld caller' })),
  tracking_number: Type.Object({
    id: Type.Integer({ description: 'the tracking number id' }),
    number: Type.String({ description: 'E.164' }),
    kind: Type.Enum(['static', 'pool'], { description: 'static or pool' }),
    pool_id: N(Type.Integer(), 'its pool'),
    site_id: N(Type.Integer(), "its pool's site"),
    source_name: Nullable(Type.String({ description: "a static number's fixed source" })),
    fallback_for_site_id: Nullable(Type.Integer({ description: 'the site this is the fallback number of: calls to it attribute as fallback' })),
  }, { description: 'the number dialled' }),
  attribution: CallAttribution,
  routing: Type.Object({
    scheme_id: N(Type.Integer(), 'the routing scheme used'),
    scheme_found: Type.Boolean({ description: 'false: the number has no scheme or it was deleted; nobody would be rung' }),
    crm_lookup: Nullable(
      Type.Object(
        {
          status: Type.Enum(['found', 'not_found', 'failed', 'timeout'], { description: 'how the lookup ended' }),
          contact_owner_id: N(Type.String(), "the HubSpot owner of the caller's contact"),
          deal_owner_id: N(Type.String(), "the HubSpot owner of the caller's open deal"),
        },
        { description: "what the CRM mirror said about the caller; null when no step asked" },
      ),
    ),
    responsible_manager_id: N(Type.Integer(), "the employee found as the caller's responsible manager"),
    steps: Type.Array(SimulatedStep, { description: 'the plan, in ringing order' }),
    round_robin: Type.Array(
      Type.Object(
        {
          step: Type.Integer({ description: '1-based step of the routing scheme' }),
          first_employee_id: Type.Integer({ description: 'the employee offered first' }),
        },
        { description: 'who this call would offer first; the rotation does not move' },
      ),
      { description: 'round-robin steps and whom they would offer the call first' },
    ),
    rings_anyone: Type.Boolean({ description: 'false: nobody would be rung' }),
  }, { description: 'the routing plan the call would get' }),
  lines: Type.Array(Type.String(), { description: 'the same, in the words `ringpath simulate-call` prints' }),
});
