-- Up Migration
-- HubSpot's calculated phone properties hold the national number without its country
-- code; read with the default country they match the wrong client. They are no longer
-- discovered as phone properties: forget the ones found earlier, and the numbers read from them.
DELETE FROM crm_contact_phones WHERE property ~ '^hs_(searchable_)?calculated_';
DELETE FROM crm_phone_properties WHERE name ~ '^hs_(searchable_)?calculated_';

-- Down Migration
-- Nothing to restore: the next "Refresh CRM data" and full sync read what is still wanted.
