-- When the backend last received the customer's consents (UTC, RFC 3339): their times come
-- from the customer's device, this one from ours.
ALTER TABLE onboardings ADD COLUMN consents_received_at TEXT;
