// The CRM mirror's API (SPEC §6): "Refresh CRM data", the full sync, its status,
// the phone properties it reads, and HubSpot's webhooks.
import { Type, type Static } from 'typebox';

const Timestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const CrmRefreshResult = Type.Object({
  owners: Type.Integer({ description: 'active owners' }),
  pipelines: Type.Integer(),
  stages: Type.Integer(),
  phone_properties: Type.Integer({ description: 'contact properties read as phone numbers' }),
  deals_reopened_or_closed: Type.Integer({ description: 'deals whose open flag changed with the stages' }),
});
export type CrmRefreshResult = Static<typeof CrmRefreshResult>;

export const FullSyncQuery = Type.Object(
  { restart: Type.Boolean({ default: false, description: 'start over instead of resuming an unfinished sync' }) },
  { additionalProperties: false },
);

export const FullSyncStarted = Type.Object({
  status: Type.Literal('started'),
  detail: Type.String(),
});

const IncrementalStatus = Type.Object({
  high_water: Timestamp,
  status: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
  updated_at: Timestamp,
});

export const SyncStatus = Type.Object({
  filled: Type.Boolean({ description: 'a full sync has finished: routing can rely on the mirror' }),
  full_sync: Type.Object({
    status: Type.Enum(['idle', 'running', 'done', 'failed']),
    active: Type.Boolean({ description: 'some ringpath process is running it now' }),
    processed: Type.Integer(),
    total: Type.Union([Type.Integer(), Type.Null()]),
    phase: Type.Union([Type.Enum(['contacts', 'deals']), Type.Null()]),
    started_at: Timestamp,
    finished_at: Timestamp,
    updated_at: Timestamp,
    error: Type.Union([Type.String(), Type.Null()]),
  }),
  incremental_sync: Type.Object({ active: Type.Boolean(), contacts: IncrementalStatus, deals: IncrementalStatus }),
  webhooks: Type.Object({ pending: Type.Integer({ description: 'records named by webhooks, waiting to be re-read' }) }),
  property_problems: Type.Array(
    Type.Object({
      object_type: Type.String(),
      property: Type.String(),
      reason: Type.String(),
      first_seen_at: Type.String({ format: 'date-time' }),
      last_seen_at: Type.String({ format: 'date-time' }),
    }),
    { description: 'properties the CRM sync meant to write that HubSpot does not have (deleted, or refused to create): calls are synced without them' },
  ),
  counts: Type.Object({
    contacts: Type.Integer(),
    deals: Type.Integer(),
    open_deals: Type.Integer(),
    owners: Type.Integer(),
    pipelines: Type.Integer(),
    stages: Type.Integer(),
    phones: Type.Integer(),
    unreadable_phones: Type.Integer({ description: 'phone values kept as written because they are not phone numbers' }),
  }),
});
export type SyncStatus = Static<typeof SyncStatus>;

const PropertyName = Type.String({ pattern: '^[a-z][a-z0-9_]{0,99}$', description: 'internal name of a contact property' });

export const PhoneProperties = Type.Object({
  items: Type.Array(Type.Object({ name: Type.String(), origin: Type.Enum(['default', 'discovered', 'custom']) })),
});

export const PhonePropertiesUpdate = Type.Object(
  { custom: Type.Array(PropertyName, { maxItems: 50, uniqueItems: true, description: 'extra contact properties holding phone numbers' }) },
  { additionalProperties: false },
);
export type PhonePropertiesUpdate = Static<typeof PhonePropertiesUpdate>;

export const WebhookAccepted = Type.Object({
  queued: Type.Integer({ description: 'records to be re-read from HubSpot' }),
  deleted: Type.Integer(),
  ignored: Type.Integer({ description: 'events about other objects or of other kinds' }),
});

export const CrmOwners = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ description: "HubSpot's owner id, the value of an employee's hubspot_owner_id" }),
      email: Type.Union([Type.String(), Type.Null()]),
      first_name: Type.Union([Type.String(), Type.Null()]),
      last_name: Type.Union([Type.String(), Type.Null()]),
      archived: Type.Boolean({ description: 'deactivated in HubSpot: cannot be mapped' }),
      employee: Type.Union([Type.Object({ id: Type.Integer(), full_name: Type.String() }), Type.Null()], { description: 'the employee mapped to this owner' }),
    }),
  ),
});
