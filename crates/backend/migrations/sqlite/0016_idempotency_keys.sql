-- Idempotency keys of the partner API's create call: a request sent again with the same
-- `Idempotency-Key` within 24 hours gets the first answer. `key_hash` is the key's SHA-256 (the
-- key itself, which the answer's start link token is derived from, is never stored);
-- `request_hash` the SHA-256 of the request as understood, so the same key with another request
-- is refused; `status` and `response` stay NULL while the first request is being processed
-- (the response is stored without the start link's URL, which is derived again on a replay).
-- `onboarding_id` lets an erasure take the answer with it. Unix seconds.
CREATE TABLE idempotency_keys (
    key_hash TEXT PRIMARY KEY NOT NULL,
    request_hash TEXT NOT NULL,
    onboarding_id TEXT,
    status BIGINT,
    response TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_onboarding_id ON idempotency_keys (onboarding_id);
