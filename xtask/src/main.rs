//! Project automation, run as `cargo xtask <command>`:
//!
//! - `run`: installs what the build needs, builds the web app in release mode and starts the
//!   backend serving it (with the embedded Solaris emulator) on one printed URL.
//! - `test`: installs what the tests need and runs every test: formatting and lint gates,
//!   native tests of every crate, and the wasm-bindgen-test suite in headless Chromium.
//! - `bench`: builds the release app and prints its transfer size, file by file, Lighthouse's
//!   scores and the backend's load figures.
//! - `release`: the release artefacts in `target/artefacts/`: the static binary, the Debian
//!   package and the OCI image (see `release`).
//! - `layers`: fails on modules that use each other, in any crate.
//! - `trunk-hook`: the app's build, run by Trunk after it has processed index.html (`Trunk.toml`).
//!
//! The command line is read by clap (`cargo xtask --help`). Each install step is skipped when
//! the tool is already present in the pinned version.

mod app_build;
mod app_size;
mod bench;
mod compress;
mod demo_link;
mod deploy_files;
mod dev_loop;
mod e2e;
mod first_run;
mod http;
mod lighthouse;
mod module_cycles;
mod postgres;
mod progress;
mod project;
mod release;
mod same_dist;
mod served;
mod shell;
mod test;
mod tools;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Project automation: installs what is missing, builds, serves, tests and measures.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

/// What to do.
#[derive(Debug, Subcommand)]
enum Task {
    /// Build the web app (release) and serve it with the backend on one URL; arguments after
    /// `--` go to the backend.
    Run {
        /// Arguments for the backend.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        backend_args: Vec<String>,
    },
    /// Run every test (installs the wasm target, wasm-bindgen, wasm-opt, Chromium and
    /// PostgreSQL if missing); ends with one line adding up all test runs.
    Test {
        #[command(subcommand)]
        only: Option<TestOnly>,
    },
    /// Print the release app's transfer size, Lighthouse's scores and the backend's load
    /// figures.
    Bench {
        #[command(subcommand)]
        only: Option<BenchOnly>,
    },
    /// Build the release artefacts into target/artefacts/: the static Linux binary, the
    /// Debian package and the OCI image (installs musl-tools, buildah and cargo-deb if missing).
    Release,
    /// Fail on modules that use each other, per crate (the test command checks it too).
    Layers,
    /// The app's build, run by `trunk serve` and `trunk build` (see Trunk.toml).
    TrunkHook,
}

/// One part of the tests.
#[derive(Debug, Subcommand)]
enum TestOnly {
    /// Only the backend's tests, on a throwaway PostgreSQL.
    Postgres,
    /// Only the journey through `trunk serve`.
    Trunk,
    /// Only the deployment files' checks and the release artefacts' test (as root).
    Release,
}

/// One part of the benchmarks.
#[derive(Debug, Subcommand)]
enum BenchOnly {
    /// Only the sizes (raw, gzip, brotli per file) against their budgets.
    Size,
    /// Only Lighthouse's scores (median of 5 runs).
    Lighthouse,
    /// How long `cargo xtask run` takes on a fresh machine until its URL answers, and a second
    /// time (a clone with an empty cargo home and npm cache; about 10 minutes).
    FirstRun,
    /// Only the steady-load benchmark (a minute per engine and instance count; LOAD_RATE,
    /// LOAD_SECONDS, LOAD_ONLY, LOAD_PIN).
    Load,
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Run { backend_args } => project::run(&backend_args),
        Task::Test { only: None } => test::run_all(),
        Task::Test {
            only: Some(TestOnly::Postgres),
        } => test::run_on_postgres(),
        Task::Test {
            only: Some(TestOnly::Trunk),
        } => test::run_dev_loop(),
        Task::Test {
            only: Some(TestOnly::Release),
        } => test::run_release(),
        Task::Bench { only: None } => bench::run(),
        Task::Bench {
            only: Some(BenchOnly::Size),
        } => bench::run_sizes(),
        Task::Bench {
            only: Some(BenchOnly::Lighthouse),
        } => bench::run_lighthouse(),
        Task::Bench {
            only: Some(BenchOnly::Load),
        } => bench::run_load(),
        Task::Bench {
            only: Some(BenchOnly::FirstRun),
        } => first_run::run_first_run(),
        Task::Release => release::release(),
        Task::Layers => module_cycles::check_all(&shell::root()),
        Task::TrunkHook => app_build::trunk_hook(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod cli_tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent_and_reads_the_readme_s_commands() {
        Cli::command().debug_assert();
        let task = |args: &[&str]| {
            Cli::try_parse_from(std::iter::once("xtask").chain(args.iter().copied()))
                .map(|cli| format!("{:?}", cli.task))
        };
        assert_eq!(task(&["test"]).unwrap(), "Test { only: None }");
        assert_eq!(
            task(&["test", "postgres"]).unwrap(),
            "Test { only: Some(Postgres) }"
        );
        assert_eq!(
            task(&["bench", "load"]).unwrap(),
            "Bench { only: Some(Load) }"
        );
        assert_eq!(task(&["trunk-hook"]).unwrap(), "TrunkHook");
        assert_eq!(
            task(&["run", "--", "--flag"]).unwrap(),
            r#"Run { backend_args: ["--flag"] }"#
        );
        assert!(task(&["deploy"]).is_err());
    }
}
