-- Each onboarding is one browser's identification. It holds Solaris ids and the outcome, not
-- the customer's answers: those go to Solaris when the person is created and are not kept here.
CREATE TABLE onboardings (
    id TEXT PRIMARY KEY NOT NULL,
    -- SHA-256 of the browser's cookie: a database leak does not let anyone act as the browser.
    browser_key_hash TEXT NOT NULL UNIQUE,
    person_id TEXT,
    mobile_number_created INTEGER NOT NULL DEFAULT 0,
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

-- Secrets of our webhook subscriptions, to verify deliveries.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Deliveries already processed, by Solaris-Webhook-Id, so a replay changes nothing.
CREATE TABLE webhook_events (
    webhook_id TEXT PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    received_at TEXT NOT NULL
);
