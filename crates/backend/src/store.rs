//! Persistence: onboardings, webhook subscription secrets and processed webhook ids, in SQLite
//! (a file by default) or PostgreSQL (several backend instances on one database), chosen by the
//! database URL; created and migrated on start. Every query is written once, in SQL both engines
//! take (`$1` placeholders, `ON CONFLICT`, `RETURNING`), through sqlx's `Any` driver. Each engine
//! has its own migration files with the same versions (`migrations/sqlite`, `migrations/postgres`),
//! compiled into the binary and run by sqlx's migrator.

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor, FromRow, Row};

use crate::ids::random_hex;
use crate::partner_events::{PartnerEventType, record_event};

mod leases;
mod start_links;
pub mod testing;

pub use leases::{Lease, Leased};
pub use start_links::{LinkProblem, StartLink};

/// The SQLite schema, in order. A migration never changes once released; new ones are appended
/// to both engines' folders with the same version.
static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
/// The PostgreSQL schema: the same versions, in PostgreSQL's words.
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `sqlite://path` or `sqlite::memory:`: one backend instance (the embedded default).
    Sqlite,
    /// `postgres://…`: any number of backend instances.
    Postgres,
}

impl Engine {
    /// The engine of a database URL.
    pub fn of(url: &str) -> Result<Engine, String> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else {
            Err(format!(
                "BANKIDENT_DATABASE_URL must start with sqlite: or postgres:// (got {:?})",
                url.split(':').next().unwrap_or_default()
            ))
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Engine::Sqlite => &SQLITE_MIGRATOR,
            Engine::Postgres => &POSTGRES_MIGRATOR,
        }
    }

    /// What a query that claims rows for one worker adds, so that workers on other instances
    /// pass over rows already taken instead of waiting for them (SQLite has one writer anyway).
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// The columns of an onboarding, as every query that reads one names them.
pub(crate) const ONBOARDING_COLUMNS: &str = "id, customer_reference, language, person_id, mobile_number_created, session_id, \
     session_url, outcome_state, outcome_category, error_code, identification_id, known_identification_ids, \
     session_opened_at, ended_at, person_requested_at, mode, bank_identification_id, code_sent_at, code_valid_until, \
     created_at, updated_at";

