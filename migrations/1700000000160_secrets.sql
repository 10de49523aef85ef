-- Up Migration
-- Secrets ringpath generates for itself (e.g. the key that signs recording
-- links), shared by every process and kept across restarts.
CREATE TABLE secrets (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS secrets;
