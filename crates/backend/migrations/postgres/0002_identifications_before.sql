-- See ../sqlite/0002_identifications_before.sql.
ALTER TABLE onboardings ADD COLUMN identifications_before BIGINT NOT NULL DEFAULT 0;
