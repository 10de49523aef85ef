-- Up Migration
-- The public DNI API's hot path (SPEC §4): allocation, heartbeats and the sweep of
-- expired holds as single statements on partial indexes; pool-state writes no
-- longer announce a directory change.

-- Holding, extending and releasing a number changes only its pool state
-- (held_by_session_id, held_until, released_at) or a pool's exhaustion count. The
-- call-path directory caches none of that, so those writes must not make every
-- process drop its cache (nor serialise every commit on the notification queue).
-- The admin API always sets updated_at, so its writes are still announced.
DROP TRIGGER IF EXISTS tracking_numbers_notify_directory ON tracking_numbers;
CREATE TRIGGER tracking_numbers_notify_directory
  AFTER INSERT OR DELETE OR TRUNCATE ON tracking_numbers
  FOR EACH STATEMENT EXECUTE FUNCTION ringpath_notify_directory();
CREATE TRIGGER tracking_numbers_notify_directory_update
  AFTER UPDATE OF number, kind, pool_id, source_name, utm_source, utm_medium, utm_campaign, utm_content, utm_term,
                  routing_scheme_id, caller_id_for_employee_id, updated_at ON tracking_numbers
  FOR EACH STATEMENT EXECUTE FUNCTION ringpath_notify_directory();
DROP TRIGGER IF EXISTS pools_notify_directory ON pools;
CREATE TRIGGER pools_notify_directory
  AFTER INSERT OR DELETE OR TRUNCATE ON pools
  FOR EACH STATEMENT EXECUTE FUNCTION ringpath_notify_directory();
CREATE TRIGGER pools_notify_directory_update
  AFTER UPDATE OF site_id, name, routing_scheme_id, updated_at ON pools
  FOR EACH STATEMENT EXECUTE FUNCTION ringpath_notify_directory();

-- The free numbers of a pool, released longest ago first: what allocation reads.
-- Held numbers are not in it, so a busy pool costs nothing to skip.
CREATE INDEX tracking_numbers_free ON tracking_numbers (pool_id, released_at NULLS FIRST, id)
  WHERE kind = 'pool' AND held_by_session_id IS NULL;
-- A session holds at most one number; the sweep and ON DELETE SET NULL find it here.
CREATE UNIQUE INDEX tracking_numbers_held_by ON tracking_numbers (held_by_session_id)
  WHERE held_by_session_id IS NOT NULL;

-- Heartbeats rewrite held_until (no index reads it), so leave room on each page for
-- PostgreSQL to update rows in place (HOT) instead of adding index entries.
ALTER TABLE tracking_numbers SET (fillfactor = 70);
ALTER TABLE visitor_sessions SET (fillfactor = 80);

-- Down Migration
ALTER TABLE visitor_sessions RESET (fillfactor);
ALTER TABLE tracking_numbers RESET (fillfactor);
DROP INDEX IF EXISTS tracking_numbers_held_by;
DROP INDEX IF EXISTS tracking_numbers_free;
DROP TRIGGER IF EXISTS pools_notify_directory_update ON pools;
DROP TRIGGER IF EXISTS pools_notify_directory ON pools;
CREATE TRIGGER pools_notify_directory
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pools
  FOR EACH STATEMENT EXECUTE FUNCTION ringpath_notify_directory();
DROP TRIGGER IF EXISTS tracking_numbers_notify_directory_update ON tracking_numbers;
DROP TRIGGER IF EXISTS tracking_numbers_notify_directory ON tracking_numbers;
CREATE TRIGGER tracking_numbers_notify_directory
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracking_numbers
  FOR EACH STATEMENT EXECUTE FUNCTION ringpath_notify_directory();
