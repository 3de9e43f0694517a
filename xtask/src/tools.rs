//! Installs the tools the run, the build and the tests need, each only when missing or in the
//! wrong version: the wasm32 target, npm's wasm-opt (binaryen, pinned in package.json) and
//! terser, Trunk (pinned here), wasm-bindgen-cli's test runner (exactly the Cargo.lock
//! version), and Debian's Chromium and ChromeDriver.

use anyhow::{Context, anyhow};
use std::fs;
use std::path::Path;

use crate::shell::{Result, command, output, root, run};

/// Where Debian installs the browser and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Where Debian installs ChromeDriver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Everything `cargo xtask run` needs to build the release app without Trunk (see `app_build`):
/// the wasm target and npm's wasm-opt and terser (the same `npm ci` installs the end-to-end
/// suite's tools: 6 s on a fresh machine, not worth a second package). wasm-bindgen is a
/// library of xtask.
pub fn ensure_run_tools() -> Result {
    ensure_wasm_target()?;
    ensure_npm_tools()
}

/// What `trunk build --release` needs on top: Trunk (4 minutes to build on a fresh 2-core
/// machine, which is why `run` goes without it).
pub fn ensure_build_tools() -> Result {
    ensure_run_tools()?;
    ensure_trunk()
}

/// Everything the test suites need on top of the build tools: wasm-bindgen's test runner for
/// the app's browser tests, cargo-deny, the OpenAPI tools, promtool, Chromium.
pub fn ensure_test_tools() -> Result {
    ensure_build_tools()?;
    ensure_wasm_bindgen_test_runner()?;
    ensure_cargo_deny()?;
    ensure_openapi_tools()?;
    ensure_promtool()?;
    ensure_chromium()
}

/// Where `promtool` is unpacked (from Debian's `prometheus` package).
pub fn promtool() -> std::path::PathBuf {
    root().join("target/tools/prometheus/usr/bin/promtool")
}

/// Prometheus' `promtool`, to check the alert rules: Debian's package is downloaded and
/// unpacked, not installed (its server is not wanted, nor its service started).
fn ensure_promtool() -> Result {
    if promtool().exists() {
        return Ok(());
    }
    let download = root().join("target/tools/download");
    fs::create_dir_all(&download)
        .with_context(|| format!("cannot create {}", download.display()))?;
    let mut fetch = command("apt-get", &["download", "prometheus"]);
    fetch.current_dir(&download);
    if run(fetch).is_err() {
        // A fresh machine's package lists may be empty.
        run(command("apt-get", &["update", "-qq"]))?;
        let mut again = command("apt-get", &["download", "prometheus"]);
        again.current_dir(&download);
        run(again)?;
    }
    let package = fs::read_dir(&download)
        .with_context(|| format!("cannot read {}", download.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| path.extension().is_some_and(|extension| extension == "deb"))
        .ok_or_else(|| anyhow!("apt-get download prometheus left no .deb"))?;
    let target = root().join("target/tools/prometheus");
    run(command(
        "dpkg-deb",
        &[
            "-x",
            &package.display().to_string(),
            &target.display().to_string(),
        ],
    ))
}

/// Where the test command's OpenAPI tools live (their own package, so `run` never installs
/// them): Redocly CLI, openapi-typescript, openapi-fetch and TypeScript.
pub const OPENAPI_TOOLS: &str = "tools/openapi";

fn ensure_openapi_tools() -> Result {
    let tools = root().join(OPENAPI_TOOLS);
    let installed = ["redocly", "openapi-typescript", "tsc"]
        .iter()
        .all(|binary| tools.join("node_modules/.bin").join(binary).exists());
    if installed {
        return Ok(());
    }
    run(command(
        "npm",
        &[
            "ci",
            "--prefix",
            &tools.display().to_string(),
            "--no-audit",
            "--no-fund",
        ],
    ))
}

/// The cargo-deny release the dependency audit uses.
const CARGO_DENY_VERSION: &str = "0.20.2";

fn ensure_cargo_deny() -> Result {
    // Its release profile has LTO: about 2 minutes instead of 6 without it, at opt-level 1.
    ensure_cargo_tool("cargo-deny", "cargo-deny", CARGO_DENY_VERSION, Some("1"))
}

/// The Trunk release the build runs through: 0.22 needs a newer rustc than 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";

fn ensure_trunk() -> Result {
    // Its release profile has fat LTO; without it the install takes 4 minutes here.
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, None)
}

