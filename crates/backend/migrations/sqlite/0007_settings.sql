-- Values every backend instance on this database shares, made once: the secret that signs the
-- browser cookies (`cookie_secret`), so a key a client made up is never taken as ours.
CREATE TABLE settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
