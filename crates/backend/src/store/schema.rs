//! The schema and the `settings` table: migrations (run on start), readiness, the
//! database-wide locks and the cookie secret.

use sqlx::migrate::Migrator;

use super::{Engine, Store, now};
use crate::ids::random_hex;

/// The SQLite schema, in order. A migration never changes once released; new ones are appended
/// to both engines' folders with the same version.
static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
/// The PostgreSQL schema: the same versions, in PostgreSQL's words.
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

impl Engine {
    fn migrator(self) -> &'static Migrator {
        match self {
            Engine::Sqlite => &SQLITE_MIGRATOR,
            Engine::Postgres => &POSTGRES_MIGRATOR,
        }
    }
}

/// Where the database's schema stands against this build's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    /// The latest migration the database carries.
    pub applied: Option<i64>,
    /// This build's migrations the database lacks: version and description.
    pub pending: Vec<(i64, String)>,
    /// The database's latest migration is one this build does not know: a newer release
    /// migrated it.
    pub newer_than_this_build: bool,
}

impl SchemaStatus {
    /// Whether this build can serve the database as it is.
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && !self.newer_than_this_build
    }

    /// What an operator must do, when the schema is not current.
    pub fn problem(&self, latest: i64) -> Option<String> {
        if self.newer_than_this_build {
            return Some(format!(
                "the database carries migration {}, newer than this release knows ({latest}): \
                 a newer release migrated it. Run that release, or restore the backup taken before the upgrade",
                self.applied.unwrap_or_default()
            ));
        }
        (!self.pending.is_empty()).then(|| {
            format!(
                "the database lacks {} of this release's migrations (up to {latest}): run `bankident-backend migrate` first",
                self.pending.len()
            )
        })
    }
}

