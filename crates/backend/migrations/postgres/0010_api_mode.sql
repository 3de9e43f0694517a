-- See ../sqlite/0010_api_mode.sql.
ALTER TABLE onboardings ADD COLUMN mode TEXT;
ALTER TABLE onboardings ADD COLUMN bank_identification_id TEXT;
ALTER TABLE onboardings ADD COLUMN code_sent_at BIGINT;
ALTER TABLE onboardings ADD COLUMN code_valid_until BIGINT;
