-- Up Migration
-- The console's live view: a head's "notify me of every missed call" setting,
-- and each employee's snoozed or dismissed missed-call notifications.
ALTER TABLE employees ADD COLUMN notify_every_missed_call boolean NOT NULL DEFAULT false;

CREATE TABLE console_notification_state (
  employee_id   bigint NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
  call_id       uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  -- shown again after this time ('infinity' once dismissed)
  hidden_until  timestamptz NOT NULL,
  PRIMARY KEY (employee_id, call_id)
);

-- Down Migration
DROP TABLE IF EXISTS console_notification_state;
ALTER TABLE employees DROP COLUMN IF EXISTS notify_every_missed_call;
