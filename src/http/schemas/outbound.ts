import { Type, type Static, type TSchema } from 'typebox';
import { CALL_EVENT_TYPES } from '../../outbound/events.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const EventTypes = Type.Array(Type.Enum([...CALL_EVENT_TYPES]), { minItems: 1, uniqueItems: true });

export const WebhookCreate = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL the events are POSTed to' }),
    event_types: EventTypes,
    secret: Type.Optional(
      Type.String({ maxLength: 200, description: 'whsec_ + base64 of 24 to 64 random bytes; generated when absent' }),
    ),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type WebhookCreate = Static<typeof WebhookCreate>;

export const WebhookUpdate = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    event_types: Type.Optional(EventTypes),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    enabled: Type.Optional(Type.Boolean({ description: 'true turns a disabled endpoint back on and clears its failures' })),
  },
  { additionalProperties: false },
);
export type WebhookUpdate = Static<typeof WebhookUpdate>;

export const Webhook = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  event_types: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  enabled: Type.Boolean(),
  disabled_reason: Nullable(Type.String({ description: 'why ringpath (or an admin) disabled it' })),
  disabled_at: Nullable(DateTime),
  consecutive_failures: Type.Integer(),
  created_at: DateTime,
  updated_at: DateTime,
});
export type Webhook = Static<typeof Webhook>;

export const WebhookCreated = Type.Object({
  ...Webhook.properties,
  secret: Type.String({ description: 'shown once, here; it signs every delivery (Standard Webhooks)' }),
});

export const WebhookAttempt = Type.Object({
  attempted_at: DateTime,
  status_code: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  duration_ms: Type.Integer(),
});

export const WebhookDelivery = Type.Object({
  id: Type.Integer(),
  message_id: Type.String({ description: 'the webhook-id header' }),
  event_type: Type.String(),
  call_id: Type.String(),
  state: Type.Enum(['pending', 'delivered', 'failed']),
  attempts: Type.Integer(),
  last_error: Nullable(Type.String()),
  next_attempt_at: Nullable(DateTime),
  created_at: DateTime,
  delivered_at: Nullable(DateTime),
  attempt_log: Type.Array(WebhookAttempt),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const DeliveryParams = Type.Object(
  { id: Type.Integer({ minimum: 1 }), deliveryId: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const SiteExportsPut = Type.Object(
  {
    ga4: Type.Optional(
      Nullable(
        Type.Object(
          {
            measurement_id: Type.String({ description: 'G-XXXXXXX' }),
            api_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'write-only; kept when absent' })),
            event_name: Type.Optional(Type.String()),
            conversion_event: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    qualified_call: Type.Optional(
      Type.Object(
        {
          min_talk_s: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
          answered: Type.Optional(Type.Boolean()),
          first_time_caller: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    google_ads: Type.Optional(
      Nullable(
        Type.Object(
          {
            feed_user: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^:]+$' }),
            feed_password: Type.Optional(Type.String({ minLength: 16, maxLength: 200, description: 'write-only; kept when absent' })),
            conversion_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            conversion_value: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9 })),
            currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
            time_zone: Type.Optional(Type.String({ description: 'IANA time zone, e.g. Europe/Kyiv' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
export type SiteExportsPut = Static<typeof SiteExportsPut>;

export const SiteExports = Type.Object({
  site_id: Type.Integer(),
  ga4: Nullable(
    Type.Object({ measurement_id: Type.String(), api_secret_set: Type.Boolean(), event_name: Type.String(), conversion_event: Type.String() }),
  ),
  qualified_call: Type.Object({ min_talk_s: Type.Integer(), answered: Type.Boolean(), first_time_caller: Type.Boolean() }),
  google_ads: Nullable(
    Type.Object({
      feed_url: Type.String(),
      feed_user: Type.String(),
      conversion_name: Type.String(),
      conversion_value: Type.Number(),
      currency: Type.String(),
      time_zone: Type.String(),
    }),
  ),
});
export type SiteExports = Static<typeof SiteExports>;

export const ExportStatus = Nullable(Type.Object({ state: Type.String(), reason: Nullable(Type.String()) }));
export const CallExports = Type.Object({ ga4: ExportStatus, google_ads: ExportStatus });
