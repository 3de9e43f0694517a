-- See ../sqlite/0008_onboarding_leases.sql.
ALTER TABLE onboardings ADD COLUMN leased_by TEXT;
ALTER TABLE onboardings ADD COLUMN leased_until BIGINT;
