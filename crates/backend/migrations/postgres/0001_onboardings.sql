-- PostgreSQL's words for ../sqlite/0001_onboardings.sql (the same version and meaning; see the
-- comments there). Integers are BIGINT throughout, flags 0 or 1, times RFC 3339 text, as in SQLite.
CREATE TABLE onboardings (
    id TEXT PRIMARY KEY NOT NULL,
    browser_key_hash TEXT NOT NULL UNIQUE,
    person_id TEXT,
    mobile_number_created BIGINT NOT NULL DEFAULT 0,
    session_id TEXT,
    session_url TEXT,
    outcome_state TEXT NOT NULL DEFAULT 'not_started',
    outcome_category TEXT,
    error_code TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX onboardings_person_id ON onboardings (person_id);
CREATE INDEX onboardings_session_id ON onboardings (session_id);

CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE webhook_events (
    webhook_id TEXT PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    received_at TEXT NOT NULL
);
