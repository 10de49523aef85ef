-- Up Migration
-- Properties ringpath meant to write that HubSpot does not have (deleted after the
-- mapping was saved, or custom properties HubSpot refused to create). Calls are synced
-- without them; the CRM status lists them until they are back.
CREATE TABLE crm_property_problems (
  object_type    text NOT NULL CHECK (object_type IN ('contacts', 'deals', 'calls', 'tasks')),
  property       text NOT NULL,
  reason         text NOT NULL,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (object_type, property)
);

-- Down Migration
DROP TABLE IF EXISTS crm_property_problems;