/// An onboarding: one customer's identification, for the partner's customer or (demo mode)
/// for one browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onboarding {
    /// Our id (the partner API's; never in a customer's URL, never sent to the browser).
    pub id: String,
    /// The partner's id for its customer; `None` in the demo mode.
    pub customer_reference: Option<String>,
    /// The language the partner chose for the customer (`de`, `en`).
    pub language: Option<String>,
    /// The Solaris person, once created.
    pub person_id: Option<String>,
    /// Whether the mobile number was added to the person.
    pub mobile_number_created: bool,
    /// The latest identification session.
    pub session_id: Option<String>,
    /// Its webview URL.
    pub session_url: Option<String>,
    /// `not_started`, `pending` or `final`.
    pub outcome_state: String,
    /// The outcome category once final.
    pub outcome_category: Option<String>,
    /// The Appendix III code of a failure.
    pub error_code: Option<String>,
    /// The identification that decided the final outcome, when one did.
    pub identification_id: Option<String>,
    /// The identifications the person had when the current session opened.
    pub known_identification_ids: IdList,
    /// When the latest session opened (RFC 3339).
    pub session_opened_at: Option<String>,
    /// When the outcome became final (RFC 3339).
    pub ended_at: Option<String>,
    /// When a person creation was sent whose answer never came (RFC 3339): look the person up
    /// before creating another.
    pub person_requested_at: Option<String>,
    /// The partner's choice of mode for this onboarding (`webview`, `api`); `None`: the
    /// backend's default.
    pub mode: Option<String>,
    /// API mode: the bank identification our screens created and follow.
    pub bank_identification_id: Option<String>,
    /// API mode: when the latest SMS code was requested (Unix seconds), for the resend cool-down.
    pub code_sent_at: Option<i64>,
    /// API mode: until when the current signature code works (Unix seconds, our clock).
    pub code_valid_until: Option<i64>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl FromRow<'_, AnyRow> for Onboarding {
    fn from_row(row: &AnyRow) -> Result<Onboarding, sqlx::Error> {
        Ok(Onboarding {
            id: row.try_get("id")?,
            customer_reference: row.try_get("customer_reference")?,
            language: row.try_get("language")?,
            person_id: row.try_get("person_id")?,
            // Stored as 0 or 1: neither engine's integer reads as a bool through `Any`.
            mobile_number_created: row.try_get::<i64, _>("mobile_number_created")? != 0,
            session_id: row.try_get("session_id")?,
            session_url: row.try_get("session_url")?,
            outcome_state: row.try_get("outcome_state")?,
            outcome_category: row.try_get("outcome_category")?,
            error_code: row.try_get("error_code")?,
            identification_id: row.try_get("identification_id")?,
            known_identification_ids: IdList::from(
                row.try_get::<String, _>("known_identification_ids")?,
            ),
            session_opened_at: row.try_get("session_opened_at")?,
            ended_at: row.try_get("ended_at")?,
            person_requested_at: row.try_get("person_requested_at")?,
            mode: row.try_get("mode")?,
            bank_identification_id: row.try_get("bank_identification_id")?,
            code_sent_at: row.try_get("code_sent_at")?,
            code_valid_until: row.try_get("code_valid_until")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// Identification ids, stored space-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdList(pub Vec<String>);

impl From<String> for IdList {
    fn from(stored: String) -> IdList {
        IdList(stored.split_whitespace().map(str::to_string).collect())
    }
}

impl std::ops::Deref for IdList {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        &self.0
    }
}

impl PartialEq<[String]> for IdList {
    fn eq(&self, other: &[String]) -> bool {
        self.0 == other
    }
}

impl<const N: usize> PartialEq<[String; N]> for IdList {
    fn eq(&self, other: &[String; N]) -> bool {
        self.0 == other
    }
}

/// How an onboarding ended, as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    /// Outcome category name.
    pub category: &'static str,
    /// Appendix III code.
    pub error_code: Option<String>,
    /// The identification that decided it.
    pub identification_id: Option<String>,
}

/// What one webhook changes, applied together with recording it as processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookChange {
    /// An onboarding reached its final outcome.
    FinalOutcome {
        /// The onboarding.
        onboarding_id: String,
        /// How it ended.
        ending: Ending,
    },
    /// Solaris deleted the person: erase its onboardings.
    ErasePerson(String),
    /// Whether the person's mobile number exists at Solaris.
    MobileNumberExists {
        /// The person.
        person_id: String,
        /// Exists.
        exists: bool,
    },
}

/// The database.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// Which engine holds it.
    pub(crate) engine: Engine,
    /// Whether changes write events for the partner's webhooks (a webhook URL is configured).
    records_partner_events: bool,
}

/// Binds a browser to an onboarding (a browser bound elsewhere before follows the new one).
async fn bind_browser(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    browser_key_hash: &str,
    onboarding_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO browsers (key_hash, onboarding_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key_hash) DO UPDATE SET onboarding_id = excluded.onboarding_id",
    )
    .bind(browser_key_hash)
    .bind(onboarding_id)
    .bind(now())
    .execute(&mut **transaction)
    .await
    .map(|_| ())
}

/// Now, as stored (UTC, RFC 3339).
pub(crate) fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("UTC timestamps always format")
}

/// How connections of an engine are set up: SQLite writes ahead (readers never wait for the
/// writer) and checks foreign keys; PostgreSQL ends a statement that hangs.
fn session_settings(engine: Engine) -> &'static str {
    match engine {
        // With WAL, NORMAL keeps the database consistent across crashes and only risks the last
        // commits on a power loss; Solaris stays the source of truth for outcomes.
        Engine::Sqlite => {
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
             PRAGMA busy_timeout = 5000"
        }
        Engine::Postgres => "SET statement_timeout = '10s'; SET lock_timeout = '10s'",
    }
}

/// The connection options of a SQLite URL (its folder created, the file created when missing)
/// and how many connections to keep.
fn sqlite_options(url: &str) -> Result<(AnyConnectOptions, u32), String> {
    let sqlite = SqliteConnectOptions::from_str(url)
        .map_err(|error| format!("BANKIDENT_DATABASE_URL={url:?} is not a SQLite URL: {error}"))?;
    if let Some(parent) = sqlite
        .get_filename()
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    }
    if url.contains(":memory:") {
        // An in-memory database exists per connection: keep exactly one.
        return Ok((
            AnyConnectOptions::from_str(url).map_err(|error| error.to_string())?,
            1,
        ));
    }
    let create = if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    let options = AnyConnectOptions::from_str(&create)
        .map_err(|error| format!("BANKIDENT_DATABASE_URL={url:?} is not a SQLite URL: {error}"))?;
    Ok((options, 8))
}

