-- Up Migration
-- Stable recording URLs for the CRM: an opaque token per recording, which never
-- expires (HubSpot keeps the URL for good) but can be revoked.
CREATE TABLE recording_tokens (
  token       text PRIMARY KEY CHECK (token ~ '^[A-Za-z0-9_-]{43}$'),
  call_id     uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  file        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
-- One live token per call.
CREATE UNIQUE INDEX recording_tokens_live ON recording_tokens (call_id) WHERE revoked_at IS NULL;

-- Down Migration
DROP TABLE IF EXISTS recording_tokens;
