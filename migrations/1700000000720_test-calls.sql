-- Up Migration
-- Test calls to the CRM (the console's "Test call to the CRM"): stored like any
-- call and synced by the same worker, but marked, so reports and the call log
-- leave them out and they can be deleted with what they wrote.
ALTER TABLE calls ADD COLUMN is_test boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE calls DROP COLUMN IF EXISTS is_test;
