-- Up Migration
-- The CRM mirror's own state (SPEC §6): HubSpot's shared request budget,
-- the phone properties it reads, webhook events waiting to be applied, and
-- what a resumable full sync needs to know about itself.

-- rate-limiter-flexible's PostgreSQL store, in its own layout: every ringpath
-- process draws HubSpot requests from the same counters.
CREATE TABLE crm_rate_limits (
  key     varchar(255) PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);

-- A full sync resumes from its cursor; started_at tells which records it has
-- not seen (deleted in HubSpot while nobody listened); finished_at says the
-- mirror has been filled once.
ALTER TABLE crm_sync_cursors
  ADD COLUMN started_at  timestamptz,
  ADD COLUMN finished_at timestamptz;

-- Why a phone value could not be read as a number (e164 is NULL then).
ALTER TABLE crm_contact_phones ADD COLUMN problem text;

-- A deal may be associated with a contact the mirror has not received yet (it
-- arrives with a later page, the incremental sync or a webhook). Lookups start
-- from contacts, so such a row is harmless until the contact arrives.
ALTER TABLE crm_deal_contacts DROP CONSTRAINT IF EXISTS crm_deal_contacts_contact_id_fkey;

-- Contact properties whose values are phone numbers.
CREATE TABLE crm_phone_properties (
  name        text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,99}$'),
  -- default: HubSpot's built-ins; discovered: fieldType phonenumber in the portal; custom: added by an admin
  origin      text NOT NULL CHECK (origin IN ('default', 'discovered', 'custom')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO crm_phone_properties (name, origin) VALUES
  ('phone', 'default'),
  ('mobilephone', 'default'),
  ('hs_whatsapp_phone_number', 'default');

-- Records named by HubSpot webhooks, re-read from HubSpot (batch read) by
-- whichever process holds the mirror's sync lock.
CREATE TABLE crm_webhook_queue (
  object_type  text NOT NULL CHECK (object_type IN ('contacts', 'deals')),
  object_id    text NOT NULL,
  queued_at    timestamptz NOT NULL DEFAULT now(),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  PRIMARY KEY (object_type, object_id)
);

-- Down Migration
DROP TABLE IF EXISTS crm_webhook_queue, crm_phone_properties, crm_rate_limits;
DELETE FROM crm_deal_contacts dc WHERE NOT EXISTS (SELECT 1 FROM crm_contacts c WHERE c.id = dc.contact_id);
ALTER TABLE crm_deal_contacts
  ADD CONSTRAINT crm_deal_contacts_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES crm_contacts (id) ON DELETE CASCADE;
ALTER TABLE crm_contact_phones DROP COLUMN IF EXISTS problem;
ALTER TABLE crm_sync_cursors DROP COLUMN IF EXISTS started_at, DROP COLUMN IF EXISTS finished_at;
