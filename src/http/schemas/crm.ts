// The CRM mirror's API (SPEC §6): "Refresh CRM data", the full sync, its status,
// the phone properties it reads, and HubSpot's webhooks.
import { Type, type Static } from 'typebox';

const Timestamp = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

export const CrmRefreshResult = Type.Object({
  owners: Type.Integer({ description: 'active owners' }),
  pipelines: Type.Integer({ description: 'deal pipelines' }),
  stages: Type.Integer({ description: 'deal stages across the pipelines' }),
  phone_properties: Type.Integer({ description: 'contact properties read as phone numbers' }),
  deals_reopened_or_closed: Type.Integer({ description: 'deals whose open flag changed with the stages' }),
});
export type CrmRefreshResult = Static<typeof CrmRefreshResult>;

export const FullSyncQuery = Type.Object(
  { restart: Type.Boolean({ default: false, description: 'start over instead of resuming an unfinished sync' }) },
  { additionalProperties: false },
);

export const FullSyncStarted = Type.Object({
  status: Type.Literal('started', { description: 'always started: follow it with GET /crm/sync-status' }),
  detail: Type.String({ description: 'whether it started over or resumed' }),
});

const IncrementalStatus = (what: string) =>
  Type.Object(
    {
      high_water: Timestamp('records changed up to here are in the mirror'),
      status: Type.String({ description: 'idle, running or failed' }),
      error: Type.Union([Type.String(), Type.Null()], { description: 'why the last run failed' }),
      updated_at: Timestamp('when it last ran'),
    },
    { description: `the incremental sync of ${what}` },
  );

export const SyncStatus = Type.Object({
  filled: Type.Boolean({ description: 'a full sync has finished: routing can rely on the mirror' }),
  full_sync: Type.Object(
    {
      status: Type.Enum(['idle', 'running', 'done', 'failed'], {
        description: 'running from the moment POST /crm/full-sync answers 202; failed runs resume where they stopped',
      }),
      active: Type.Boolean({ description: 'some ringpath process is running it now' }),
      processed: Type.Integer({ description: 'contacts and deals read so far' }),
      total: Type.Union([Type.Integer(), Type.Null()], { description: 'about how many there are to read; null before the count' }),
      phase: Type.Union([Type.Enum(['contacts', 'deals']), Type.Null()], { description: 'what is being read now' }),
      started_at: Timestamp('when the current or last run started'),
      finished_at: Timestamp('when a full sync last finished'),
      updated_at: Timestamp('when its progress was last saved'),
      error: Type.Union([Type.String(), Type.Null()], { description: 'why the last run stopped' }),
    },
    { description: 'the full sync, which reads every contact and deal' },
  ),
  incremental_sync: Type.Object(
    {
      active: Type.Boolean({ description: 'some ringpath process is running it now' }),
      contacts: IncrementalStatus('contacts'),
      deals: IncrementalStatus('deals'),
    },
    { description: 'the sync of recent changes, every CRM_INCREMENTAL_SYNC_S seconds' },
  ),
  webhooks: Type.Object(
    { pending: Type.Integer({ description: 'records named by webhooks, waiting to be re-read' }) },
    { description: "HubSpot's change notifications" },
  ),
  property_problems: Type.Array(
    Type.Object({
      object_type: Type.String({ description: 'the HubSpot object type the property belongs to, e.g. calls or contacts' }),
      property: Type.String({ description: "the property's internal name" }),
      reason: Type.String({ description: 'why it is not written' }),
      first_seen_at: Type.String({ format: 'date-time', description: 'when the problem was first seen' }),
      last_seen_at: Type.String({ format: 'date-time', description: 'when it was last seen' }),
    }),
    { description: 'properties the CRM sync meant to write that HubSpot does not have (deleted, or refused to create): calls are synced without them' },
  ),
  counts: Type.Object({
    contacts: Type.Integer({ description: 'contacts in the mirror' }),
    deals: Type.Integer({ description: 'deals in the mirror' }),
    open_deals: Type.Integer({ description: 'deals in an open stage' }),
    owners: Type.Integer({ description: 'active owners' }),
    pipelines: Type.Integer({ description: 'deal pipelines' }),
    stages: Type.Integer({ description: 'deal stages' }),
    phones: Type.Integer({ description: 'contact phone values read as E.164' }),
    unreadable_phones: Type.Integer({ description: 'phone values kept as written because they are not phone numbers' }),
  }, { description: 'what the mirror holds' }),
});
export type SyncStatus = Static<typeof SyncStatus>;

