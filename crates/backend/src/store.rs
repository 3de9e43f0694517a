//! Persistence: onboardings, webhook subscription secrets and processed webhook ids, in SQLite
//! (a file by default; created and migrated on start). Migrations live in `migrations/` and are
//! compiled into the binary.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::ids::random_hex;

/// The schema, in order. A migration never changes once released; new ones are appended.
const MIGRATIONS: [(i64, &str); 2] = [
    (1, include_str!("../migrations/0001_onboardings.sql")),
    (
        2,
        include_str!("../migrations/0002_identifications_before.sql"),
    ),
];

/// An onboarding: one browser's identification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onboarding {
    /// Internal id (never in a URL, never sent to the browser).
    pub id: String,
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
    /// How many identifications the person had when the current session opened.
    pub identifications_before: usize,
}

/// The database.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("UTC timestamps always format")
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url` (`sqlite://path` or
    /// `sqlite::memory:`).
    pub async fn open(url: &str) -> Result<Store, String> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|error| {
                format!("BANKIDENT_DATABASE_URL={url:?} is not a SQLite URL: {error}")
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL keeps the database consistent across crashes and only risks the
            // last commits on a power loss; Solaris stays the source of truth for outcomes.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true);
        if let Some(parent) = options
            .get_filename()
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)
                .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
        }
        // An in-memory database exists per connection: keep exactly one.
        let connections = if url.contains(":memory:") { 1 } else { 8 };
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await
            .map_err(|error| format!("cannot open the database {url:?}: {error}"))?;
        let store = Store { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), String> {
        let fail = |error: sqlx::Error| format!("database migration failed: {error}");
        sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)")
            .execute(&self.pool)
            .await
            .map_err(fail)?;
        for (version, sql) in MIGRATIONS {
            let applied: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
                    .bind(version)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(fail)?;
            if applied.is_some() {
                continue;
            }
            let mut transaction = self.pool.begin().await.map_err(fail)?;
            sqlx::raw_sql(sql)
                .execute(&mut *transaction)
                .await
                .map_err(fail)?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
                .bind(version)
                .bind(now())
                .execute(&mut *transaction)
                .await
                .map_err(fail)?;
            transaction.commit().await.map_err(fail)?;
        }
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    fn onboarding_from(row: sqlx::sqlite::SqliteRow) -> Onboarding {
        Onboarding {
            id: row.get("id"),
            person_id: row.get("person_id"),
            mobile_number_created: row.get::<i64, _>("mobile_number_created") != 0,
            session_id: row.get("session_id"),
            session_url: row.get("session_url"),
            outcome_state: row.get("outcome_state"),
            outcome_category: row.get("outcome_category"),
            error_code: row.get("error_code"),
            identifications_before: usize::try_from(row.get::<i64, _>("identifications_before"))
                .unwrap_or(0),
        }
    }

    /// The onboarding of a browser, by the hash of its cookie.
    pub async fn onboarding_by_browser(
        &self,
        browser_key_hash: &str,
    ) -> Result<Option<Onboarding>, sqlx::Error> {
        let row = sqlx::query("SELECT * FROM onboardings WHERE browser_key_hash = ?")
            .bind(browser_key_hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Store::onboarding_from))
    }

    /// Starts an onboarding for a browser.
    pub async fn create_onboarding(
        &self,
        browser_key_hash: &str,
    ) -> Result<Onboarding, sqlx::Error> {
        let id = random_hex(16);
        let at = now();
        sqlx::query("INSERT INTO onboardings (id, browser_key_hash, created_at, updated_at) VALUES (?, ?, ?, ?)")
            .bind(&id)
            .bind(browser_key_hash)
            .bind(&at)
            .bind(&at)
            .execute(&self.pool)
            .await?;
        Ok(Onboarding {
            id,
            person_id: None,
            mobile_number_created: false,
            session_id: None,
            session_url: None,
            outcome_state: "not_started".into(),
            outcome_category: None,
            error_code: None,
            identifications_before: 0,
        })
    }

    /// Records the created Solaris person.
    pub async fn set_person(&self, id: &str, person_id: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET person_id = ?, updated_at = ? WHERE id = ?",
            &[person_id],
            id,
        )
        .await
    }

    /// Records that the mobile number exists at Solaris.
    pub async fn set_mobile_number_created(&self, id: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET mobile_number_created = 1, updated_at = ? WHERE id = ?",
            &[],
            id,
        )
        .await
    }

    /// Records a new session, opened when the person had `identifications_before`
    /// identifications; its outcome is pending.
    pub async fn set_session(
        &self,
        id: &str,
        session_id: &str,
        url: &str,
        identifications_before: usize,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE onboardings SET session_id = ?, session_url = ?, identifications_before = ?, outcome_state = 'pending', \
             outcome_category = NULL, error_code = NULL, updated_at = ? WHERE id = ?",
        )
        .bind(session_id)
        .bind(url)
        .bind(i64::try_from(identifications_before).unwrap_or(i64::MAX))
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Records a final outcome.
    pub async fn set_final_outcome(
        &self,
        id: &str,
        category: &str,
        error_code: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE onboardings SET outcome_state = 'final', outcome_category = ?, error_code = ?, updated_at = ? WHERE id = ?")
            .bind(category)
            .bind(error_code)
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
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
             identifications_before = 0, outcome_state = 'not_started', outcome_category = NULL, error_code = NULL, updated_at = ? \
             WHERE id = ?",
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
        let rows = sqlx::query("SELECT * FROM onboardings WHERE outcome_state = 'pending' AND (session_id = ? OR person_id = ?)")
            .bind(session_id)
            .bind(person_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Store::onboarding_from).collect())
    }

    /// Forgets everything about a person Solaris deleted.
    pub async fn erase_person(&self, person_id: &str) -> Result<u64, sqlx::Error> {
        let result = sqlx::query("DELETE FROM onboardings WHERE person_id = ?")
            .bind(person_id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }

    /// Stores a webhook subscription's secret.
    pub async fn save_subscription(
        &self,
        id: &str,
        event_type: &str,
        secret: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT OR REPLACE INTO webhook_subscriptions (id, event_type, secret, created_at) VALUES (?, ?, ?, ?)")
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
        sqlx::query_scalar("SELECT secret FROM webhook_subscriptions WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Records a processed webhook; `false` if it was processed before (a replay).
    pub async fn record_webhook(
        &self,
        webhook_id: &str,
        event_type: &str,
        entity_id: &str,
    ) -> Result<bool, sqlx::Error> {
        let result = sqlx::query("INSERT OR IGNORE INTO webhook_events (webhook_id, event_type, entity_id, received_at) VALUES (?, ?, ?, ?)")
            .bind(webhook_id)
            .bind(event_type)
            .bind(entity_id)
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn onboardings_move_through_their_states() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let created = store.create_onboarding("hash-1").await.unwrap();
        assert_eq!(created.outcome_state, "not_started");
        store.set_person(&created.id, "p1cper").await.unwrap();
        store
            .set_session(&created.id, "s1ises", "https://x/1", 2)
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
        assert_eq!(read.identifications_before, 2);
        assert_eq!(
            store
                .pending_onboardings(Some("s1ises"), None)
                .await
                .unwrap()
                .len(),
            1
        );
        store
            .set_final_outcome(
                &created.id,
                "retry_with_another_iban",
                Some("JOINT_ACCOUNT"),
            )
            .await
            .unwrap();
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
        assert_eq!(store.erase_person("p1cper").await.unwrap(), 1);
        assert!(
            store
                .onboarding_by_browser("hash-1")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn webhooks_are_recorded_once_and_migrations_run_once() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        assert!(
            store
                .record_webhook("w1", "IDENTIFICATION", "i1")
                .await
                .unwrap()
        );
        assert!(
            !store
                .record_webhook("w1", "IDENTIFICATION", "i1")
                .await
                .unwrap(),
            "a replay"
        );
        store.migrate().await.unwrap();
        store
            .save_subscription("sub1", "IDENTIFICATION", "s3cret")
            .await
            .unwrap();
        assert_eq!(
            store.subscription_secret("sub1").await.unwrap().as_deref(),
            Some("s3cret")
        );
        assert!(store.ping().await);
    }
}
