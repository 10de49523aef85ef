-- Up Migration
-- Calls leave ringpath: outgoing webhooks (Standard Webhooks), GA4 Measurement
-- Protocol events and the Google Ads offline-conversion feed.

-- A subscription. The secret (whsec_…) signs every delivery; it is shown once.
CREATE TABLE webhook_endpoints (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url                  text NOT NULL,
  event_types          text[] NOT NULL,
  secret               text NOT NULL,
  description          text,
  enabled              boolean NOT NULL DEFAULT true,
  disabled_reason      text,
  disabled_at          timestamptz,
  consecutive_failures integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- One event for one endpoint. Delivered in id order per (endpoint, call).
CREATE TABLE webhook_deliveries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  endpoint_id     bigint NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  message_id      text NOT NULL UNIQUE,
  event_type      text NOT NULL,
  call_id         text NOT NULL,
  payload         jsonb NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  next_attempt_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz
);
CREATE INDEX webhook_deliveries_endpoint_call ON webhook_deliveries (endpoint_id, call_id, id);

-- Each attempt of a delivery: the response code, or why there was none.
CREATE TABLE webhook_attempts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id   bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempted_at  timestamptz NOT NULL DEFAULT now(),
  status_code   integer,
  error         text,
  duration_ms   integer NOT NULL,
  response_body text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- Per site: GA4 Measurement Protocol, the qualified-call rule and the Google Ads feed.
CREATE TABLE site_exports (
  site_id                bigint PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
  ga4_measurement_id     text,
  ga4_api_secret         text,
  ga4_event_name         text NOT NULL DEFAULT 'phone_call',
  ga4_conversion_event   text NOT NULL DEFAULT 'generate_lead',
  qualify_min_talk_s     integer NOT NULL DEFAULT 30,
  qualify_answered       boolean NOT NULL DEFAULT true,
  qualify_first_time     boolean NOT NULL DEFAULT false,
  ads_feed_user          text,
  ads_feed_password_hash text,
  ads_conversion_name    text NOT NULL DEFAULT 'Phone call',
  ads_conversion_value   numeric(12, 2) NOT NULL DEFAULT 0,
  ads_currency           text NOT NULL DEFAULT 'USD',
  ads_time_zone          text NOT NULL DEFAULT 'UTC',
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Why each call was or was not sent to GA4 or put in the Google Ads feed.
CREATE TABLE call_exports (
  call_id    uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  target     text NOT NULL CHECK (target IN ('ga4', 'google_ads')),
  state      text NOT NULL CHECK (state IN ('pending', 'sent', 'skipped', 'failed', 'included', 'excluded')),
  reason     text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (call_id, target)
);

-- The feed finds a site's calls through their visitor sessions.
CREATE INDEX IF NOT EXISTS calls_visitor_session_id ON calls (visitor_session_id) WHERE visitor_session_id IS NOT NULL;

-- Down Migration
DROP INDEX IF EXISTS calls_visitor_session_id;
DROP TABLE IF EXISTS call_exports;
DROP TABLE IF EXISTS site_exports;
DROP TABLE IF EXISTS webhook_attempts;
DROP TABLE IF EXISTS webhook_deliveries;
DROP TABLE IF EXISTS webhook_endpoints;
