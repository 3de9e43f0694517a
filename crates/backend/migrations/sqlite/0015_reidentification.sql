-- A partner may ask for a new identification of a customer whose onboarding is over (ended or
-- cancelled): a new onboarding for the same customer reference, linked to the one before
-- (`previous_onboarding_id` on the new one, `next_onboarding_id` on the old one). A reference is
-- then unique among the onboardings nothing replaced, no longer over all of them. A cancelled
-- onboarding has the state `cancelled` (a value of `outcome_state`, no column of its own).
--
-- SQLite cannot drop a UNIQUE constraint, so the table is rebuilt. The rebuild runs inside the
-- migration's transaction, where foreign keys cannot be turned off: dropping the old table
-- deletes the rows that refer to it (browsers, start links), so they are kept aside first and
-- put back; a crash anywhere leaves the database as it was.
CREATE TEMPORARY TABLE browsers_kept AS SELECT * FROM browsers;
CREATE TEMPORARY TABLE start_links_kept AS SELECT * FROM start_links;

CREATE TABLE onboardings_rebuilt (
    id TEXT PRIMARY KEY NOT NULL,
    -- The partner's id for its customer; NULL for the demo mode's onboardings per browser.
    customer_reference TEXT,
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
    updated_at TEXT NOT NULL,
    leased_by TEXT,
    leased_until BIGINT,
    person_requested_at TEXT,
    mode TEXT,
    bank_identification_id TEXT,
    code_sent_at BIGINT,
    code_valid_until BIGINT,
    erased_at TEXT,
    erased_by TEXT,
    previous_onboarding_id TEXT,
    next_onboarding_id TEXT
);
INSERT INTO onboardings_rebuilt (id, customer_reference, language, prefill, person_id,
    mobile_number_created, session_id, session_url, known_identification_ids, outcome_state,
    outcome_category, error_code, identification_id, consents_received_at, session_opened_at,
    ended_at, created_at, updated_at, leased_by, leased_until, person_requested_at, mode,
    bank_identification_id, code_sent_at, code_valid_until, erased_at, erased_by)
SELECT id, customer_reference, language, prefill, person_id, mobile_number_created, session_id,
    session_url, known_identification_ids, outcome_state, outcome_category, error_code,
    identification_id, consents_received_at, session_opened_at, ended_at, created_at, updated_at,
    leased_by, leased_until, person_requested_at, mode, bank_identification_id, code_sent_at,
    code_valid_until, erased_at, erased_by
FROM onboardings;
DROP TABLE onboardings;
ALTER TABLE onboardings_rebuilt RENAME TO onboardings;
CREATE INDEX onboardings_person_id ON onboardings (person_id);
CREATE INDEX onboardings_session_id ON onboardings (session_id);
CREATE UNIQUE INDEX onboardings_current_reference ON onboardings (customer_reference)
    WHERE next_onboarding_id IS NULL;

INSERT INTO browsers SELECT * FROM browsers_kept;
INSERT INTO start_links SELECT * FROM start_links_kept;
DROP TABLE browsers_kept;
DROP TABLE start_links_kept;
