-- Up Migration
-- The ringpath domain (SPEC §3): employees and their destinations, sites, tracking
-- numbers and pools, visitor sessions, routing schemes, calls, the CRM mirror,
-- settings and API keys. Every phone number stored is E.164.

CREATE DOMAIN e164 AS text CHECK (VALUE ~ '^\+[1-9][0-9]{6,14}$');

CREATE TYPE access_level AS ENUM ('admin', 'analyst', 'employee');
CREATE TYPE sales_role AS ENUM ('sales_rep', 'head', 'quality_control');
CREATE TYPE destination_role AS ENUM ('main', 'additional');
CREATE TYPE destination_type AS ENUM ('phone', 'sip_account', 'sip_uri');

CREATE TABLE employees (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email                  text NOT NULL,
  full_name              text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  access_level           access_level NOT NULL DEFAULT 'employee',
  sales_role             sales_role NOT NULL DEFAULT 'sales_rep',
  extension              text CHECK (extension ~ '^[0-9]{3}$'),
  hubspot_owner_id       text,
  receives_new_clients   boolean NOT NULL DEFAULT false,
  is_senior_manager      boolean NOT NULL DEFAULT false,
  -- console login (scrypt hash); null means the employee cannot log in
  password_hash          text,
  failed_logins          integer NOT NULL DEFAULT 0,
  locked_until           timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX employees_email_key ON employees (lower(email));
CREATE UNIQUE INDEX employees_extension_key ON employees (extension) WHERE extension IS NOT NULL;
-- exactly one senior manager: at most one row may carry the flag
CREATE UNIQUE INDEX employees_one_senior_manager ON employees ((true)) WHERE is_senior_manager;

-- A ringpath SIP account that a manager's phone registers with (digest auth).
-- Only digests are stored: HA1 = H(login:realm:password) for MD5 and SHA-256.
CREATE TABLE sip_accounts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_id   bigint NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
  login         text NOT NULL CHECK (login ~ '^[A-Za-z0-9._-]{3,64}$'),
  realm         text NOT NULL,
  ha1_md5       text NOT NULL,
  ha1_sha256    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sip_accounts_login_key ON sip_accounts (lower(login));

CREATE TABLE employee_destinations (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_id     bigint NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
  role            destination_role NOT NULL,
  position        integer NOT NULL CHECK (position >= 0),
  type            destination_type NOT NULL,
  phone           e164,
  sip_account_id  bigint REFERENCES sip_accounts (id) ON DELETE CASCADE,
  sip_uri         text,
  CHECK (
    (type = 'phone' AND phone IS NOT NULL AND sip_account_id IS NULL AND sip_uri IS NULL) OR
    (type = 'sip_account' AND sip_account_id IS NOT NULL AND phone IS NULL AND sip_uri IS NULL) OR
    (type = 'sip_uri' AND sip_uri IS NOT NULL AND phone IS NULL AND sip_account_id IS NULL)
  ),
  UNIQUE (employee_id, role, position)
);
CREATE INDEX employee_destinations_phone ON employee_destinations (phone) WHERE phone IS NOT NULL;
CREATE INDEX employee_destinations_sip_uri ON employee_destinations (lower(sip_uri)) WHERE sip_uri IS NOT NULL;

-- Registered contacts of SIP accounts (the registrar), shared by every ringpath process.
CREATE TABLE sip_registrations (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sip_account_id  bigint NOT NULL REFERENCES sip_accounts (id) ON DELETE CASCADE,
  contact_uri     text NOT NULL,
  source_address  text NOT NULL,
  user_agent      text,
  expires_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sip_account_id, contact_uri)
);
CREATE INDEX sip_registrations_expires ON sip_registrations (expires_at);

CREATE TYPE step_type AS ENUM ('responsible_manager', 'employees', 'new_client_distribution', 'senior_manager', 'external_number');

CREATE TABLE routing_schemes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX routing_schemes_name_key ON routing_schemes (lower(name));

-- One step of a scheme. Type-specific settings live in typed columns:
--   responsible_manager: lookup_order
--   employees: ring_strategy + routing_step_employees
--   new_client_distribution: distribution_mode
--   external_number: external_number
-- schedule is {"time_zone": "Europe/Kyiv", "intervals": [{"days": [1..7], "from": "09:00", "to": "18:00"}]}
CREATE TABLE routing_steps (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scheme_id           bigint NOT NULL REFERENCES routing_schemes (id) ON DELETE CASCADE,
  position            integer NOT NULL CHECK (position >= 0),
  type                step_type NOT NULL,
  ring_timeout_s      integer NOT NULL CHECK (ring_timeout_s BETWEEN 1 AND 600),
  lookup_order        text[] CHECK (lookup_order <@ ARRAY['contact_owner', 'deal_owner']::text[]),
  ring_strategy       text CHECK (ring_strategy IN ('simultaneous', 'sequential')),
  distribution_mode   text CHECK (distribution_mode IN ('ring_all', 'round_robin')),
  external_number     e164,
  schedule            jsonb,
  UNIQUE (scheme_id, position)
);

