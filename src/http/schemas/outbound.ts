import { Type, type Static, type TSchema } from 'typebox';
import { CALL_EVENT_TYPES } from '../../outbound/events.ts';

const Nullable = <T extends TSchema>(t: T, description?: string) => Type.Union([t, Type.Null()], description ? { description } : {});
const DateTime = (description: string) => Type.String({ format: 'date-time', description });
const EventTypes = Type.Array(Type.Enum([...CALL_EVENT_TYPES]), { minItems: 1, uniqueItems: true, description: 'the call events sent to this endpoint' });

export const WebhookCreate = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL the events are POSTed to' }),
    event_types: EventTypes,
    secret: Type.Optional(
      Type.String({ maxLength: 200, description: 'whsec_ + base64 of 24 to 64 random bytes; generated when absent' }),
    ),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }), 'a note for admins: what the endpoint is for')),
  },
  { additionalProperties: false },
);
export type WebhookCreate = Static<typeof WebhookCreate>;

export const WebhookUpdate = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL the events are POSTed to' })),
    event_types: Type.Optional(EventTypes),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }), 'a note for admins: what the endpoint is for')),
    enabled: Type.Optional(Type.Boolean({ description: 'true turns a disabled endpoint back on and clears its failures' })),
  },
  { additionalProperties: false },
);
export type WebhookUpdate = Static<typeof WebhookUpdate>;

export const Webhook = Type.Object({
  id: Type.Integer({ description: "the subscription's id" }),
  url: Type.String({ description: 'where the events are POSTed' }),
  event_types: Type.Array(Type.String(), { description: 'the call events sent to it' }),
  description: Nullable(Type.String(), 'a note for admins'),
  enabled: Type.Boolean({ description: 'false while disabled: nothing is sent' }),
  disabled_reason: Nullable(Type.String(), 'why ringpath (or an admin) disabled it'),
  disabled_at: Nullable(Type.String({ format: 'date-time' }), 'when it was disabled'),
  consecutive_failures: Type.Integer({ description: 'failed attempts in a row since the last delivered one' }),
  created_at: DateTime('when it was subscribed'),
  updated_at: DateTime('when it last changed'),
});
export type Webhook = Static<typeof Webhook>;

export const WebhookCreated = Type.Object({
  ...Webhook.properties,
  secret: Type.String({ description: 'shown once, here; it signs every delivery (Standard Webhooks)' }),
});

export const WebhookAttempt = Type.Object({
  attempted_at: DateTime('when the attempt was made'),
  status_code: Nullable(Type.Integer(), "the endpoint's HTTP status; null when no answer came"),
  error: Nullable(Type.String(), 'why the attempt failed; null when it succeeded'),
  duration_ms: Type.Integer({ description: 'how long the attempt took' }),
});

