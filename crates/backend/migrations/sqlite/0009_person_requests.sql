-- When a person creation was sent to Solaris without its answer arriving (a timeout, a dropped
-- connection): Solaris may have made the person. Before creating again, the backend looks for it,
-- so a customer who retries never gets a second person. Cleared when the person is known.
ALTER TABLE onboardings ADD COLUMN person_requested_at TEXT;
