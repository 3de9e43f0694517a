-- Onboardings belong to a partner's customer (by the partner's own reference) and to every
-- browser the customer opened a start link in, no longer to one browser. SQLite cannot drop a
-- UNIQUE column, so the table is rebuilt; each existing browser keeps its onboarding.
DROP INDEX onboardings_person_id;
DROP INDEX onboardings_session_id;
ALTER TABLE onboardings RENAME TO onboardings_before_partners;

CREATE TABLE onboardings (
    id TEXT PRIMARY KEY NOT NULL,
    -- The partner's id for its customer; NULL for the demo mode's onboardings per browser.
    customer_reference TEXT UNIQUE,
    -- `de` or `en`, when the partner chose the customer's language.
    language TEXT,
    -- Answers the partner already knows (JSON), offered to the customer's screens; erased when
    -- the onboarding reaches a final outcome.
    prefill TEXT,
    person_id TEXT,
    mobile_number_created INTEGER NOT NULL DEFAULT 0,
    session_id TEXT,
    session_url TEXT,
    known_identification_ids TEXT NOT NULL DEFAULT '',
    outcome_state TEXT NOT NULL DEFAULT 'not_started',
    outcome_category TEXT,
    error_code TEXT,
    -- The identification that decided the outcome, when one did.
    identification_id TEXT,
    consents_received_at TEXT,
    session_opened_at TEXT,
    ended_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO onboardings (id, person_id, mobile_number_created, session_id, session_url,
    known_identification_ids, outcome_state, outcome_category, error_code, consents_received_at,
    created_at, updated_at)
SELECT id, person_id, mobile_number_created, session_id, session_url, known_identification_ids,
    outcome_state, outcome_category, error_code, consents_received_at, created_at, updated_at
FROM onboardings_before_partners;
CREATE INDEX onboardings_person_id ON onboardings (person_id);
CREATE INDEX onboardings_session_id ON onboardings (session_id);

-- The browsers bound to an onboarding, by the SHA-256 of their cookie.
CREATE TABLE browsers (
    key_hash TEXT PRIMARY KEY NOT NULL,
    onboarding_id TEXT NOT NULL REFERENCES onboardings (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX browsers_onboarding_id ON browsers (onboarding_id);
INSERT INTO browsers (key_hash, onboarding_id, created_at)
SELECT browser_key_hash, id, created_at FROM onboardings_before_partners;
DROP TABLE onboardings_before_partners;

-- Single-use start links, by the SHA-256 of their token.
CREATE TABLE start_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    onboarding_id TEXT NOT NULL REFERENCES onboardings (id) ON DELETE CASCADE,
    -- Unix seconds.
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    -- The browser that used it may open it again (a reload); no other may.
    used_by_key_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX start_links_onboarding_id ON start_links (onboarding_id);

-- Events for the partner's systems (the outbox): written in the same transaction as the change
-- they report, delivered as signed webhooks by any backend instance.
CREATE TABLE partner_events (
    id TEXT PRIMARY KEY NOT NULL,
    onboarding_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    -- The exact JSON body that is signed and sent.
    payload TEXT NOT NULL,
    -- `pending`, `delivered` or `failed` (every retry used up).
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Unix seconds.
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX partner_events_due ON partner_events (status, next_attempt_at);
CREATE INDEX partner_events_onboarding_id ON partner_events (onboarding_id);

-- Every delivery attempt, for the partner API's delivery log.
CREATE TABLE partner_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES partner_events (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    -- Unix seconds.
    attempted_at BIGINT NOT NULL,
    -- The receiver's HTTP status, or NULL when it could not be reached.
    status_code INTEGER,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX partner_deliveries_event_id ON partner_deliveries (event_id, attempt);
