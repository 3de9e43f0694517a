-- See ../sqlite/0004_consents_received_at.sql.
ALTER TABLE onboardings ADD COLUMN consents_received_at TEXT;
