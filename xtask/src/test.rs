//! `cargo xtask test`: every test of the project (gates, native tests, the app's browser
//! tests, the release build and the end-to-end suite), ending with one summary line
//! (`N passed, N failed`) that adds up all the test runs.

use crate::project::build_app;
use crate::shell::{Result, TestCounts, command, run, run_tests};
use crate::tools::{CHROMEDRIVER, ensure_test_tools};

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
        Ok(()) => Err(format!("{} tests failed", counts.failed)),
        Err(error) => Err(error),
    }
}

fn run_steps(counts: &mut TestCounts) -> Result {
    run(command("cargo", &["fmt", "--all", "--check"]))?;
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
    // The release build must work too: the splitter, wasm-bindgen or wasm-opt breaking shows up
    // here, not in `run`. Then the customer's journeys through it, in a real browser.
    build_app()?;
    crate::e2e::run_suite(counts)
}