const PropertyName = Type.String({ pattern: '^[a-z][a-z0-9_]{0,99}$', 'x-message': 'must be the internal name of a HubSpot property, such as work_phone (a–z, 0–9, _)', description: 'internal name of a contact property' });

export const PhoneProperties = Type.Object({
  items: Type.Array(
    Type.Object({
      name: Type.String({ description: 'internal name of the contact property' }),
      origin: Type.Enum(['default', 'discovered', 'custom'], {
        description: "default: HubSpot's own phone properties; discovered: of type phone number in the portal; custom: set by PUT",
      }),
    }),
    { description: 'the contact properties read as phone numbers' },
  ),
});

export const PhonePropertiesUpdate = Type.Object(
  { custom: Type.Array(PropertyName, { maxItems: 50, uniqueItems: true, description: 'extra contact properties holding phone numbers' }) },
  { additionalProperties: false },
);
export type PhonePropertiesUpdate = Static<typeof PhonePropertiesUpdate>;

export const WebhookAccepted = Type.Object({
  queued: Type.Integer({ description: 'records to be re-read from HubSpot' }),
  deleted: Type.Integer({ description: 'records deleted in HubSpot, taken out of the mirror' }),
  ignored: Type.Integer({ description: 'events about other objects or of other kinds' }),
});

export const CrmOwners = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ description: "HubSpot's owner id, the value of an employee's hubspot_owner_id" }),
      email: Type.Union([Type.String(), Type.Null()], { description: "the owner's email in HubSpot; null when HubSpot has none" }),
      first_name: Type.Union([Type.String(), Type.Null()], { description: "the owner's first name in HubSpot; null when HubSpot has none" }),
      last_name: Type.Union([Type.String(), Type.Null()], { description: "the owner's last name in HubSpot; null when HubSpot has none" }),
      archived: Type.Boolean({ description: 'deactivated in HubSpot: cannot be mapped' }),
      employee: Type.Union(
        [
          Type.Object({
            id: Type.Integer({ description: "the employee's id" }),
            full_name: Type.String({ description: "the employee's full name" }),
          }),
          Type.Null(),
        ],
        { description: 'the employee mapped to this owner; null when none is' },
      ),
    }),
    { description: 'the owners, deactivated ones last' },
  ),
});

export const PropertiesQuery = Type.Object(
  { object: Type.Enum(['calls', 'contacts', 'deals'], { description: 'the HubSpot object type whose properties to list' }) },
  { additionalProperties: false },
);

export const CrmProperties = Type.Object({
  items: Type.Array(
    Type.Object({
      name: Type.String({ description: "the property's internal name, the value a field mapping takes" }),
      label: Type.String({ description: 'the name HubSpot shows' }),
      type: Type.String({ description: "HubSpot's property type (string, number, enumeration, datetime, …)" }),
      group: Type.String({ description: 'the property group it belongs to' }),
      read_only: Type.Boolean({ description: 'HubSpot keeps its value itself (read-only or calculated): a mapping to it is refused' }),
    }),
    { description: 'the properties by label; hidden and archived ones left out' },
  ),
});

export const CrmPipelines = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ description: "HubSpot's pipeline id, the value of pipeline_id" }),
      label: Type.String({ description: 'the name HubSpot shows' }),
      stages: Type.Array(
        Type.Object({
          id: Type.String({ description: "HubSpot's stage id, the value of stage_id" }),
          label: Type.String({ description: 'the name HubSpot shows' }),
          is_closed: Type.Boolean({ description: 'a deal in this stage is closed (won or lost)' }),
        }),
        { description: "the pipeline's stages in HubSpot's order" },
      ),
    }),
    { description: 'the deal pipelines in the mirror, in HubSpot\'s order' },
  ),
});
