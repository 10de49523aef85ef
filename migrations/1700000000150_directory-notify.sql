-- Up Migration
-- Call handling caches employees, schemes, tracking numbers and settings; every
-- change to them is announced on the channel `ringpath_directory`, so each
-- ringpath process drops its cache at once.
CREATE FUNCTION ringpath_notify_directory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ringpath_directory', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['employees', 'employee_destinations', 'sip_accounts', 'routing_schemes', 'routing_steps',
                           'routing_step_employees', 'tracking_numbers', 'pools', 'settings']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION ringpath_notify_directory()', t || '_notify_directory', t);
  END LOOP;
END $$;

-- Down Migration
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['employees', 'employee_destinations', 'sip_accounts', 'routing_schemes', 'routing_steps',
                           'routing_step_employees', 'tracking_numbers', 'pools', 'settings']
  LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_notify_directory', t);
  END LOOP;
END $$;
DROP FUNCTION IF EXISTS ringpath_notify_directory();
