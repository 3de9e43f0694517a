-- Every change of an onboarding's state, appended and never rewritten: a retry no longer wipes
-- an earlier outcome from the record. `position` counts from 1 per onboarding; `from_state` and
-- `to_state` are `not_started`, `pending`, `final` or `erased`; `cause` is what made the change:
-- `customer` (their browser), `partner` (the partner API), `solaris_webhook` (a delivery from
-- Solaris) or `retention` (the retention policy). Onboardings from before this table start their
-- history with their next change. An erasure keeps only its own entry.
CREATE TABLE onboarding_history (
    onboarding_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    at TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    category TEXT,
    error_code TEXT,
    cause TEXT NOT NULL,
    -- The name of the API key the partner made the change with.
    api_key_name TEXT,
    PRIMARY KEY (onboarding_id, position)
);
