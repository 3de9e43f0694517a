//! `cargo xtask test`: every test of the project (gates, native tests, the backend's tests again
//! on PostgreSQL, the app's browser tests, the release build and the end-to-end suite, the
//! release artefacts, the deployment manifests), ending with one summary line
//! (`N passed, N failed`) that adds up all the test runs.

use crate::postgres::TestPostgres;
use crate::project::build_app;
use crate::shell::{Result, TestCounts, command, root, run, run_tests};
use crate::tools::{CHROMEDRIVER, ensure_test_tools};
use anyhow::anyhow;

/// The variable that points the backend's tests at a PostgreSQL server
/// (`bankident_backend::store::testing::POSTGRES_SERVER`).
const POSTGRES_SERVER: &str = "BANKIDENT_TEST_POSTGRES_URL";

/// Installs what is missing, then runs the gates and the suites in order; stops at the first
/// failing step but always prints the summary.
pub fn run_all() -> Result {
    ensure_test_tools()?;
    let mut counts = TestCounts::default();
    let outcome = run_steps(&mut counts);
    println!();
    println!("{} passed, {} failed", counts.passed, counts.failed);
    match outcome {
        Ok(()) if counts.failed == 0 => Ok(()),
        Ok(()) => Err(anyhow!("{} tests failed", counts.failed)),
        Err(error) => Err(error),
    }
}

/// cargo-deny with `deny.toml`: licenses, duplicate versions and wildcards, sources; the
/// advisories too when `BANKIDENT_AUDIT_ADVISORIES=1` (they need the RustSec database on GitHub).
fn audit_dependencies() -> Result {
    let mut checks = vec!["deny", "check", "bans", "licenses", "sources"];
    if std::env::var("BANKIDENT_AUDIT_ADVISORIES").as_deref() == Ok("1") {
        checks.push("advisories");
    } else {
        println!(
            "cargo deny: advisories left out (set BANKIDENT_AUDIT_ADVISORIES=1 where GitHub is reachable)"
        );
    }
    run(command("cargo", &checks))
}

/// The checked-in OpenAPI documents through Redocly's linter, with the rules of `redocly.yaml`
/// (strict: a warning fails too). The documents match the code: a backend test checks that.
fn lint_openapi_documents() -> Result {
    let redocly = root()
        .join(crate::tools::OPENAPI_TOOLS)
        .join("node_modules/.bin/redocly");
    let mut lint = command(&redocly.display().to_string(), &["lint"]);
    lint.env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    run(lint)
}

/// The Prometheus alert rules (`deploy/prometheus/`): valid, and each firing on the failure it
/// is for (`promtool test rules`).
fn check_alert_rules() -> Result {
    let promtool = crate::tools::promtool().display().to_string();
    let mut check = command(&promtool, &["check", "rules", "alerts.yml"]);
    check.current_dir(root().join("deploy/prometheus"));
    run(check)?;
    let mut test = command(&promtool, &["test", "rules", "alerts.test.yml"]);
    test.current_dir(root().join("deploy/prometheus"));
    run(test)
}

/// `cargo xtask test postgres`: only the backend's tests, on a throwaway PostgreSQL.
pub fn run_on_postgres() -> Result {
    let mut counts = TestCounts::default();
    let outcome =
        TestPostgres::start(false).and_then(|postgres| backend_tests_on(&postgres, &mut counts));
    println!();
    println!("{} passed, {} failed", counts.passed, counts.failed);
    outcome
}

/// `cargo xtask test trunk`: only the journey through `trunk serve` (needs dist/ from a
/// release build for the backend to start).
pub fn run_dev_loop() -> Result {
    ensure_test_tools()?;
    let mut counts = TestCounts::default();
    let outcome = crate::dev_loop::run(&mut counts);
    println!();
    println!("{} passed, {} failed", counts.passed, counts.failed);
    outcome
}

