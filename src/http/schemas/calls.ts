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
  crm_sync: CrmSync,
});
export type CallDetail = Static<typeof CallDetail>;

export const RetryAccepted = Type.Object({
  id: Type.String({ format: 'uuid' }),
  crm_sync_state: Type.Literal('pending'),
});