/// Whether a database error means the database cannot take requests now (disk full, read-only,
/// unreachable, locked, shutting down) rather than a fault of the request: the API answers 503
/// and `/ready` fails until it passes, without a restart.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(database) => {
            let code = database.code().unwrap_or_default();
            if database
                .try_downcast_ref::<sqlx::sqlite::SqliteError>()
                .is_some()
            {
                // SQLite's primary result codes: BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN.
                code.parse::<i32>()
                    .is_ok_and(|code| matches!(code & 0xff, 5 | 6 | 8 | 10 | 13 | 14))
            } else {
                // PostgreSQL's SQLSTATE: read-only transaction, insufficient resources (disk
                // full, out of memory, too many connections), connection exceptions, operator
                // intervention (shutdown).
                code == "25006"
                    || code.starts_with("53")
                    || code.starts_with("08")
                    || code.starts_with("57P")
            }
        }
        _ => false,
    }
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`: `sqlite://path`,
    /// `sqlite::memory:` or `postgres://user@host/database`.
    pub async fn open(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let engine = Engine::of(url)?;
        let (options, connections) = match engine {
            Engine::Sqlite => sqlite_options(url)?,
            Engine::Postgres => (
                AnyConnectOptions::from_str(url).map_err(|error| {
                    format!("BANKIDENT_DATABASE_URL is not a PostgreSQL URL: {error}")
                })?,
                16,
            ),
        };
        let memory = url.contains(":memory:");
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .test_before_acquire(engine == Engine::Postgres)
            // An in-memory database lives as long as its one connection.
            .idle_timeout((!memory).then_some(std::time::Duration::from_secs(600)))
            .max_lifetime((!memory).then_some(std::time::Duration::from_secs(1800)))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    connection
                        .execute(session_settings(engine))
                        .await
                        .map(|_| ())
                })
            })
            .connect_with(options)
            .await
            .map_err(|error| format!("cannot open the database: {error}"))?;
        let store = Store {
            pool,
            engine,
            records_partner_events: false,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// The engine that holds the data.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// From now on, changes write events for the partner's webhooks.
    pub fn recording_partner_events(self) -> Store {
        Store {
            records_partner_events: true,
            ..self
        }
    }

    async fn migrate(&self) -> Result<(), String> {
        let fail = |error: &dyn std::fmt::Display| format!("database migration failed: {error}");
        self.adopt_legacy_migrations()
            .await
            .map_err(|error| fail(&error))?;
        self.engine
            .migrator()
            .run(&self.pool)
            .await
            .map_err(|error| fail(&error))
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

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
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

    /// The onboarding of a browser, by the hash of its cookie.
    pub async fn onboarding_by_browser(
        &self,
        browser_key_hash: &str,
    ) -> Result<Option<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE id = (SELECT onboarding_id FROM browsers WHERE key_hash = $1)"
        ))
        .bind(browser_key_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// An onboarding by its id.
    pub async fn onboarding(&self, id: &str) -> Result<Option<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
    }

    /// The onboarding of a partner's customer.
    pub async fn onboarding_by_reference(
        &self,
        customer_reference: &str,
    ) -> Result<Option<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE customer_reference = $1"
        ))
        .bind(customer_reference)
        .fetch_optional(&self.pool)
        .await
    }

    /// Starts an onboarding for a browser (the demo mode, without a partner's customer). When
    /// another request (on any instance) started one for this browser first, that one is it.
    pub async fn create_onboarding(
        &self,
        browser_key_hash: &str,
    ) -> Result<Onboarding, sqlx::Error> {
        let id = random_hex(16);
        let at = now();
        let mut transaction = self.pool.begin().await?;
        let created: Onboarding = sqlx::query_as(&format!(
            "INSERT INTO onboardings (id, created_at, updated_at) VALUES ($1, $2, $3) RETURNING {ONBOARDING_COLUMNS}"
        ))
        .bind(&id)
        .bind(&at)
        .bind(&at)
        .fetch_one(&mut *transaction)
        .await?;
        let bound = sqlx::query(
            "INSERT INTO browsers (key_hash, onboarding_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key_hash) DO NOTHING",
        )
        .bind(browser_key_hash)
        .bind(&id)
        .bind(&at)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if !bound {
            transaction.rollback().await?;
            return self
                .onboarding_by_browser(browser_key_hash)
                .await?
                .ok_or(sqlx::Error::RowNotFound);
        }
        transaction.commit().await?;
        Ok(created)
    }

    /// The onboarding of a partner's customer, created on first use: the same reference always
    /// gets the same onboarding. A `language` or `prefill` given again replaces the earlier one
    /// (the prefill only while no Solaris person exists). Returns it and whether it is new.
    pub async fn customer_onboarding(
        &self,
        customer_reference: &str,
        language: Option<&str>,
        prefill: Option<&str>,
    ) -> Result<(Onboarding, bool), sqlx::Error> {
        let at = now();
        let created = sqlx::query(
            "INSERT INTO onboardings (id, customer_reference, language, prefill, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (customer_reference) DO NOTHING",
        )
        .bind(random_hex(16))
        .bind(customer_reference)
        .bind(language)
        .bind(prefill)
        .bind(&at)
        .bind(&at)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        if !created {
            sqlx::query(
                "UPDATE onboardings SET language = COALESCE($1, language), \
                 prefill = CASE WHEN $2 IS NOT NULL AND person_id IS NULL AND outcome_state <> 'final' THEN $3 ELSE prefill END, \
                 updated_at = $4 WHERE customer_reference = $5",
            )
            .bind(language)
            .bind(prefill)
            .bind(prefill)
            .bind(&at)
            .bind(customer_reference)
            .execute(&self.pool)
            .await?;
        }
        let onboarding = self
            .onboarding_by_reference(customer_reference)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        Ok((onboarding, created))
    }

    /// The answers the partner already knew (JSON), while the onboarding is open.
    pub async fn prefill(&self, id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT prefill FROM onboardings WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map(Option::flatten)
    }

    /// Records the created Solaris person.
    pub async fn set_person(&self, id: &str, person_id: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET person_id = $1, person_requested_at = NULL, updated_at = $2 WHERE id = $3",
            &[person_id],
            id,
        )
        .await
    }

    /// Records that a person creation is being sent to Solaris: if its answer is lost, the next
    /// attempt looks for the person first.
    pub async fn set_person_requested(&self, id: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET person_requested_at = $1, updated_at = $1 WHERE id = $2",
            &[],
            id,
        )
        .await
    }

    /// Records that the person creation was answered without making a person (a refusal).
    pub async fn set_person_request_answered(&self, id: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET person_requested_at = NULL, updated_at = $1 WHERE id = $2",
            &[],
            id,
        )
        .await
    }

    /// Records when the customer's consents reached us.
    pub async fn set_consents_received(
        &self,
        id: &str,
        at: time::OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        let at = at
            .format(&time::format_description::well_known::Rfc3339)
            .expect("UTC timestamps always format");
        self.update(
            "UPDATE onboardings SET consents_received_at = $1, updated_at = $2 WHERE id = $3",
            &[&at],
            id,
        )
        .await
    }

    /// Records a new session, opened when the person had the identifications
    /// `known_identification_ids`; its outcome is pending. The partner's
    /// `onboarding.session_opened` event is written in the same transaction.
    pub async fn set_session(
        &self,
        id: &str,
        session_id: &str,
        url: &str,
        known_identification_ids: &[String],
    ) -> Result<(), sqlx::Error> {
        let at = now();
        // A session is only opened once the person has its mobile number.
        let update = sqlx::query(
            "UPDATE onboardings SET session_id = $1, session_url = $2, known_identification_ids = $3, outcome_state = 'pending', \
             outcome_category = NULL, error_code = NULL, identification_id = NULL, ended_at = NULL, session_opened_at = $4, \
             mobile_number_created = 1, updated_at = $4 WHERE id = $5",
        )
        .bind(session_id)
        .bind(url)
        .bind(known_identification_ids.join(" "))
        .bind(&at)
        .bind(id);
        if !self.records_partner_events {
            // One statement needs no transaction (two round trips fewer).
            return update.execute(&self.pool).await.map(|_| ());
        }
        let mut transaction = self.pool.begin().await?;
        update.execute(&mut *transaction).await?;
        record_event(&mut transaction, PartnerEventType::SessionOpened, id).await?;
        transaction.commit().await
    }

    /// Sets the mode the partner chose for this onboarding.
    pub async fn set_mode(&self, id: &str, mode: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET mode = $1, updated_at = $2 WHERE id = $3",
            &[mode],
            id,
        )
        .await
    }

    /// API mode: records that an SMS code was requested now (Unix seconds `at`), and until
    /// when it works when that is known (a signature code). A code goes to a mobile number,
    /// so the person has one.
    pub async fn set_code_sent(
        &self,
        id: &str,
        at: i64,
        valid_until: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE onboardings SET code_sent_at = $1, code_valid_until = $2, mobile_number_created = 1, updated_at = $3 WHERE id = $4",
        )
        .bind(at)
        .bind(valid_until)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// API mode: records a new bank identification; the outcome is pending again. The partner's
    /// `onboarding.session_opened` event (an identification was opened) is written in the same
    /// transaction.
    pub async fn set_bank_identification(
        &self,
        id: &str,
        identification_id: &str,
    ) -> Result<(), sqlx::Error> {
        let at = now();
        let update = sqlx::query(
            "UPDATE onboardings SET bank_identification_id = $1, outcome_state = 'pending', outcome_category = NULL, \
             error_code = NULL, identification_id = NULL, ended_at = NULL, session_opened_at = $2, code_sent_at = NULL, \
             code_valid_until = NULL, mobile_number_created = 1, updated_at = $2 WHERE id = $3",
        )
        .bind(identification_id)
        .bind(&at)
        .bind(id);
        if !self.records_partner_events {
            return update.execute(&self.pool).await.map(|_| ());
        }
        let mut transaction = self.pool.begin().await?;
        update.execute(&mut *transaction).await?;
        record_event(&mut transaction, PartnerEventType::SessionOpened, id).await?;
        transaction.commit().await
    }

    /// API mode: an identification Solaris refused at creation (a 412) ends the onboarding
    /// with that code, as if it had failed: pending first, then final, with both events.
    pub async fn set_refused_identification(
        &self,
        id: &str,
        ending: &Ending,
    ) -> Result<(), sqlx::Error> {
        let at = now();
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "UPDATE onboardings SET bank_identification_id = NULL, outcome_state = 'pending', session_opened_at = $1, \
             mobile_number_created = 1, updated_at = $1 WHERE id = $2",
        )
        .bind(&at)
        .bind(id)
        .execute(&mut *transaction)
        .await?;
        if self.records_partner_events {
            record_event(&mut transaction, PartnerEventType::SessionOpened, id).await?;
        }
        self.end(&mut transaction, id, ending).await?;
        transaction.commit().await
    }

    /// Records a final outcome, unless one was recorded already; the partner's
    /// `onboarding.ended` event is written in the same transaction. `true` if recorded now.
    pub async fn set_final_outcome(&self, id: &str, ending: &Ending) -> Result<bool, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        let ended = self.end(&mut transaction, id, ending).await?;
        transaction.commit().await?;
        Ok(ended)
    }

    /// The final outcome of a pending onboarding, with its event; the partner's prefill goes.
    async fn end(
        &self,
        transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: &str,
        ending: &Ending,
    ) -> Result<bool, sqlx::Error> {
        let at = now();
        let ended = sqlx::query(
            "UPDATE onboardings SET outcome_state = 'final', outcome_category = $1, error_code = $2, identification_id = $3, \
             prefill = NULL, ended_at = $4, updated_at = $5 WHERE id = $6 AND outcome_state = 'pending'",
        )
        .bind(ending.category)
        .bind(ending.error_code.as_deref())
        .bind(ending.identification_id.as_deref())
        .bind(&at)
        .bind(&at)
        .bind(id)
        .execute(&mut **transaction)
        .await?
        .rows_affected()
            == 1;
        if ended && self.records_partner_events {
            record_event(transaction, PartnerEventType::Ended, id).await?;
        }
        Ok(ended)
    }

    async fn update(&self, sql: &str, values: &[&str], id: &str) -> Result<(), sqlx::Error> {
        let mut query = sqlx::query(sql);
        for value in values {
            query = query.bind(*value);
        }
        query
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Forgets the Solaris ids of an onboarding whose person Solaris no longer knows.
    pub async fn forget_person(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE onboardings SET person_id = NULL, mobile_number_created = 0, session_id = NULL, session_url = NULL, \
             bank_identification_id = NULL, code_sent_at = NULL, code_valid_until = NULL, \
             known_identification_ids = '', outcome_state = 'not_started', outcome_category = NULL, error_code = NULL, \
             identification_id = NULL, session_opened_at = NULL, ended_at = NULL, updated_at = $1 WHERE id = $2",
        )
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Pending onboardings waiting on this session or person (for webhooks).
    pub async fn pending_onboardings(
        &self,
        session_id: Option<&str>,
        person_id: Option<&str>,
    ) -> Result<Vec<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE outcome_state = 'pending' AND (session_id = $1 OR person_id = $2)"
        ))
        .bind(session_id)
        .bind(person_id)
        .fetch_all(&self.pool)
        .await
    }

    /// The onboardings of a Solaris person, whatever their state.
    pub async fn onboardings_of_person(
        &self,
        person_id: &str,
    ) -> Result<Vec<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE person_id = $1"
        ))
        .bind(person_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Stores a webhook subscription's secret.
    pub async fn save_subscription(
        &self,
        id: &str,
        event_type: &str,
        secret: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO webhook_subscriptions (id, event_type, secret, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET event_type = excluded.event_type, secret = excluded.secret, \
             created_at = excluded.created_at")
            .bind(id)
            .bind(event_type)
            .bind(secret)
            .bind(now())
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// The secret of a subscription we made.
    pub async fn subscription_secret(&self, id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT secret FROM webhook_subscriptions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// `(id, secret)` of our subscriptions to `event_type`: a delivery of that event must be
    /// signed with one of these secrets.
    pub async fn subscriptions_for(
        &self,
        event_type: &str,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as("SELECT id, secret FROM webhook_subscriptions WHERE event_type = $1")
            .bind(event_type)
            .fetch_all(&self.pool)
            .await
    }

    /// Forgets a subscription we deleted at Solaris.
    pub async fn delete_subscription(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM webhook_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Whether a delivery was processed before (a replay or a retry).
    pub async fn webhook_processed(&self, webhook_id: &str) -> Result<bool, sqlx::Error> {
        let found: Option<String> =
            sqlx::query_scalar("SELECT webhook_id FROM webhook_events WHERE webhook_id = $1")
                .bind(webhook_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// Records a delivery as processed and applies its changes, in one transaction: either
    /// both happen or neither. `false` if it was processed before (nothing is applied then).
    pub async fn apply_webhook(
        &self,
        webhook_id: &str,
        event_type: &str,
        entity_id: &str,
        changes: &[WebhookChange],
    ) -> Result<bool, sqlx::Error> {
        let record = sqlx::query("INSERT INTO webhook_events (webhook_id, event_type, entity_id, received_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (webhook_id) DO NOTHING")
            .bind(webhook_id)
            .bind(event_type)
            .bind(entity_id)
            .bind(now());
        if changes.is_empty() {
            // One statement needs no transaction (two round trips fewer).
            return Ok(record.execute(&self.pool).await?.rows_affected() == 1);
        }
        let mut transaction = self.pool.begin().await?;
        let recorded = record.execute(&mut *transaction).await?;
        if recorded.rows_affected() == 0 {
            return Ok(false);
        }
        for change in changes {
            match change {
                WebhookChange::FinalOutcome {
                    onboarding_id,
                    ending,
                } => {
                    self.end(&mut transaction, onboarding_id, ending).await?;
                }
                WebhookChange::ErasePerson(person_id) => {
                    sqlx::query("DELETE FROM onboardings WHERE person_id = $1")
                        .bind(person_id)
                        .execute(&mut *transaction)
                        .await?;
                }
                WebhookChange::MobileNumberExists { person_id, exists } => {
                    sqlx::query("UPDATE onboardings SET mobile_number_created = $1, updated_at = $2 WHERE person_id = $3")
                        .bind(i64::from(*exists))
                        .bind(now())
                        .bind(person_id)
                        .execute(&mut *transaction)
                        .await?;
                }
            }
        }
        transaction.commit().await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn onboardings_move_through_their_states() {
        let store = crate::store::testing::scratch_store().await;
        let created = store.create_onboarding("hash-1").await.unwrap();
        assert_eq!(created.outcome_state, "not_started");
        store.set_person(&created.id, "p1cper").await.unwrap();
        let known = ["i1cidt".to_string(), "i2cidt".to_string()];
        store
            .set_session(&created.id, "s1ises", "https://x/1", &known)
            .await
            .unwrap();
        let read = store
            .onboarding_by_browser("hash-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (read.person_id.as_deref(), read.outcome_state.as_str()),
            (Some("p1cper"), "pending")
        );
        assert_eq!(read.known_identification_ids, known);
        assert_eq!(
            store
                .pending_onboardings(Some("s1ises"), None)
                .await
                .unwrap()
                .len(),
            1
        );
        let ending = Ending {
            category: "retry_with_another_iban",
            error_code: Some("JOINT_ACCOUNT".into()),
            identification_id: Some("i3cidt".into()),
        };
        assert!(store.set_final_outcome(&created.id, &ending).await.unwrap());
        assert!(
            !store.set_final_outcome(&created.id, &ending).await.unwrap(),
            "an outcome is recorded once"
        );
        let read = store
            .onboarding_by_browser("hash-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.error_code.as_deref(), Some("JOINT_ACCOUNT"));
        assert!(
            store
                .onboarding_by_browser("other")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn a_webhook_is_applied_with_its_record_once() {
        let store = crate::store::testing::scratch_store().await;
        let created = store.create_onboarding("hash-1").await.unwrap();
        store.set_person(&created.id, "p1cper").await.unwrap();
        store
            .set_session(&created.id, "s1ises", "https://x/1", &[])
            .await
            .unwrap();
        let success = [WebhookChange::FinalOutcome {
            onboarding_id: created.id.clone(),
            ending: Ending {
                category: "success",
                error_code: None,
                identification_id: Some("i1cidt".into()),
            },
        }];
        assert!(!store.webhook_processed("w1").await.unwrap());
        assert!(
            store
                .apply_webhook("w1", "IDENTIFICATION_SESSION", "s1ises", &success)
                .await
                .unwrap()
        );
        assert!(store.webhook_processed("w1").await.unwrap());
        let erase = [WebhookChange::ErasePerson("p1cper".into())];
        assert!(
            !store
                .apply_webhook("w1", "PERSON_DELETED", "p1cper", &erase)
                .await
                .unwrap(),
            "a replay applies nothing"
        );
        let read = store
            .onboarding_by_browser("hash-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.outcome_category.as_deref(), Some("success"));
        assert!(
            store
                .apply_webhook("w2", "PERSON_DELETED", "p1cper", &erase)
                .await
                .unwrap()
        );
        assert!(
            store
                .onboarding_by_browser("hash-1")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn subscriptions_are_found_by_event_type() {
        let store = crate::store::testing::scratch_store().await;
        store
            .save_subscription("sub1", "IDENTIFICATION", "s3cret")
            .await
            .unwrap();
        assert_eq!(
            store.subscription_secret("sub1").await.unwrap().as_deref(),
            Some("s3cret")
        );
        assert_eq!(
            store.subscriptions_for("IDENTIFICATION").await.unwrap(),
            [("sub1".to_string(), "s3cret".to_string())]
        );
        assert!(
            store
                .subscriptions_for("PERSON_DELETED")
                .await
                .unwrap()
                .is_empty()
        );
        store.delete_subscription("sub1").await.unwrap();
        assert!(
            store
                .subscriptions_for("IDENTIFICATION")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.ping().await);
    }

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

    #[test]
    fn database_urls_name_their_engine() {
        assert_eq!(Engine::of("sqlite://var/x.sqlite"), Ok(Engine::Sqlite));
        assert_eq!(Engine::of("sqlite::memory:"), Ok(Engine::Sqlite));
        assert_eq!(Engine::of("postgres://u@h/db"), Ok(Engine::Postgres));
        assert_eq!(Engine::of("postgresql://u@h/db"), Ok(Engine::Postgres));
        let refused = Engine::of("mysql://u:secret@h/db").unwrap_err();
        assert!(refused.contains("\"mysql\""), "{refused}");
        assert!(
            !refused.contains("secret"),
            "the URL's password is not repeated"
        );
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
            sqlx::raw_sql(include_str!("../migrations/sqlite/0001_onboardings.sql"))
                .execute(&pool)
                .await
                .unwrap();
            sqlx::raw_sql(include_str!(
                "../migrations/sqlite/0002_identifications_before.sql"
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
