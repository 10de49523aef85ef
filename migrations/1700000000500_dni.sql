-- Up Migration
-- Dynamic number insertion (SPEC §4): what a site allows and how it attributes,
-- the rules that give a source its static number before the pool, the sessions
-- the snippet opens with their full source, and the events the pool report reads.

CREATE TYPE attribution_model AS ENUM ('first_touch', 'last_touch', 'last_non_direct');

ALTER TABLE sites
  -- origins (scheme://host[:port]) whose pages may ask for numbers (CORS)
  ADD COLUMN allowed_origins      text[] NOT NULL DEFAULT '{}',
  ADD COLUMN attribution_model    attribution_model NOT NULL DEFAULT 'first_touch',
  -- how often the snippet sends a heartbeat while the page is visible
  ADD COLUMN heartbeat_s          integer NOT NULL DEFAULT 30 CHECK (heartbeat_s BETWEEN 5 AND 600),
  -- live sessions one client address may hold on the site at once
  ADD COLUMN max_sessions_per_ip  integer NOT NULL DEFAULT 20 CHECK (max_sessions_per_ip BETWEEN 1 AND 10000);

-- A source match that gives a visitor a static number instead of a pool number.
-- Rules are tried in position order; the first match wins.
CREATE TYPE source_rule_field AS ENUM ('utm_source', 'utm_medium', 'utm_campaign', 'referrer_domain', 'landing_path');
CREATE TABLE site_source_rules (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id             bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  position            integer NOT NULL,
  field               source_rule_field NOT NULL,
  -- compared case-insensitively; landing_path matches as a prefix
  value               text NOT NULL CHECK (length(value) BETWEEN 1 AND 500),
  tracking_number_id  bigint NOT NULL REFERENCES tracking_numbers (id) ON DELETE CASCADE,
  UNIQUE (site_id, position)
);

-- What a session shows, and why.
CREATE TYPE dni_number_kind AS ENUM ('pool', 'static', 'fallback');

ALTER TABLE visitor_sessions
  -- the opaque id the snippet holds (never the serial id)
  ADD COLUMN public_id       uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN kind            dni_number_kind,
  -- the number shown (for a fallback or static session too; tracking_number_id is the pool or static number row)
  ADD COLUMN number          e164,
  -- the classified source and medium (utm_*, click ids, referrer), as the attribution model kept them
  ADD COLUMN source          text,
  ADD COLUMN medium          text,
  ADD COLUMN gbraid          text,
  ADD COLUMN wbraid          text,
  ADD COLUMN msclkid         text,
  ADD COLUMN ga_session_id   text,
  -- why a fallback was given: pool_exhausted, bot, no_pool
  ADD COLUMN fallback_reason text;
CREATE UNIQUE INDEX visitor_sessions_public_id ON visitor_sessions (public_id);
-- live sessions per client address and site (the per-IP cap)
CREATE INDEX visitor_sessions_live_ip ON visitor_sessions (site_id, ip) WHERE released_at IS NULL;
-- the pool report walks a site's sessions by time
CREATE INDEX visitor_sessions_site_created ON visitor_sessions (site_id, created_at);

-- Events the pool report and /metrics count: exhaustion, bots turned away, refusals.
CREATE TABLE dni_events (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id   bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  at        timestamptz NOT NULL DEFAULT now(),
  kind      text NOT NULL CHECK (kind IN ('pool_exhausted', 'bot', 'ip_cap', 'rate_limited', 'origin_refused'))
);
CREATE INDEX dni_events_site_at ON dni_events (site_id, at);

-- Down Migration
DROP TABLE IF EXISTS dni_events;
DROP INDEX IF EXISTS visitor_sessions_site_created;
DROP INDEX IF EXISTS visitor_sessions_live_ip;
DROP INDEX IF EXISTS visitor_sessions_public_id;
ALTER TABLE visitor_sessions
  DROP COLUMN IF EXISTS fallback_reason, DROP COLUMN IF EXISTS ga_session_id, DROP COLUMN IF EXISTS msclkid,
  DROP COLUMN IF EXISTS wbraid, DROP COLUMN IF EXISTS gbraid, DROP COLUMN IF EXISTS medium, DROP COLUMN IF EXISTS source,
  DROP COLUMN IF EXISTS number, DROP COLUMN IF EXISTS kind, DROP COLUMN IF EXISTS public_id;
DROP TYPE IF EXISTS dni_number_kind;
DROP TABLE IF EXISTS site_source_rules;
DROP TYPE IF EXISTS source_rule_field;
ALTER TABLE sites
  DROP COLUMN IF EXISTS max_sessions_per_ip, DROP COLUMN IF EXISTS heartbeat_s,
  DROP COLUMN IF EXISTS attribution_model, DROP COLUMN IF EXISTS allowed_origins;
DROP TYPE IF EXISTS attribution_model;
