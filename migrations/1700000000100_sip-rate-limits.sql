-- Up Migration
-- Rate-limit counters for the SIP side (rate-limiter-flexible's PostgreSQL
-- store, in its own layout): failed digest authentications and REGISTER floods
-- per source IP, shared by every ringpath process.
CREATE TABLE sip_rate_limits (
  key     varchar(255) PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);

-- Down Migration
DROP TABLE IF EXISTS sip_rate_limits;
