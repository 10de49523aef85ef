-- Up Migration
-- The web console: its sessions (connect-pg-simple's table layout), its login
-- lockout counters (rate-limiter-flexible's PostgreSQL store), the forced
-- password change, and the audit log of settings changes.

CREATE TABLE console_sessions (
  sid     varchar NOT NULL PRIMARY KEY,
  sess    json NOT NULL,
  expire  timestamp(6) NOT NULL
);
CREATE INDEX console_sessions_expire ON console_sessions (expire);

CREATE TABLE console_login_limits (
  key     varchar(255) PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);

-- set for a password someone else chose (the first admin's, one an admin set):
-- the next login must change it before doing anything else
ALTER TABLE employees ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
-- the first admin created before this column existed still has to change theirs
UPDATE employees SET must_change_password = true
 WHERE access_level = 'admin' AND password_hash IS NOT NULL AND full_name = 'Administrator';

-- Who changed which setting, when, with the old and the new value.
CREATE TABLE audit_log (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_kind     text NOT NULL CHECK (actor_kind IN ('employee', 'api_key')),
  employee_id    bigint REFERENCES employees (id) ON DELETE SET NULL,
  api_key_id     bigint REFERENCES api_keys (id) ON DELETE SET NULL,
  actor_label    text NOT NULL,
  method         text NOT NULL,
  path           text NOT NULL,
  resource       text NOT NULL,
  old_value      jsonb,
  new_value      jsonb,
  status         integer NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);

-- Down Migration
DROP TABLE IF EXISTS audit_log;
ALTER TABLE employees DROP COLUMN IF EXISTS must_change_password;
DROP TABLE IF EXISTS console_login_limits;
DROP TABLE IF EXISTS console_sessions;
