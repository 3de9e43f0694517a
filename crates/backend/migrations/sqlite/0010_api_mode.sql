-- API mode (Solaris' Appendix II flow with our own screens). `mode` is the partner's choice for
-- this onboarding (`webview` or `api`; NULL: the backend's default). In API mode there is no
-- session: `bank_identification_id` is the identification our screens created and follow.
-- `code_sent_at` (Unix seconds) is when the latest SMS code (mobile number or signature) was
-- requested, for the resend cool-down; `code_valid_until` (Unix seconds, our clock) is when the
-- current signature code stops working.
ALTER TABLE onboardings ADD COLUMN mode TEXT;
ALTER TABLE onboardings ADD COLUMN bank_identification_id TEXT;
ALTER TABLE onboardings ADD COLUMN code_sent_at BIGINT;
ALTER TABLE onboardings ADD COLUMN code_valid_until BIGINT;
