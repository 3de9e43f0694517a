//! Persistence, and the only place SQL is written: onboardings, browsers and start links,
//! webhook subscription secrets and processed webhook ids, and the partner's outbox, in SQLite
//! (a file by default) or PostgreSQL (several backend instances on one database), chosen by the
//! database URL; created and migrated on start. Every query is written once, in SQL both engines
//! take (`$1` placeholders, `ON CONFLICT`, `RETURNING`), through sqlx's `Any` driver. Each engine
//! has its own migration files with the same versions (`migrations/sqlite`, `migrations/postgres`),
//! compiled into the binary and run by sqlx's migrator.
//!
//! One file per table family: [`schema`] (migrations, readiness, locks and settings),
//! [`onboardings`] (and [`onboarding_row`], how one is stored), [`browsers`] and [`start_links`], [`solaris_webhooks`] (subscriptions and
//! deliveries received), [`outbox`] (the partner's events and their delivery log), [`leases`].

use std::str::FromStr;

use sqlx::any::{AnyArguments, AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor};

use crate::telemetry::metrics;

mod browsers;
pub mod customer_onboardings;
pub mod erasure;
pub mod event_log;
pub mod history;
pub mod idempotency;
mod leases;
mod onboarding_list;
mod onboarding_row;
mod onboardings;
pub mod outbox;
pub mod retention;
mod schema;
mod solaris_webhooks;
mod start_links;
pub mod testing;

pub use customer_onboardings::{Cancellation, Reidentified};
pub use history::{Cause, ChangeCause, HistoryEntry, HistoryState};
pub use leases::{Lease, Leased};
pub use onboarding_list::OnboardingFilter;
pub(crate) use onboarding_row::ONBOARDING_COLUMNS;
pub use onboarding_row::{Ending, IdList, Onboarding, OnboardingState};
pub use outbox::{PartnerEvent, PartnerEventData, PartnerEventType};
pub use schema::SchemaStatus;
pub use solaris_webhooks::WebhookChange;
pub use start_links::{LinkProblem, StartLink, is_token};

/// One statement with its values bound, not yet run.
type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>>;

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
}

/// The database.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// Which engine holds it.
    pub(crate) engine: Engine,
    /// Whether the partner's events are written for delivery (a webhook URL is configured) or
    /// as `not_sent`. They are written either way.
    delivers_partner_events: bool,
    /// The mode of onboardings for which the partner chose none (for the metrics' labels).
    default_mode: bankident_domain::IdentificationMode,
}

/// A Unix second as stored (UTC, RFC 3339); empty for one out of range.
pub fn rfc3339(unix: i64) -> String {
    crate::timestamps::format_unix(unix).unwrap_or_default()
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
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens (creating if needed) the database at `url` without migrating it.
    pub async fn connect(url: &str) -> Result<Store, String> {
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
            delivers_partner_events: false,
            default_mode: bankident_domain::IdentificationMode::default(),
        };
        Ok(store)
    }

    /// The engine that holds the data.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The mode of onboardings for which the partner chose none is `mode`.
    pub fn with_default_mode(self, mode: bankident_domain::IdentificationMode) -> Store {
        Store {
            default_mode: mode,
            ..self
        }
    }

    /// From now on, the partner's events are written for delivery to its webhook.
    pub fn delivering_partner_events(self) -> Store {
        Store {
            delivers_partner_events: true,
            ..self
        }
    }

    /// Runs one change of an onboarding and writes its `event` (and its history) in the same
    /// transaction.
    async fn execute_reporting(
        &self,
        change: AnyQuery<'_>,
        event: PartnerEventType,
        onboarding_id: &str,
        cause: &Cause,
    ) -> Result<(), sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        change.execute(&mut *transaction).await?;
        self.report(&mut transaction, event, onboarding_id, cause)
            .await?;
        transaction.commit().await
    }

    /// Writes the partner's `event` for an onboarding inside a change's transaction (for
    /// delivery when a webhook URL is configured, as `not_sent` when none is), and the change
    /// to the onboarding's history with its `cause`. The one place that decides both.
    async fn report(
        &self,
        transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
        event_type: PartnerEventType,
        onboarding_id: &str,
        cause: &Cause,
    ) -> Result<(), sqlx::Error> {
        let (event, mode) = outbox::record_event(
            transaction,
            event_type,
            onboarding_id,
            self.delivers_partner_events,
        )
        .await?;
        // Counted as written: a transaction that fails after this (the database failing) counts
        // once too often, which the failure's own metric shows.
        let mode = mode.unwrap_or(self.default_mode).as_str();
        match event_type {
            PartnerEventType::SessionOpened => metrics::onboarding_opened(mode),
            PartnerEventType::Ended => metrics::onboarding_ended(
                mode,
                event
                    .data
                    .category
                    .map_or("none", |category| category.code()),
                event.data.error_code.as_deref(),
            ),
            PartnerEventType::Cancelled => metrics::onboarding_cancelled(),
            PartnerEventType::Erased => metrics::onboarding_erased(cause.code()),
        }
        let to = match event_type {
            PartnerEventType::SessionOpened => HistoryState::Pending,
            PartnerEventType::Ended => HistoryState::Final,
            PartnerEventType::Cancelled => HistoryState::Cancelled,
            PartnerEventType::Erased => HistoryState::Erased,
        };
        history::record_transition(
            transaction,
            onboarding_id,
            to,
            (
                event.data.category.map(|category| category.code()),
                event.data.error_code.as_deref(),
            ),
            cause,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
