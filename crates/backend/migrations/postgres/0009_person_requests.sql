-- See ../sqlite/0009_person_requests.sql.
ALTER TABLE onboardings ADD COLUMN person_requested_at TEXT;
