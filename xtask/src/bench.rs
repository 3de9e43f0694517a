//! `cargo xtask bench`: the web app's transfer size against its budgets (see
//! [`crate::app_size`]), then Lighthouse's mobile scores and metrics (see `lighthouse.rs`),
//! then the backend's load figures (see [`run_load`]). `cargo xtask bench first-run` is apart
//! (see `first_run.rs`).

use crate::app_size::AppSizes;
use crate::postgres::TestPostgres;
use crate::project::build_app;
use crate::shell::{Result, command, root, run as run_command};

/// Builds the release app and prints its transfer size, Lighthouse's figures and the load
/// figures.
pub fn run() -> Result {
    run_sizes()?;
    {
        let backend = crate::served::ServedBackend::start("bench-backend")?;
        crate::lighthouse::run(&backend.url)?;
    }
    println!();
    run_load()
}

/// `cargo xtask bench size`: builds the release app and prints its transfer size against the
/// budgets: the first load, the whole app, and pages opened directly (see [`crate::app_size`]);
/// then the ceilings the test command checks.
pub fn run_sizes() -> Result {
    build_app()?;
    let dist = root().join("dist");
    AppSizes::measure(&dist)?.print();
    println!();
    crate::app_size::check_budgets(&dist)
}

/// `cargo xtask bench lighthouse`: builds the release app and runs only Lighthouse.
pub fn run_lighthouse() -> Result {
    build_app()?;
    let backend = crate::served::ServedBackend::start("bench-backend")?;
    crate::lighthouse::run(&backend.url)
}

/// `cargo xtask bench load`: the steady-load benchmark (`crates/backend/benches/steady_load.rs`)
/// on SQLite and on a throwaway PostgreSQL with its default (durable) settings, one and two
/// backend instances each.
pub fn run_load() -> Result {
    let postgres = TestPostgres::start(true)?;
    let mut load = command(
        "cargo",
        &[
            "bench",
            "--package",
            "bankident-backend",
            "--bench",
            "steady_load",
        ],
    );
    load.env("BANKIDENT_BENCH_POSTGRES_URL", &postgres.url);
    run_command(load)
}
