-- See ../sqlite/0006_readiness_checks.sql.
CREATE TABLE readiness_checks (
    id BIGINT PRIMARY KEY NOT NULL,
    checked_at TEXT NOT NULL
);
