-- Every partner event is recorded, whether or not a webhook URL is configured: `not_sent` is
-- the status of an event written while none was (the partner can list it and ask for it to be
-- delivered). `sequence` is the order events were committed in: each writing transaction takes
-- the next number from the one row of `partner_event_sequence`, whose lock it holds until it
-- commits, so a later number is never visible before an earlier one. It is the cursor of
-- `GET /partner/v1/events`. `retry_from` is the attempt count when the event was last queued
-- (created or asked to be delivered again): the retry schedule counts from there.
CREATE TABLE partner_event_sequence (
    id INTEGER PRIMARY KEY NOT NULL,
    last BIGINT NOT NULL
);
INSERT INTO partner_event_sequence (id, last) VALUES (1, 0);
ALTER TABLE partner_events ADD COLUMN sequence BIGINT;
ALTER TABLE partner_events ADD COLUMN retry_from BIGINT NOT NULL DEFAULT 0;
UPDATE partner_events SET sequence = (
    SELECT COUNT(*) FROM partner_events AS earlier
    WHERE earlier.created_at < partner_events.created_at
       OR (earlier.created_at = partner_events.created_at AND earlier.id <= partner_events.id)
);
UPDATE partner_event_sequence SET last = (SELECT COUNT(*) FROM partner_events);
CREATE UNIQUE INDEX partner_events_sequence ON partner_events (sequence);
CREATE INDEX partner_events_type_sequence ON partner_events (event_type, sequence);