CREATE TABLE routing_step_employees (
  step_id      bigint NOT NULL REFERENCES routing_steps (id) ON DELETE CASCADE,
  employee_id  bigint NOT NULL REFERENCES employees (id) ON DELETE RESTRICT,
  position     integer NOT NULL,
  PRIMARY KEY (step_id, employee_id)
);

-- Round-robin position per step, shared across processes (updated under a row lock).
CREATE TABLE round_robin_state (
  step_id           bigint PRIMARY KEY REFERENCES routing_steps (id) ON DELETE CASCADE,
  last_employee_id  bigint REFERENCES employees (id) ON DELETE SET NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sites (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  domain              text NOT NULL,
  public_key          text NOT NULL UNIQUE,
  fallback_number     e164 NOT NULL,
  hold_time_s         integer NOT NULL DEFAULT 900 CHECK (hold_time_s BETWEEN 30 AND 86400),
  swap_selectors      text[] NOT NULL DEFAULT '{}',
  swap_phone_texts    text[] NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sites_domain_key ON sites (lower(domain));

-- The dynamic pool of a site (at most one per site).
CREATE TABLE pools (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id            bigint NOT NULL UNIQUE REFERENCES sites (id) ON DELETE RESTRICT,
  name               text NOT NULL,
  routing_scheme_id  bigint REFERENCES routing_schemes (id) ON DELETE RESTRICT,
  exhausted_count    bigint NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE tracking_kind AS ENUM ('static', 'pool');

CREATE TABLE tracking_numbers (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number             e164 NOT NULL UNIQUE,
  kind               tracking_kind NOT NULL,
  pool_id            bigint REFERENCES pools (id) ON DELETE RESTRICT,
  -- static numbers: the fixed source and its UTM values
  source_name        text,
  utm_source         text,
  utm_medium         text,
  utm_campaign       text,
  utm_content        text,
  utm_term           text,
  -- a static number's scheme; a pool number may override its pool's
  routing_scheme_id  bigint REFERENCES routing_schemes (id) ON DELETE RESTRICT,
  -- the employee whose outbound calls show this number (priority caller id)
  caller_id_for_employee_id bigint REFERENCES employees (id) ON DELETE SET NULL,
  -- pool state: the number is free when held_by_session_id is null
  held_by_session_id bigint,
  held_until         timestamptz,
  released_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'pool') = (pool_id IS NOT NULL)),
  CHECK (kind = 'static' OR source_name IS NULL)
);
CREATE INDEX tracking_numbers_pool_free ON tracking_numbers (pool_id, released_at NULLS FIRST) WHERE kind = 'pool';

CREATE TABLE visitor_sessions (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id             bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  visitor_key         text NOT NULL,
  utm_source          text,
  utm_medium          text,
  utm_campaign        text,
  utm_content         text,
  utm_term            text,
  gclid               text,
  fbclid              text,
  ga_client_id        text,
  referrer            text,
  landing_page        text,
  user_agent          text,
  ip                  inet,
  tracking_number_id  bigint REFERENCES tracking_numbers (id) ON DELETE SET NULL,
  held_until          timestamptz,
  last_heartbeat_at   timestamptz,
  released_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visitor_sessions_site_visitor ON visitor_sessions (site_id, visitor_key, created_at DESC);
CREATE INDEX visitor_sessions_number ON visitor_sessions (tracking_number_id, released_at DESC);
ALTER TABLE tracking_numbers
  ADD CONSTRAINT tracking_numbers_held_by_fk FOREIGN KEY (held_by_session_id) REFERENCES visitor_sessions (id) ON DELETE SET NULL;

CREATE TYPE call_direction AS ENUM ('inbound', 'outbound', 'internal');
CREATE TYPE call_disposition AS ENUM ('answered', 'missed', 'busy', 'failed', 'abandoned');
CREATE TYPE crm_sync_state AS ENUM ('not_required', 'pending', 'synced', 'failed');

-- One row per call (CDR), written at hang-up.
CREATE TABLE calls (
  id                    uuid PRIMARY KEY,
  sip_call_id           text,
  direction             call_direction NOT NULL,
  caller                e164,
  callee                e164,
  caller_raw            text,
  tracking_number_id    bigint REFERENCES tracking_numbers (id) ON DELETE SET NULL,
  tracking_number       e164,
  visitor_session_id    bigint REFERENCES visitor_sessions (id) ON DELETE SET NULL,
  attribution           jsonb NOT NULL DEFAULT '{}',
  routing_trace         jsonb NOT NULL DEFAULT '[]',
  answered_by_employee_id bigint REFERENCES employees (id) ON DELETE SET NULL,
  answered_by_destination text,
  placed_by_employee_id bigint REFERENCES employees (id) ON DELETE SET NULL,
  unknown_employee      boolean NOT NULL DEFAULT false,
  started_at            timestamptz NOT NULL,
  answered_at           timestamptz,
  ended_at              timestamptz NOT NULL,
  ring_duration_ms      integer NOT NULL DEFAULT 0,
  talk_duration_ms      integer NOT NULL DEFAULT 0,
  disposition           call_disposition NOT NULL,
  recording_path        text,
  crm_contact_id        text,
  crm_deal_id           text,
  crm_call_id           text,
  crm_sync_state        crm_sync_state NOT NULL DEFAULT 'pending',
  crm_sync_error        text,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX calls_sip_call_id_key ON calls (sip_call_id) WHERE sip_call_id IS NOT NULL;
CREATE INDEX calls_started_at ON calls (started_at DESC);
CREATE INDEX calls_caller ON calls (caller, started_at DESC);
CREATE INDEX calls_answered_by ON calls (answered_by_employee_id, started_at DESC);

-- The local CRM mirror (SPEC §6): what routing reads instead of calling the CRM.
CREATE TABLE crm_owners (
  id          text PRIMARY KEY,
  email       text,
  first_name  text,
  last_name   text,
  archived    boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crm_pipelines (
  id          text PRIMARY KEY,
  label       text NOT NULL,
  position    integer NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crm_stages (
  id           text PRIMARY KEY,
  pipeline_id  text NOT NULL REFERENCES crm_pipelines (id) ON DELETE CASCADE,
  label        text NOT NULL,
  position     integer NOT NULL DEFAULT 0,
  is_closed    boolean NOT NULL DEFAULT false,
  is_won       boolean,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crm_contacts (
  id                 text PRIMARY KEY,
  owner_id           text,
  first_name         text,
  last_name          text,
  email              text,
  lastmodified_at    timestamptz,
  archived           boolean NOT NULL DEFAULT false,
  synced_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_contacts_lastmodified ON crm_contacts (lastmodified_at);

-- Every phone property of a contact, normalised; raw kept for the unparseable ones.
CREATE TABLE crm_contact_phones (
  contact_id  text NOT NULL REFERENCES crm_contacts (id) ON DELETE CASCADE,
  property    text NOT NULL,
  raw         text NOT NULL,
  e164        e164,
  PRIMARY KEY (contact_id, property)
);
CREATE INDEX crm_contact_phones_e164 ON crm_contact_phones (e164) WHERE e164 IS NOT NULL;

CREATE TABLE crm_deals (
  id                 text PRIMARY KEY,
  name               text,
  owner_id           text,
  pipeline_id        text,
  stage_id           text,
  is_open            boolean NOT NULL DEFAULT true,
  lastmodified_at    timestamptz,
  archived           boolean NOT NULL DEFAULT false,
  synced_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_deals_lastmodified ON crm_deals (lastmodified_at);

CREATE TABLE crm_deal_contacts (
  deal_id     text NOT NULL REFERENCES crm_deals (id) ON DELETE CASCADE,
  contact_id  text NOT NULL REFERENCES crm_contacts (id) ON DELETE CASCADE,
  PRIMARY KEY (deal_id, contact_id)
);
CREATE INDEX crm_deal_contacts_contact ON crm_deal_contacts (contact_id);

-- Progress of the mirror's syncs (full: resumable cursor; incremental: high-water mark).
CREATE TABLE crm_sync_cursors (
  name         text PRIMARY KEY,
  cursor       text,
  high_water   timestamptz,
  processed    bigint NOT NULL DEFAULT 0,
  total        bigint,
  status       text NOT NULL DEFAULT 'idle',
  error        text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Typed settings, one JSON value per key (validated by the API).
CREATE TABLE settings (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix        text NOT NULL UNIQUE,
  secret_hash   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);

-- Down Migration
DROP TABLE IF EXISTS api_keys, settings, crm_sync_cursors, crm_deal_contacts, crm_deals, crm_contact_phones,
  crm_contacts, crm_stages, crm_pipelines, crm_owners, calls, visitor_sessions, tracking_numbers, pools, sites,
  round_robin_state, routing_step_employees, routing_steps, routing_schemes, sip_registrations,
  employee_destinations, sip_accounts, employees CASCADE;
DROP TYPE IF EXISTS crm_sync_state, call_disposition, call_direction, tracking_kind, step_type,
  destination_type, destination_role, sales_role, access_level;
DROP DOMAIN IF EXISTS e164;
