//! The database failing under a running backend: a full disk (SQLite on a small tmpfs) and a
//! read-only database (PostgreSQL turned read-only). Requests get a clear 503
//! `storage_unavailable`, `/ready` says the database is not writable, and both recover without
//! a restart once the disk has room or the database takes writes again. The test command runs
//! this once per engine.

mod support;

use std::process::Command;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::Value;
use support::{Backend, Emulator, answers, database_url, fresh_dir};

async fn ready(backend: &Backend) -> (StatusCode, String) {
    let (status, body) = backend.ready().await;
    (status, body.to_string())
}

/// Waits (a little) until `/ready` says `ready`.
async fn ready_again(backend: &Backend) {
    for _ in 0..50 {
        if ready(backend).await.0 == StatusCode::OK {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not ready again: {:?}", ready(backend).await);
}

fn assert_storage_unavailable((status, body): (StatusCode, Value)) {
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("storage_unavailable")),
        "{body}"
    );
}

fn run(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .status()
        .is_ok_and(|status| status.success())
}

#[tokio::test]
async fn a_full_disk_or_a_read_only_database_is_a_clear_503_and_recovers_without_a_restart() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("storage");
    let database = database_url(&dir).await;
    if database.starts_with("postgres") {
        read_only_postgres(&emulator, &dir, &database).await;
    } else {
        full_disk_sqlite(&emulator, &dir).await;
    }
}

/// SQLite on a 4 MB tmpfs that a filler file fills up.
async fn full_disk_sqlite(emulator: &Emulator, dir: &std::path::Path) {
    let disk = dir.join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let disk_path = disk.display().to_string();
    assert!(
        run(
            "mount",
            &["-t", "tmpfs", "-o", "size=4m", "tmpfs", &disk_path]
        ),
        "this test mounts a small tmpfs: run it as root (the test command does)"
    );
    let url = format!("sqlite://{}/db.sqlite", disk_path);
    let backend = Backend::start(emulator, dir, &[("BANKIDENT_DATABASE_URL", &url)]).await;
    let first = backend.new_browser().await;
    assert_eq!(backend.open(&first, &answers()).await.0, StatusCode::OK);
    assert_eq!(ready(&backend).await.0, StatusCode::OK);

    // Fill the disk.
    let filler = disk.join("filler");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        let _ = file.sync_all();
    }
    // Writes fail once what SQLite had allocated is used up: `/ready` writes each time.
    for _ in 0..200 {
        if ready(&backend).await.0 == StatusCode::SERVICE_UNAVAILABLE {
            break;
        }
    }
    let second = backend.new_browser().await;
    let given = answers();
    assert_storage_unavailable(backend.open(&second, &given).await);
    let (status, body) = ready(&backend).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("database not writable"), "{body}");
    // What was saved before is still read.
    assert_eq!(backend.outcome(&first).await["state"], "unfinished");

    // Room again: no restart needed.
    std::fs::remove_file(&filler).unwrap();
    ready_again(&backend).await;
    let (status, opened) = backend.open(&second, &given).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    drop(backend);
    run("umount", &["-l", &disk_path]);
}

/// PostgreSQL's database turned read-only (as a failover to a replica would), then back.
async fn read_only_postgres(emulator: &Emulator, dir: &std::path::Path, database: &str) {
    let backend = Backend::start(emulator, dir, &[]).await;
    let first = backend.new_browser().await;
    assert_eq!(backend.open(&first, &answers()).await.0, StatusCode::OK);
    let name = database
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    let server = std::env::var(bankident_backend::store::testing::POSTGRES_SERVER).unwrap();
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&server).await.unwrap();
    let set_read_only = |on: bool| {
        let admin = admin.clone();
        let name = name.to_string();
        async move {
            sqlx::query(&format!(
                "ALTER DATABASE {name} SET default_transaction_read_only = {}",
                if on { "on" } else { "off" }
            ))
            .execute(&admin)
            .await
            .unwrap();
            // Sessions take the setting when they start: end the backend's current ones.
            sqlx::query(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ))
            .execute(&admin)
            .await
            .unwrap();
        }
    };
    set_read_only(true).await;
    let second = backend.new_browser().await;
    let given = answers();
    let mut answer = backend.open(&second, &given).await;
    // The first request may meet a connection that was just ended: also a 503.
    for _ in 0..5 {
        if answer.1["error"] == "storage_unavailable" {
            break;
        }
        answer = backend.open(&second, &given).await;
    }
    assert_storage_unavailable(answer);
    let (status, body) = ready(&backend).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("database not writable"), "{body}");
    assert_eq!(backend.outcome(&first).await["state"], "unfinished");

    set_read_only(false).await;
    ready_again(&backend).await;
    let (status, opened) = backend.open(&second, &given).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
}
