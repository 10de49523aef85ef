-- Up Migration
-- Calls in progress, for the console's live view: a row is added on call.started,
-- updated on call.answered and removed on call.ended, by whichever ringpath
-- process handles the call, so every process sees them. Rows older than the
-- live bound (a lost end) are swept away.
CREATE TABLE live_calls (
  call_id                  uuid PRIMARY KEY,
  direction                text NOT NULL,
  caller                   text,
  tracking_number          text,
  source                   text,
  started_at               timestamptz NOT NULL,
  answered_at              timestamptz,
  answered_by_employee_id  bigint
);
CREATE INDEX live_calls_started_at ON live_calls (started_at);

-- Down Migration
DROP TABLE IF EXISTS live_calls;
