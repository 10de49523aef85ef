-- Up Migration
-- Every call is stored, withheld callers included (SPEC §5 "Withheld callers"):
-- the caller column stays E.164 or NULL, and caller_withheld says why it is NULL.
ALTER TABLE calls ADD COLUMN caller_withheld boolean NOT NULL DEFAULT false;
-- The manager routing rang first as the client's responsible manager (from the
-- CRM mirror). The post-call CRM sync reads it, so "answered by a colleague"
-- always means "not the manager routing rang first".
ALTER TABLE calls ADD COLUMN responsible_employee_id bigint REFERENCES employees (id) ON DELETE SET NULL;

-- Down Migration
ALTER TABLE calls DROP COLUMN IF EXISTS responsible_employee_id;
ALTER TABLE calls DROP COLUMN IF EXISTS caller_withheld;
