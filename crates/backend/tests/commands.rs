//! The binary's commands as an operator runs them: `--version`, `check-config` (secrets masked,
//! a misspelled variable reported, a wrong value named), `migrate --check` and `migrate` as a
//! step before the start, a start that refuses a schema behind or ahead of it, and a SQLite
//! backup that a backend then serves from (the restore). SQLite only: PostgreSQL's schema
//! follows the same migrator, and its backups are its own tools'.

mod support;

use std::process::{Command, Output};

use support::fresh_dir;

const BINARY: &str = env!("CARGO_BIN_EXE_bankident-backend");

/// A Solaris nobody calls (the production build has no emulator to fall back on), in the demo
/// mode (no documents needed).
const SOLARIS: [(&str, &str); 5] = [
    ("SOLARIS_API_URL", "https://api.solaris-sandbox.de"),
    (
        "SOLARIS_TOKEN_URL",
        "https://auth.solaris-sandbox.de/oauth2/token",
    ),
    ("SOLARIS_CLIENT_ID", "id"),
    ("SOLARIS_CLIENT_SECRET", "secret"),
    ("BANKIDENT_DEMO_MODE", "true"),
];

/// Runs the binary with `args` and a clean environment of [`SOLARIS`] and `vars`.
fn run(args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(BINARY)
        .args(args)
        .env_clear()
        .envs(SOLARIS.iter().copied())
        .envs(vars.iter().copied())
        .output()
        .expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_version_and_the_usage_are_printed() {
    let version = run(&["--version"], &[]);
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("bankident-backend {}", env!("CARGO_PKG_VERSION"))
    );
    let wrong = run(&["migrat"], &[]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong).contains("usage: bankident-backend"));
}

#[test]
fn check_config_shows_what_it_found_masks_secrets_and_names_what_is_wrong() {
    let dir = fresh_dir("check-config");
    let secret_file = dir.join("client-secret");
    std::fs::write(&secret_file, "client-s3cret\n").unwrap();
    let secret_path = secret_file.display().to_string();
    let good = [
        ("SOLARIS_CLIENT_SECRET", ""),
        ("SOLARIS_CLIENT_SECRET_FILE", secret_path.as_str()),
        (
            "BANKIDENT_DATABASE_URL",
            "postgres://app:hunter2@db.internal/bankident",
        ),
        ("BANKIDENT_LISTN", "0.0.0.0:3000"),
    ];
    let output = run(&["check-config"], &good);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("the configuration is valid"), "{shown}");
    assert!(
        shown.contains("SOLARIS_CLIENT_SECRET=••• (13 characters)"),
        "{shown}"
    );
    assert!(
        shown.contains("postgres://app:•••@db.internal/bankident"),
        "{shown}"
    );
    assert!(
        !shown.contains("client-s3cret") && !shown.contains("hunter2"),
        "{shown}"
    );
    assert!(
        shown.contains("warning: BANKIDENT_LISTN is set, but this backend does not read it"),
        "{shown}"
    );

    let mut wrong = good.to_vec();
    wrong.push(("BANKIDENT_RATE_LIMIT_OPEN_PER_CLIENT", "many"));
    let output = run(&["check-config"], &wrong);
    assert!(!output.status.success());
    assert!(
        text(&output)
            .contains("configuration error: BANKIDENT_RATE_LIMIT_OPEN_PER_CLIENT=\"many\""),
        "{}",
        text(&output)
    );
}

#[tokio::test]
async fn migrations_are_a_step_and_a_start_refuses_a_schema_not_its_own() {
    let dir = fresh_dir("migrate");
    let database = format!("sqlite://{}", dir.join("db.sqlite").display());
    let dist = dir.join("dist").display().to_string();
    let vars = [
        ("BANKIDENT_DATABASE_URL", database.as_str()),
        ("BANKIDENT_DIST_DIR", dist.as_str()),
    ];
    let check = run(&["migrate", "--check"], &vars);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(
        text(&check).contains("pending: 1 onboardings"),
        "{}",
        text(&check)
    );
    assert!(text(&check).contains("run `bankident-backend migrate` first"));

    let mut no_migration = vars.to_vec();
    no_migration.push(("BANKIDENT_MIGRATE_ON_START", "false"));
    let refused = run(&[], &no_migration);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("run `bankident-backend migrate` first"),
        "{}",
        text(&refused)
    );

    let migrate = run(&["migrate"], &vars);
    assert!(migrate.status.success(), "{}", text(&migrate));
    assert!(text(&migrate).contains("applied: 16"), "{}", text(&migrate));
    let check = run(&["migrate", "--check"], &vars);
    assert!(check.status.success(), "{}", text(&check));

    // A newer release migrated the database: this one says so and changes nothing.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', TRUE, x'00', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    for args in [&["migrate"][..], &["migrate", "--check"][..], &[][..]] {
        let refused = run(args, &vars);
        assert!(!refused.status.success(), "{args:?}");
        assert!(
            text(&refused)
                .contains("the database carries migration 9999, newer than this release knows"),
            "{args:?}: {}",
            text(&refused)
        );
    }
}

#[tokio::test]
async fn a_sqlite_backup_is_a_database_a_backend_serves_from() {
    let dir = fresh_dir("backup");
    let database = format!("sqlite://{}", dir.join("db.sqlite").display());
    let store = bankident_backend::store::Store::open(&database)
        .await
        .unwrap();
    let (kept, _) = store
        .customer_onboarding("customer-backed-up", Some("de"), None)
        .await
        .unwrap();
    let backup = dir.join("backup.sqlite");
    let vars = [("BANKIDENT_DATABASE_URL", database.as_str())];
    let output = run(&["backup", &backup.display().to_string()], &vars);
    assert!(output.status.success(), "{}", text(&output));
    let again = run(&["backup", &backup.display().to_string()], &vars);
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );

    // The restore: a backend on the backup file has the onboarding.
    let restored = bankident_backend::store::Store::open(&format!("sqlite://{}", backup.display()))
        .await
        .unwrap();
    let found = restored
        .onboarding_by_reference("customer-backed-up")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, kept.id);

    let postgres = run(
        &["backup", "/tmp/x.sql"],
        &[(
            "BANKIDENT_DATABASE_URL",
            "postgres://nobody@127.0.0.1:1/none",
        )],
    );
    assert!(!postgres.status.success());
}

#[tokio::test]
async fn the_health_command_says_whether_the_management_port_answers_ready() {
    let emulator = support::Emulator::start().await;
    let dir = fresh_dir("health-command");
    let database = support::database_url(&dir).await;
    let backend =
        support::process::BackendProcess::start(&dir, &database, &emulator.url, &[]).await;
    let port = backend
        .management_url
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let listen = format!("0.0.0.0:{port}");
    let ready = run(
        &["health"],
        &[
            ("BANKIDENT_MANAGEMENT_LISTEN", &listen),
            ("BANKIDENT_MANAGEMENT_PUBLIC", "true"),
        ],
    );
    assert!(ready.status.success(), "{}", text(&ready));
    assert_eq!(String::from_utf8_lossy(&ready.stdout).trim(), "ready");
    drop(backend);
    let gone = run(
        &["health"],
        &[
            ("BANKIDENT_MANAGEMENT_LISTEN", &listen),
            ("BANKIDENT_MANAGEMENT_PUBLIC", "true"),
        ],
    );
    assert_eq!(gone.status.code(), Some(1));
    assert!(
        text(&gone).contains(&format!(
            "no answer from the management port at http://127.0.0.1:{port}/health/ready"
        )),
        "{}",
        text(&gone)
    );
}