impl Store {
    /// Applies this build's migrations the database lacks; refuses a database a newer release
    /// migrated (its migrations are unknown here). Returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i64>, String> {
        let fail = |error: &dyn std::fmt::Display| format!("database migration failed: {error}");
        self.adopt_legacy_migrations()
            .await
            .map_err(|error| fail(&error))?;
        let status = self.schema_status().await?;
        if status.newer_than_this_build {
            return Err(status
                .problem(self.schema_versions().await.1)
                .unwrap_or_default());
        }
        self.engine
            .migrator()
            .run(&self.pool)
            .await
            .map_err(|error| fail(&error))?;
        Ok(status
            .pending
            .into_iter()
            .map(|(version, _)| version)
            .collect())
    }

    /// Where the schema stands against this build's migrations.
    pub async fn schema_status(&self) -> Result<SchemaStatus, String> {
        let fail =
            |error: &dyn std::fmt::Display| format!("cannot read the schema's migrations: {error}");
        let table: Option<String> = sqlx::query_scalar(match self.engine {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Engine::Postgres => {
                "SELECT table_name::TEXT FROM information_schema.tables WHERE table_name = '_sqlx_migrations'"
            }
        })
        .fetch_optional(&self.pool)
        .await
        .map_err(|error| fail(&error))?;
        let applied: Vec<i64> = match table {
            Some(_) => sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
                .map_err(|error| fail(&error))?,
            None => Vec::new(),
        };
        let known: Vec<i64> = self
            .engine
            .migrator()
            .iter()
            .map(|migration| migration.version)
            .collect();
        Ok(SchemaStatus {
            applied: applied.iter().copied().max(),
            pending: self
                .engine
                .migrator()
                .iter()
                .filter(|migration| !applied.contains(&migration.version))
                .map(|migration| (migration.version, migration.description.to_string()))
                .collect(),
            newer_than_this_build: applied.iter().any(|version| !known.contains(version)),
        })
    }

    /// A consistent copy of a SQLite database in the file `path` (`VACUUM INTO`, which a copy
    /// of the database's files is not while it runs). PostgreSQL has its own tools.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), String> {
        if self.engine != Engine::Sqlite {
            return Err(
                "backups of PostgreSQL are made with its own tools (pg_dump, or the provider's snapshots)".into(),
            );
        }
        if path.exists() {
            return Err(format!(
                "{} exists already: give a new file",
                path.display()
            ));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(|error| format!("backup to {} failed: {error}", path.display()))
    }

    /// Databases made before sqlx's migrator recorded their migrations in `schema_migrations`:
    /// record those as applied in sqlx's table, so they are not run a second time.
    async fn adopt_legacy_migrations(&self) -> Result<(), sqlx::Error> {
        if self.engine != Engine::Sqlite {
            return Ok(());
        }
        let legacy: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        )
        .fetch_optional(&self.pool)
        .await?;
        if legacy.is_none() {
            return Ok(());
        }
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
            .fetch_all(&self.pool)
            .await?;
        let mut transaction = self.pool.begin().await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
             installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, \
             execution_time BIGINT NOT NULL)",
        )
        .execute(&mut *transaction)
        .await?;
        for migration in SQLITE_MIGRATOR
            .iter()
            .filter(|migration| applied.contains(&migration.version))
        {
            sqlx::query(
                "INSERT OR IGNORE INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ($1, $2, TRUE, $3, 0)",
            )
            .bind(migration.version)
            .bind(migration.description.as_ref())
            .bind(migration.checksum.as_ref())
            .execute(&mut *transaction)
            .await?;
        }
        sqlx::raw_sql("DROP TABLE schema_migrations")
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await
    }

    /// Whether the database takes writes and carries every migration of this build; otherwise
    /// what is wrong (the status `/ready` shows) and the database's own words (for the log).
    pub async fn check_ready(&self) -> Result<(), (&'static str, String)> {
        let latest = self
            .engine
            .migrator()
            .iter()
            .map(|migration| migration.version)
            .max();
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await
                .map_err(|error| ("database unavailable", error.to_string()))?;
        if applied < latest {
            return Err(("database not migrated", format!("{applied:?} < {latest:?}")));
        }
        sqlx::query(
            "INSERT INTO readiness_checks (id, checked_at) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        )
        .bind(now())
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(|error| ("database not writable", error.to_string()))
    }

    /// Takes the database-wide lock called `name` for `seconds` (a row of `settings` holding its
    /// expiry in Unix milliseconds and its holder), unless another holder has it: instances
    /// starting together do one thing at a time. `Some(holder)` when taken.
    pub async fn try_lock(&self, name: &str, seconds: i64) -> Result<Option<String>, sqlx::Error> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
        let holder = random_hex(8);
        let value = format!("{} {holder}", now + seconds * 1000);
        let taken = sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE \
             SET value = excluded.value WHERE CAST(substr(settings.value, 1, 13) AS BIGINT) <= $3",
        )
        .bind(format!("lock:{name}"))
        .bind(&value)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        Ok(taken.then_some(holder))
    }

    /// Lets go of a lock taken with [`Store::try_lock`].
    pub async fn unlock(&self, name: &str, holder: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM settings WHERE name = $1 AND value LIKE $2")
            .bind(format!("lock:{name}"))
            .bind(format!("% {holder}"))
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// The secret that signs browser cookies: made by the first instance to start on this
    /// database, shared by every other.
    pub async fn cookie_secret(&self) -> Result<String, sqlx::Error> {
        sqlx::query("INSERT INTO settings (name, value) VALUES ('cookie_secret', $1) ON CONFLICT (name) DO NOTHING")
            .bind(random_hex(32))
            .execute(&self.pool)
            .await?;
        sqlx::query_scalar("SELECT value FROM settings WHERE name = 'cookie_secret'")
            .fetch_one(&self.pool)
            .await
    }

    /// The latest migration the database carries, and this build's latest.
    pub async fn schema_versions(&self) -> (Option<i64>, i64) {
        let latest = self
            .engine
            .migrator()
            .iter()
            .map(|migration| migration.version)
            .max()
            .unwrap_or_default();
        let applied = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
            .ok()
            .flatten();
        (applied, latest)
    }

    /// This instance's database connections: how many are open, and how many of them idle.
    pub fn pool_connections(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use sqlx::sqlite::SqliteConnectOptions;

    use super::*;
    use crate::store::testing;

    #[tokio::test]
    async fn a_lock_has_one_holder_until_it_is_let_go_or_runs_out() {
        let store = testing::scratch_store().await;
        let holder = store.try_lock("job", 30).await.unwrap().expect("free");
        assert_eq!(store.try_lock("job", 30).await.unwrap(), None, "held");
        assert!(store.try_lock("other job", 30).await.unwrap().is_some());
        store.unlock("job", "someone else").await.unwrap();
        assert_eq!(
            store.try_lock("job", 30).await.unwrap(),
            None,
            "only its holder lets go"
        );
        store.unlock("job", &holder).await.unwrap();
        assert!(store.try_lock("job", 0).await.unwrap().is_some(), "let go");
        // Taken for no time (a holder that crashed long ago): it has run out.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        assert!(
            store.try_lock("job", 30).await.unwrap().is_some(),
            "ran out"
        );
    }

    #[test]
    fn both_engines_have_the_same_migrations() {
        let steps = |migrator: &Migrator| {
            migrator
                .iter()
                .map(|migration| (migration.version, migration.description.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(steps(&SQLITE_MIGRATOR), steps(&POSTGRES_MIGRATOR));
    }

    /// Every table's columns with whether they may be empty, sorted.
    async fn schema(store: &Store) -> Vec<(String, String, i64)> {
        let sql = match store.engine() {
            Engine::Sqlite => {
                "SELECT m.name, c.name, c.\"notnull\" FROM sqlite_master m, pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'"
            }
            Engine::Postgres => {
                "SELECT table_name::text, column_name::text, CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END::bigint \
                 FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'"
            }
        };
        let mut columns: Vec<(String, String, i64)> =
            sqlx::query_as(sql).fetch_all(&store.pool).await.unwrap();
        columns.sort();
        columns
    }

    #[tokio::test]
    async fn both_engines_end_with_the_same_tables_and_columns() {
        let sqlite = Store::open("sqlite::memory:").await.unwrap();
        let expected = schema(&sqlite).await;
        assert!(expected.contains(&("onboardings".into(), "customer_reference".into(), 0)));
        // The PostgreSQL pass of the test command compares; the SQLite pass checks itself.
        let other = testing::scratch_store().await;
        assert_eq!(schema(&other).await, expected);
    }

    #[tokio::test]
    async fn the_rebuild_for_reidentification_keeps_every_browser_and_start_link() {
        let path = std::env::temp_dir().join(format!(
            "bankident-before-0015-{}-{}.sqlite",
            std::process::id(),
            random_hex(4)
        ));
        let url = format!("sqlite://{}", path.display());
        {
            let options = SqliteConnectOptions::from_str(&url)
                .unwrap()
                .create_if_missing(true)
                .foreign_keys(true);
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .connect_with(options)
                .await
                .unwrap();
            let before = Migrator {
                migrations: std::borrow::Cow::Owned(
                    SQLITE_MIGRATOR
                        .iter()
                        .filter(|migration| migration.version < 15)
                        .cloned()
                        .collect(),
                ),
                ..Migrator::DEFAULT
            };
            before.run(&pool).await.unwrap();
            sqlx::raw_sql(
                "INSERT INTO onboardings (id, customer_reference, outcome_state, outcome_category, created_at, updated_at) \
                 VALUES ('o1', 'c-1', 'final', 'success', 'x', 'x'); \
                 INSERT INTO browsers (key_hash, onboarding_id, created_at) VALUES ('hash-1', 'o1', 'x'); \
                 INSERT INTO start_links (token_hash, onboarding_id, expires_at, created_at) VALUES ('token-1', 'o1', 9, 'x');",
            )
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        }
        let store = Store::open(&url).await.unwrap();
        let kept = store.onboarding_by_browser("hash-1").await.unwrap();
        assert_eq!(kept.map(|onboarding| onboarding.id).as_deref(), Some("o1"));
        let links: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM start_links WHERE onboarding_id = 'o1'")
                .fetch_one(&store.pool)
                .await
                .unwrap();
        assert_eq!(links, 1);
        assert!(matches!(
            store.reidentify("c-1", None, None).await.unwrap(),
            super::super::Reidentified::New(_)
        ));
        // The foreign keys still hold: erasing cascades to the browsers as before.
        sqlx::query("DELETE FROM onboardings WHERE id = 'o1'")
            .execute(&store.pool)
            .await
            .unwrap();
        assert!(
            store
                .onboarding_by_browser("hash-1")
                .await
                .unwrap()
                .is_none()
        );
        let browsers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM browsers")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(browsers, 0);
        drop(store);
        let _ = std::fs::remove_file(&path);
    }

    #[tokio::test]
    async fn a_database_from_before_sqlx_migrations_keeps_its_data() {
        let path = std::env::temp_dir().join(format!(
            "bankident-legacy-{}-{}.sqlite",
            std::process::id(),
            random_hex(4)
        ));
        let url = format!("sqlite://{}", path.display());
        {
            let options = SqliteConnectOptions::from_str(&url)
                .unwrap()
                .create_if_missing(true);
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .connect_with(options)
                .await
                .unwrap();
            sqlx::raw_sql(include_str!("../../migrations/sqlite/0001_onboardings.sql"))
                .execute(&pool)
                .await
                .unwrap();
            sqlx::raw_sql(include_str!(
                "../../migrations/sqlite/0002_identifications_before.sql"
            ))
            .execute(&pool)
            .await
            .unwrap();
            sqlx::raw_sql(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL); \
                 INSERT INTO schema_migrations VALUES (1, 'x'), (2, 'x'); \
                 INSERT INTO onboardings (id, browser_key_hash, person_id, created_at, updated_at) \
                 VALUES ('o1', 'hash-old', 'p9cper', 'x', 'x');",
            )
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        }
        let store = Store::open(&url).await.unwrap();
        let kept = store
            .onboarding_by_browser("hash-old")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept.person_id.as_deref(), Some("p9cper"));
        assert!(kept.known_identification_ids.is_empty());
        drop(store);
        // Opening again runs nothing twice.
        Store::open(&url).await.unwrap();
        let _ = std::fs::remove_file(&path);
    }
}
