-- See ../sqlite/0015_reidentification.sql. PostgreSQL drops the UNIQUE constraint in place.
ALTER TABLE onboardings DROP CONSTRAINT onboardings_customer_reference_key;
ALTER TABLE onboardings ADD COLUMN previous_onboarding_id TEXT;
ALTER TABLE onboardings ADD COLUMN next_onboarding_id TEXT;
CREATE UNIQUE INDEX onboardings_current_reference ON onboardings (customer_reference)
    WHERE next_onboarding_id IS NULL;
