//! Scratch databases for tests and benchmarks. The test command runs the backend's suite twice:
//! on SQLite, and with [`POSTGRES_SERVER`] naming a PostgreSQL server it started, on which every
//! test gets a database of its own.

use sqlx::{Connection, Executor};

use super::Store;
use crate::ids::{random_hex, sha256_hex};

/// The variable naming a PostgreSQL server (a URL of its admin database) for scratch databases.
pub const POSTGRES_SERVER: &str = "BANKIDENT_TEST_POSTGRES_URL";

/// The database of the test or benchmark run called `key`: with [`POSTGRES_SERVER`] set, a
/// PostgreSQL database of its own (created on first use; the same key gives the same database,
/// so two backends can share one), otherwise `sqlite_url`.
pub async fn database_url(key: &str, sqlite_url: &str) -> String {
    match std::env::var(POSTGRES_SERVER) {
        Ok(server) if !server.is_empty() => postgres_database(&server, key).await,
        _ => sqlite_url.to_string(),
    }
}

/// A new, empty, migrated store: in memory, or on the PostgreSQL server of [`POSTGRES_SERVER`].
pub async fn scratch_store() -> Store {
    let url = database_url(&random_hex(8), "sqlite::memory:").await;
    Store::open(&url).await.expect("a scratch database opens")
}

/// A PostgreSQL database called after `key` on `server` (an admin URL), created on first use.
pub async fn postgres_database(server: &str, key: &str) -> String {
    let name = format!("bankident_{}", &sha256_hex(key)[..20]);
    let (base, query) = server.split_once('?').unwrap_or((server, ""));
    let root = base.rsplit_once('/').map_or(base, |(root, _)| root);
    let url = if query.is_empty() {
        format!("{root}/{name}")
    } else {
        format!("{root}/{name}?{query}")
    };
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(server)
        .await
        .unwrap_or_else(|error| panic!("{POSTGRES_SERVER}: cannot connect: {error}"));
    for _ in 0..50 {
        match admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
        {
            Ok(_) => break,
            // 42P04: made already (a second backend of the same test).
            Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some("42P04") => break,
            // Another test creating its database at the same moment holds the template.
            Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some("55006") => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(error) => panic!("cannot create the test database {name}: {error}"),
        }
    }
    let _ = admin.close().await;
    url
}
