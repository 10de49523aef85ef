-- Up Migration
-- Call attribution on the call path (SPEC §4): every INVITE to a pool number reads
-- that number's latest holds, newest first; this index answers it without a sort.
CREATE INDEX visitor_sessions_number_created ON visitor_sessions (tracking_number_id, created_at DESC);

-- The directory caches which tracking number is a site's fallback number
-- (sites.fallback_number): a change to a site drops the cache like any other.
CREATE OR REPLACE TRIGGER sites_notify_directory AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
  FOR EACH STATEMENT EXECUTE FUNCTION ringpath_notify_directory();

-- Down Migration
DROP TRIGGER IF EXISTS sites_notify_directory ON sites;
DROP INDEX IF EXISTS visitor_sessions_number_created;
