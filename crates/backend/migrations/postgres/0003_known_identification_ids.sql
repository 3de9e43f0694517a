-- See ../sqlite/0003_known_identification_ids.sql.
ALTER TABLE onboardings ADD COLUMN known_identification_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings DROP COLUMN identifications_before;

CREATE INDEX webhook_subscriptions_event_type ON webhook_subscriptions (event_type);
