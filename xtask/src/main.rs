//! Project automation, run as `cargo xtask <command>`:
//!
//! - `run`: installs what the build needs, builds the web app in release mode and starts the
//!   backend serving it (with the embedded Solaris emulator) on one printed URL.
//! - `test`: installs what the tests need and runs every test: formatting and lint gates,
//!   native tests of every crate, and the wasm-bindgen-test suite in headless Chromium.
//! - `bench`: builds the release app and prints its transfer size, file by file.
//!
//! - `trunk-hook`: the app's build, run by Trunk after it has processed index.html (`Trunk.toml`).
//!
//! Each install step is skipped when the tool is already present in the pinned version.

mod app_build;
mod bench;
mod compress;
mod demo_link;
mod dev_loop;
mod e2e;
mod http;
mod lighthouse;
mod module_cycles;
mod postgres;
mod project;
mod served;
mod shell;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run|test|bench|layers>

  run    build the web app (release) and serve it with the backend on one URL
  test   run every test (installs wasm target, wasm-bindgen, wasm-opt, Chromium, PostgreSQL
         if missing); `test postgres` runs only the backend's tests on a throwaway PostgreSQL,
         `test trunk` only the journey through `trunk serve`
  bench  print the release app's transfer size (raw, gzip, brotli per file), Lighthouse's
         scores and the backend's load figures; `bench size` only the sizes, `bench lighthouse` only Lighthouse, `bench load` only the steady-load
         benchmark (a minute per engine and instance count; LOAD_RATE, LOAD_SECONDS)
  layers fail on modules that use each other, per crate (the test command checks it too)
  trunk-hook  the app's build, run by `trunk serve` and `trunk build` (see Trunk.toml)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => project::run(&args[1..]),
        Some("test") if args.get(1).map(String::as_str) == Some("postgres") => {
            test::run_on_postgres()
        }
        Some("test") if args.get(1).map(String::as_str) == Some("trunk") => test::run_dev_loop(),
        Some("test") => test::run_all(),
        Some("bench") if args.get(1).map(String::as_str) == Some("load") => bench::run_load(),
        Some("bench") if args.get(1).map(String::as_str) == Some("size") => bench::run_sizes(),
        Some("bench") if args.get(1).map(String::as_str) == Some("lighthouse") => {
            bench::run_lighthouse()
        }
        Some("bench") => bench::run(),
        Some("trunk-hook") => app_build::trunk_hook(),
        Some("layers") => module_cycles::check_all(&shell::root()),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
