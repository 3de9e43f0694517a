-- One request at a time per onboarding across every backend instance on this database: the
-- request that opens or continues an identification holds a lease (who, until when, in Unix
-- milliseconds); one that crashed lets go when its lease runs out.
ALTER TABLE onboardings ADD COLUMN leased_by TEXT;
ALTER TABLE onboardings ADD COLUMN leased_until BIGINT;
