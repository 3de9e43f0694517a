//! Building the web app and running the product.

use anyhow::{Context, anyhow};
use std::path::PathBuf;
use std::process::Command;

use crate::app_build::build_release_without_trunk;
use crate::progress::{Progress, Step};
use crate::shell::{Result, command_running_xtask, root, run as run_command};
use crate::tools::{ensure_build_tools, ensure_run_tools};

/// Builds the web app in release mode into `dist/`: `trunk build --release`, which runs the
/// app's build as its hook (see [`crate::app_build`]).
pub fn build_app() -> Result {
    ensure_build_tools()?;
    run_command(command_running_xtask("trunk", &["build", "--release"]))
}

/// The steps of `cargo xtask run`, with their times on a fresh 2-core machine
/// (docs/benchmarks.md, "First run").
const RUN_STEPS: &[Step] = &[
    Step {
        title: "Installing what the build needs: the wasm32 target, wasm-opt and terser (npm)",
        fresh_seconds: 6,
    },
    Step {
        title: "Building the web app (wasm, release, split into page modules, wasm-opt) and the \
                backend with the embedded Solaris emulator (release), side by side",
        fresh_seconds: 290,
    },
];

/// `cargo xtask run [backend args]`: builds the app (without Trunk: the same pipeline as
/// `trunk build --release`) and the backend, then starts the backend serving it. With the
/// embedded emulator it also prints a start link made through the partner API.
pub fn run(backend_args: &[String]) -> Result {
    let mut progress = Progress::new(RUN_STEPS);
    progress.step(ensure_run_tools)?;
    let binary = progress.step(build_app_and_backend)?;
    progress.summary();
    let mut backend = Command::new(binary);
    backend.args(backend_args).current_dir(root());
    let embedded = std::env::var_os("SOLARIS_API_URL").is_none();
    let configured_key = std::env::var("BANKIDENT_PARTNER_API_KEYS")
        .ok()
        .and_then(|keys| {
            keys.split(',')
                .map(str::trim)
                .find(|key| !key.is_empty())
                .map(str::to_string)
        });
    let api_key = match configured_key {
        Some(key) => Some(key),
        None if embedded => {
            let key = crate::demo_link::new_api_key()?;
            backend.env("BANKIDENT_PARTNER_API_KEYS", &key);
            Some(key)
        }
        None => None,
    };
    let mut child = backend.spawn().context("cannot start the backend")?;
    if let (true, Some(key)) = (embedded, api_key) {
        let listen = std::env::var("BANKIDENT_LISTEN").unwrap_or_else(|_| "127.0.0.1:3000".into());
        let address = listen.replace("0.0.0.0", "127.0.0.1");
        match crate::demo_link::demo_start_link(&address, &key) {
            Ok(link) => println!(
                "\nThe partner's flow: a start link made through the partner API for a demo customer\n  {link}\n\
                 (single use, one hour; partner API key of this run: {key})\n"
            ),
            Err(error) => eprintln!("no demo start link: {error}"),
        }
    }
    let status = child
        .wait()
        .context("the backend could not be waited for")?;
    if status.success() {
        Ok(())
    } else {
        Err(anyhow!("the backend stopped: {status}"))
    }
}

/// The release app and the release backend, built at once: cargo locks each profile's folder
/// on its own (`wasm-release` and `release`), and each build has long stretches on one core
/// (the app's link-time optimisation, the backend's last crates) that the other fills.
/// Returns the backend's binary.
fn build_app_and_backend() -> Result<PathBuf> {
    std::thread::scope(|scope| {
        let app = scope.spawn(|| build_release_without_trunk(&root().join("dist")));
        let backend = crate::served::build_release_backend();
        app.join()
            .map_err(|_| anyhow!("the app's build panicked"))??;
        backend
    })
}