/// Installs `package@version` with `cargo install --locked` unless `binary --version` says that
/// version already. Tools, not the product: built without LTO, in 16 codegen units, and at
/// `opt_level` when given.
fn ensure_cargo_tool(
    binary: &str,
    package: &str,
    version: &str,
    opt_level: Option<&str>,
) -> Result {
    let installed = output(command(binary, &["--version"])).unwrap_or_default();
    if installed == format!("{binary} {version}") {
        return Ok(());
    }
    println!("Installing {package} {version}");
    let mut install = command(
        "cargo",
        &[
            "install",
            &format!("{package}@{version}"),
            "--locked",
            "--force",
        ],
    );
    install
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    if let Some(level) = opt_level {
        install.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", level);
    }
    run(install)
}

fn ensure_wasm_target() -> Result {
    let installed =
        output(command("rustup", &["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|line| line.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(command(
        "rustup",
        &["target", "add", "wasm32-unknown-unknown"],
    ))
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).context("cannot read Cargo.lock")?;
    locked_version(&lock, "wasm-bindgen")
        .ok_or_else(|| anyhow!("Cargo.lock has no wasm-bindgen package"))
}

/// The version of `package` in the text of a Cargo.lock.
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

/// wasm-bindgen-cli, for its `wasm-bindgen-test-runner` (`.cargo/config.toml` runs the app's
/// wasm tests with it); it must match the app's wasm-bindgen exactly.
fn ensure_wasm_bindgen_test_runner() -> Result {
    let wanted = locked_wasm_bindgen_version()?;
    let runner = output(command("wasm-bindgen-test-runner", &["--version"])).unwrap_or_default();
    if runner.ends_with(&wanted) {
        return Ok(());
    }
    // Without --locked: one of the CLI's locked dependencies is no longer on crates.io.
    println!("Installing wasm-bindgen-cli {wanted} (matches Cargo.lock) for its test runner");
    run(command(
        "cargo",
        &["install", &format!("wasm-bindgen-cli@{wanted}"), "--force"],
    ))
}

fn ensure_npm_tools() -> Result {
    let wasm_opt = root().join("node_modules/.bin/wasm-opt");
    let version = output(command(&wasm_opt.to_string_lossy(), &["--version"])).unwrap_or_default();
    let test_and_bench_tools = ["playwright-core", "axe-core", "lighthouse", "terser"]
        .iter()
        .all(|package| {
            root()
                .join("node_modules")
                .join(package)
                .join("package.json")
                .exists()
        });
    if version.starts_with("wasm-opt version 132") && test_and_bench_tools {
        return Ok(());
    }
    run(command("npm", &["ci", "--no-audit", "--no-fund"]))
}

fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// Installs Debian packages (as root; otherwise says what to install).
pub fn apt_install(packages: &[&str]) -> Result {
    let is_root = output(command("id", &["-u"])).as_deref() == Some("0");
    if !is_root {
        return Err(anyhow!(
            "{} missing; install it with apt-get install {} or run as root",
            packages.join(" and "),
            packages.join(" ")
        ));
    }
    run(command("apt-get", &["update", "-qq"]))?;
    let mut arguments = vec!["install", "-y", "-qq", "--no-install-recommends"];
    arguments.extend_from_slice(packages);
    let mut install = command("apt-get", &arguments);
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run(install)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_package_version_from_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"9.9.9\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "leptos"), None);
    }
}