/// `cargo xtask test release`: only the deployment files' checks and the release artefacts'
/// test, from a fresh release build of the app.
pub fn run_release() -> Result {
    let mut counts = TestCounts::default();
    let outcome = crate::deploy_files::check()
        .and_then(|()| build_app())
        .and_then(|()| crate::release::check(&mut counts));
    println!();
    println!("{} passed, {} failed", counts.passed, counts.failed);
    outcome
}

/// The backend's suite again, on PostgreSQL: every test gets a database of its own there. It
/// runs on the production build (`--no-default-features`: no embedded emulator), so that build
/// is compiled and tested too; the tests still use the emulator as their Solaris.
fn backend_tests_on(postgres: &TestPostgres, counts: &mut TestCounts) -> Result {
    let mut on_postgres = command(
        "cargo",
        &[
            "test",
            "--package",
            "bankident-backend",
            "--no-default-features",
        ],
    );
    on_postgres.env(POSTGRES_SERVER, &postgres.url);
    run_tests(on_postgres, counts)
}

/// The backend's production build (`--no-default-features`) links no emulator code: the
/// emulator is none of its normal or build dependencies.
fn production_build_has_no_emulator() -> Result {
    let tree = command(
        "cargo",
        &[
            "tree",
            "--package",
            "bankident-backend",
            "--no-default-features",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
        ],
    )
    .output()
    .map_err(|error| anyhow!("could not start `cargo tree`: {error}"))?;
    if !tree.status.success() {
        return Err(anyhow!(
            "`cargo tree` failed: {}",
            String::from_utf8_lossy(&tree.stderr)
        ));
    }
    let listed = String::from_utf8_lossy(&tree.stdout);
    if listed
        .lines()
        .any(|line| line.starts_with("solaris-sandbox "))
    {
        anyhow::bail!(
            "the backend built with --no-default-features depends on solaris-sandbox: the production build must not contain the emulator"
        );
    }
    println!("==> the backend's production build (--no-default-features) has no emulator code");
    Ok(())
}

fn run_steps(counts: &mut TestCounts) -> Result {
    run(command("cargo", &["fmt", "--all", "--check"]))?;
    audit_dependencies()?;
    run(command(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run(command(
        "cargo",
        &[
            "clippy",
            "--package",
            "bankident-backend",
            "--no-default-features",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    production_build_has_no_emulator()?;
    crate::module_cycles::check_all(&root())?;
    lint_openapi_documents()?;
    check_alert_rules()?;
    crate::deploy_files::check()?;
    run(command(
        "cargo",
        &[
            "clippy",
            "--package",
            "bankident-app",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run_tests(command("cargo", &["test", "--workspace"]), counts)?;
    let postgres = TestPostgres::start(false)?;
    backend_tests_on(&postgres, counts)?;
    // The app's component tests, in headless Chromium (options in webdriver.json).
    let mut browser_tests = command(
        "cargo",
        &[
            "test",
            "--package",
            "bankident-app",
            "--target",
            "wasm32-unknown-unknown",
        ],
    );
    browser_tests.env("CHROMEDRIVER", CHROMEDRIVER);
    run_tests(browser_tests, counts)?;
    // The release build as `run` makes it (without Trunk), and through `trunk build --release`,
    // the release path: the same files. The splitter, wasm-bindgen or wasm-opt breaking shows
    // up here. Then the customer's journeys through it, in a real browser.
    let without_trunk = root().join("target/dist-without-trunk");
    crate::app_build::build_release_without_trunk(&without_trunk)?;
    build_app()?;
    crate::same_dist::check_same_files(&without_trunk, &root().join("dist"))?;
    // Its size against the budgets, so that the app cannot grow back unnoticed.
    crate::app_size::check_budgets(&root().join("dist"))?;
    // The two-instance journey runs on PostgreSQL.
    let shared = postgres.create_database("e2e_instances")?;
    crate::e2e::run_suite(counts, &shared)?;
    // The release artefacts from that same dist/: the package installed and the image run,
    // each through one onboarding.
    crate::release::check(counts)?;
    // The development loop: `trunk serve` with its debug build and proxies.
    crate::dev_loop::run(counts)
}
