//! The end-to-end suite (`e2e/`, node's test runner with playwright-core and axe-core): headless
//! Chromium driven through every scenario against a fresh release backend with the embedded
//! Solaris emulator (see [`crate::served`]).

use crate::served::ServedBackend;
use crate::shell::{Result, TestCounts, command, root, run_tests};
use crate::tools::CHROMIUM;

/// Runs the suite against a fresh backend; dist/ must hold the release build. The scenario of
/// several instances on one database uses `postgres_url`.
pub fn run_suite(counts: &mut TestCounts, postgres_url: &str) -> Result {
    let evidence = root().join("target/e2e");
    if evidence.exists() {
        let _ = std::fs::remove_dir_all(&evidence);
    }
    let backend = ServedBackend::start("e2e-backend")?;
    let mut suite = command(
        "node",
        &[
            "--test",
            "--test-reporter=spec",
            "--test-concurrency=1",
            "e2e/",
        ],
    );
    suite
        .env("BANKIDENT_E2E_URL", &backend.url)
        .env("CHROME_PATH", CHROMIUM)
        .env("BANKIDENT_E2E_POSTGRES_URL", postgres_url);
    run_tests(suite, counts)
}
