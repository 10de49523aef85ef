-- Up Migration
-- Inbound-call routing without waiting on locks or extra round trips.

-- The round-robin rotation is saved by compare-and-set, not under a row lock
-- held while the call is planned: `turns` counts the turns taken on the step,
-- and a plan made on turn N is saved only if the row is still at turn N. It only
-- ever grows, so a position that came back to the same employee (A → B → A) is
-- still seen as moved.
ALTER TABLE round_robin_state ADD COLUMN turns bigint NOT NULL DEFAULT 0;

-- The mirror lookup of a caller reads only indexes up to the contact row:
-- phone → contact, then contact → its deals.
CREATE INDEX crm_contact_phones_e164_contact ON crm_contact_phones (e164) INCLUDE (contact_id) WHERE e164 IS NOT NULL;
DROP INDEX IF EXISTS crm_contact_phones_e164;
CREATE INDEX crm_deal_contacts_contact_deal ON crm_deal_contacts (contact_id, deal_id);
DROP INDEX IF EXISTS crm_deal_contacts_contact;

-- Down Migration
CREATE INDEX IF NOT EXISTS crm_deal_contacts_contact ON crm_deal_contacts (contact_id);
DROP INDEX IF EXISTS crm_deal_contacts_contact_deal;
CREATE INDEX IF NOT EXISTS crm_contact_phones_e164 ON crm_contact_phones (e164) WHERE e164 IS NOT NULL;
DROP INDEX IF EXISTS crm_contact_phones_e164_contact;
ALTER TABLE round_robin_state DROP COLUMN IF EXISTS turns;
