-- Up Migration
-- The post-call CRM sync (SPEC §6, "Sync guarantees"). The job itself lives in
-- graphile_worker and is enqueued with the CDR; these tables make it idempotent,
-- visible and recoverable across crashes and processes.

-- The ledger: every CRM write made for a ringpath call, keyed by the matrix's stable
-- write key. A row is written before the request ("in flight": object_id null) and
-- completed with the CRM object id right after it succeeds, so a crash between the
-- two is recovered by looking the record up by ringpath_call_id instead of writing
-- it again.
CREATE TABLE crm_sync_ledger (
  call_id      uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  key          text NOT NULL,
  kind         text NOT NULL,
  object_type  text NOT NULL CHECK (object_type IN ('contact', 'deal', 'call', 'task')),
  object_id    text,
  -- an existing record the executor found and used instead of creating one
  reused       boolean NOT NULL DEFAULT false,
  started_at   timestamptz NOT NULL DEFAULT now(),
  written_at   timestamptz,
  CONSTRAINT crm_sync_ledger_call_key UNIQUE (call_id, key),
  CHECK ((object_id IS NULL) = (written_at IS NULL))
);

-- What the last sync attempt of a call decided and how it ended. While
-- calls.crm_sync_state = 'failed' the row is the call's dead letter: failed_at,
-- the reason (calls.crm_sync_error) and the failing write.
CREATE TABLE crm_sync_outcomes (
  call_id        uuid PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
  matrix_rows    text[] NOT NULL DEFAULT '{}',
  warnings       jsonb NOT NULL DEFAULT '[]',
  attempts       integer NOT NULL DEFAULT 0,
  -- attempts that ended in a transient error (the job was retried)
  failures       integer NOT NULL DEFAULT 0,
  -- HubSpot requests spent on the call (a batch request counts 1/n for each of its n calls)
  requests       double precision NOT NULL DEFAULT 0,
  last_error     text,
  failed_key     text,
  failed_status  integer,
  failed_at      timestamptz,
  manual_retries integer NOT NULL DEFAULT 0,
  retried_at     timestamptz,
  synced_at      timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX calls_crm_sync_state ON calls (crm_sync_state, started_at DESC);

-- Worker processes' liveness. Each process holds a session advisory lock on its
-- lock_key for as long as it lives; graphile-worker ids are registered under it.
-- A job locked by a worker whose lock is free (the process died, e.g. kill -9) is
-- unlocked at once instead of after graphile-worker's 4-hour expiry.
CREATE TABLE crm_worker_instances (
  worker_id   text PRIMARY KEY,
  lock_key    bigint NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_worker_instances_lock ON crm_worker_instances (lock_key);

-- Down Migration
DROP TABLE IF EXISTS crm_worker_instances, crm_sync_outcomes, crm_sync_ledger;
DROP INDEX IF EXISTS calls_crm_sync_state;
