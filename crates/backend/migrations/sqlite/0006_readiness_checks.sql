-- `/ready` writes here: a database that answers reads but refuses writes (disk full, a read-only
-- file or mount) is not ready.
CREATE TABLE readiness_checks (
    id INTEGER PRIMARY KEY NOT NULL,
    checked_at TEXT NOT NULL
);
