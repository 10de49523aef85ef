-- Up Migration
-- Outbound dial plan (SPEC §5): a call the dial plan refuses is stored with the
-- disposition 'blocked' (never rung, never synced to the CRM). The dial plan's
-- settings need no schema: their defaults live with the typed settings.
ALTER TYPE call_disposition ADD VALUE IF NOT EXISTS 'blocked';

-- Down Migration
-- PostgreSQL cannot drop a value from an enum: the type is rebuilt without it,
-- and blocked calls are kept as failed ones.
ALTER TABLE calls ALTER COLUMN disposition TYPE text;
UPDATE calls SET disposition = 'failed' WHERE disposition = 'blocked';
DROP TYPE call_disposition;
CREATE TYPE call_disposition AS ENUM ('answered', 'missed', 'busy', 'failed', 'abandoned');
ALTER TABLE calls ALTER COLUMN disposition TYPE call_disposition USING disposition::call_disposition;
