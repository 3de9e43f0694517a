-- The identifications the person already had when the current session opened, by id
-- (space-separated): the session's own outcome is in the others. Solaris does not promise an
-- order for its lists, so a count of earlier identifications could point at the wrong ones.
ALTER TABLE onboardings ADD COLUMN known_identification_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings DROP COLUMN identifications_before;

-- Which event a subscription is for is checked against every delivery it verifies.
CREATE INDEX webhook_subscriptions_event_type ON webhook_subscriptions (event_type);
