-- Erasure (GDPR Art. 17): an erased onboarding stays as a tombstone (its id, the state it had,
-- when it was erased and at whose request); everything else about the customer goes: its ids at
-- Solaris, prefill, browsers, start links, partner events and their deliveries, and Solaris'
-- deliveries about it. `erased_by`: `partner` (the partner API), `solaris` (Solaris deleted
-- the person) or `retention` (the retention policy).
ALTER TABLE onboardings ADD COLUMN erased_at TEXT;
ALTER TABLE onboardings ADD COLUMN erased_by TEXT;
-- The cookie hashes of erased onboardings' browsers, and nothing else, so that the customer's
-- next page says the identification was closed instead of asking for a link. Unix seconds.
CREATE TABLE erased_browsers (
    key_hash TEXT PRIMARY KEY NOT NULL,
    erased_at BIGINT NOT NULL
);