export const WebhookDelivery = Type.Object({
  id: Type.Integer({ description: "the delivery's id (replay it with this)" }),
  message_id: Type.String({ description: 'the webhook-id header' }),
  event_type: Type.String({ description: 'the call event, e.g. call.ended' }),
  call_id: Type.String({ description: 'the call it is about' }),
  state: Type.Enum(['pending', 'delivered', 'failed'], { description: 'pending (queued or retrying), delivered, or failed (given up)' }),
  attempts: Type.Integer({ description: 'attempts made so far' }),
  last_error: Nullable(Type.String(), "the last attempt's error"),
  next_attempt_at: Nullable(Type.String({ format: 'date-time' }), 'when the next attempt is due'),
  created_at: DateTime('when the event was queued'),
  delivered_at: Nullable(Type.String({ format: 'date-time' }), 'when the endpoint accepted it'),
  attempt_log: Type.Array(WebhookAttempt, { description: 'every attempt, oldest first' }),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const DeliveryParams = Type.Object(
  { id: Type.Integer({ minimum: 1, description: "the subscription's id" }), deliveryId: Type.Integer({ minimum: 1, description: "the delivery's id" }) },
  { additionalProperties: false },
);

export const SiteExportsPut = Type.Object(
  {
    ga4: Type.Optional(
      Nullable(
        Type.Object(
          {
            measurement_id: Type.String({ description: "the GA4 web stream's measurement id, G-XXXXXXX" }),
            api_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'write-only; kept when absent' })),
            event_name: Type.Optional(Type.String({ description: "the event every attributed call sends (default phone_call)" })),
            conversion_event: Type.Optional(Type.String({ description: 'the event a qualified call also sends (default generate_lead)' })),
          },
          { additionalProperties: false, description: 'the GA4 property calls are sent to' },
        ),
        'the GA4 property calls are sent to; null turns GA4 off',
      ),
    ),
    qualified_call: Type.Optional(
      Type.Object(
        {
          min_talk_s: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, description: 'least talk time, in seconds' })),
          answered: Type.Optional(Type.Boolean({ description: 'only answered calls qualify' })),
          first_time_caller: Type.Optional(Type.Boolean({ description: 'only first-time callers qualify' })),
        },
        { additionalProperties: false, description: 'which calls count as conversions (GA4 conversion event, Google Ads feed)' },
      ),
    ),
    google_ads: Type.Optional(
      Nullable(
        Type.Object(
          {
            feed_user: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^:]+$', 'x-message': 'must not contain a colon', description: "the feed's basic-auth user name" }),
            feed_password: Type.Optional(Type.String({ minLength: 16, maxLength: 200, description: 'write-only; kept when absent' })),
            conversion_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the conversion action name in Google Ads' })),
            conversion_value: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9, description: "each conversion's value" })),
            currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', 'x-message': 'must be a three-letter currency code such as UAH', description: 'ISO 4217 currency code of the value' })),
            time_zone: Type.Optional(Type.String({ description: 'IANA time zone, e.g. Europe/Kyiv' })),
          },
          { additionalProperties: false, description: 'the Google Ads offline-conversion feed' },
        ),
        'the Google Ads offline-conversion feed; null turns it off',
      ),
    ),
  },
  { additionalProperties: false },
);
export type SiteExportsPut = Static<typeof SiteExportsPut>;

export const SiteExports = Type.Object({
  site_id: Type.Integer({ description: 'the site' }),
  ga4: Nullable(
    Type.Object({
      measurement_id: Type.String({ description: 'the GA4 measurement id' }),
      api_secret_set: Type.Boolean({ description: 'whether an API secret is stored (it is never shown)' }),
      event_name: Type.String({ description: 'the event every attributed call sends' }),
      conversion_event: Type.String({ description: 'the event a qualified call also sends' }),
    }),
    'the GA4 property; null when GA4 is off',
  ),
  qualified_call: Type.Object(
    {
      min_talk_s: Type.Integer({ description: 'least talk time, in seconds' }),
      answered: Type.Boolean({ description: 'only answered calls qualify' }),
      first_time_caller: Type.Boolean({ description: 'only first-time callers qualify' }),
    },
    { description: 'which calls count as conversions' },
  ),
  google_ads: Nullable(
    Type.Object({
      feed_url: Type.String({ description: 'the URL to schedule in Google Ads' }),
      feed_user: Type.String({ description: "the feed's basic-auth user name" }),
      conversion_name: Type.String({ description: 'the conversion action name in Google Ads' }),
      conversion_value: Type.Number({ description: "each conversion's value" }),
      currency: Type.String({ description: 'currency of the value' }),
      time_zone: Type.String({ description: 'the time zone of the conversion times' }),
    }),
    'the Google Ads feed; null when it is off',
  ),
});
export type SiteExports = Static<typeof SiteExports>;

const ExportStatus = (what: string) =>
  Nullable(
    Type.Object({
      state: Type.String({ description: 'GA4: pending, sent, skipped or failed; Google Ads: included or excluded' }),
      reason: Nullable(Type.String(), 'why it was skipped, failed or left out'),
    }),
    `${what}; null when nothing was decided for this call`,
  );
export const CallExports = Type.Object(
  { ga4: ExportStatus('the GA4 export'), google_ads: ExportStatus('whether the call is in the Google Ads feed') },
  { description: 'where sending the call to GA4 and Google Ads stands' },
);
