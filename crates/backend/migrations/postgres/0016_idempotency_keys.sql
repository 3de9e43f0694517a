-- See ../sqlite/0016_idempotency_keys.sql.
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
