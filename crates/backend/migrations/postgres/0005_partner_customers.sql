-- See ../sqlite/0005_partner_customers.sql. PostgreSQL can drop a UNIQUE column, so the table is
-- changed in place instead of rebuilt; the columns end up the same.
ALTER TABLE onboardings ADD COLUMN customer_reference TEXT UNIQUE;
ALTER TABLE onboardings ADD COLUMN language TEXT;
ALTER TABLE onboardings ADD COLUMN prefill TEXT;
ALTER TABLE onboardings ADD COLUMN identification_id TEXT;
ALTER TABLE onboardings ADD COLUMN session_opened_at TEXT;
ALTER TABLE onboardings ADD COLUMN ended_at TEXT;

CREATE TABLE browsers (
    key_hash TEXT PRIMARY KEY NOT NULL,
    onboarding_id TEXT NOT NULL REFERENCES onboardings (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX browsers_onboarding_id ON browsers (onboarding_id);
INSERT INTO browsers (key_hash, onboarding_id, created_at)
SELECT browser_key_hash, id, created_at FROM onboardings;
ALTER TABLE onboardings DROP COLUMN browser_key_hash;

CREATE TABLE start_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    onboarding_id TEXT NOT NULL REFERENCES onboardings (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by_key_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX start_links_onboarding_id ON start_links (onboarding_id);

CREATE TABLE partner_events (
    id TEXT PRIMARY KEY NOT NULL,
    onboarding_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX partner_events_due ON partner_events (status, next_attempt_at);
CREATE INDEX partner_events_onboarding_id ON partner_events (onboarding_id);

CREATE TABLE partner_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES partner_events (id) ON DELETE CASCADE,
    attempt BIGINT NOT NULL,
    attempted_at BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX partner_deliveries_event_id ON partner_deliveries (event_id, attempt);
