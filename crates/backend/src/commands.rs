//! The backend binary's commands besides serving, for operators and their deployment steps:
//! `check-config` (what the environment configures, secrets masked), `migrate [--check]` (the
//! schema as a step of an upgrade) and `backup <file>` (a consistent copy of a SQLite
//! database) and `health` (the container image's health check, which has no shell or curl).
//! Each prints what it found and exits non-zero when something needs doing.

use std::process::ExitCode;

use crate::config::Config;
use crate::config::environment::Environment;
use crate::store::Store;

/// The usage text.
pub const USAGE: &str = "usage: bankident-backend [serve | check-config | migrate [--check] | backup <file> | health | --version]

  serve           serve the app, the APIs and the management port (the default)
  check-config    read the configuration from the environment and show it, secrets masked
  migrate         apply the database migrations this release has and the database lacks
  migrate --check list the migrations the database lacks, applying none (exit 1 if any)
  backup <file>   write a consistent copy of the SQLite database to a new file
  health          ask this host's management port whether the backend is ready (exit 1 if not)
  --version       print this release's version";

/// Reports the `BANKIDENT_*` variables nothing read, on the error stream.
pub fn report_unread(environment: &Environment) {
    for name in environment.unread() {
        eprintln!(
            "warning: {name} is set, but this backend does not read it (misspelled, or without effect in this configuration)"
        );
    }
}

/// `check-config`: whether the environment makes a valid configuration, and what it sets.
pub fn check_config() -> ExitCode {
    let environment = match Environment::from_process() {
        Ok(environment) => environment,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let config = Config::from_environment(&environment);
    println!("settings found (secrets masked):");
    for (name, value) in environment.shown() {
        println!("  {name}={value}");
    }
    report_unread(&environment);
    match config {
        Ok(config) => {
            println!(
                "the configuration is valid: public URL {}, management port {}, Solaris {}, demo mode {}",
                config.public_url,
                config.management_listen,
                if config.solaris.embedded {
                    "embedded emulator".to_string()
                } else {
                    config.solaris.api_url.clone()
                },
                if config.demo_mode { "on" } else { "off" },
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("configuration error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The configured database, connected without migrating.
async fn database() -> Result<Store, String> {
    let config = Config::from_env()?;
    Store::connect(&config.database_url).await
}

/// `migrate`: applies the pending migrations; with `check_only`, lists them and exits 1 when
/// any are pending (or the database is newer than this release).
pub async fn migrate(check_only: bool) -> ExitCode {
    let store = match database().await {
        Ok(store) => store,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let status = match store.schema_status().await {
        Ok(status) => status,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let latest = store.schema_versions().await.1;
    if check_only {
        for (version, description) in &status.pending {
            println!("pending: {version} {description}");
        }
        return match status.problem(latest) {
            None => {
                println!("the database is at this release's schema ({latest})");
                ExitCode::SUCCESS
            }
            Some(problem) => {
                eprintln!("{problem}");
                ExitCode::FAILURE
            }
        };
    }
    match store.migrate().await {
        Ok(applied) => {
            for version in &applied {
                println!("applied: {version}");
            }
            println!("the database is at this release's schema ({latest})");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// `backup <file>`: a consistent copy of the SQLite database.
pub async fn backup(path: &str) -> ExitCode {
    let result = match database().await {
        Ok(store) => store.backup_to(std::path::Path::new(path)).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => {
            println!("backed up to {path}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// Time limit of the health check's request.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// `health`: the management port's readiness, asked on this host (the configured address, or
/// loopback where it listens on every address). Exit 0 when ready.
pub async fn health() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut address = config.management_listen;
    if address.ip().is_unspecified() {
        address.set_ip(match address {
            std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let url = format!("http://{address}/health/ready");
    let client = reqwest::Client::builder()
        .timeout(HEALTH_TIMEOUT)
        .build()
        .expect("a plain HTTP client builds");
    match client.get(&url).send().await {
        Ok(response) if response.status().is_success() => {
            println!("ready");
            ExitCode::SUCCESS
        }
        Ok(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            eprintln!("not ready ({status}): {body}");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("no answer from the management port at {url}: {error}");
            ExitCode::FAILURE
        }
    }
}
