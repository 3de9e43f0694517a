//! Proves the development loop of the README: `trunk serve` with `Trunk.toml`'s hook and
//! proxies, in front of a running backend. The backend's public URL is Trunk's, as the README
//! tells developers to set it; Trunk's configuration is `Trunk.toml` with free ports (and its own
//! dist folder), written next to it because Trunk resolves paths from its configuration's
//! folder. Trunk 0.21's command line takes one proxy (`--proxy-backend`) and the configuration
//! has four, all at the backend's default port, so a copy with free ports stands in for flags.
//! A customer's journey then runs through Trunk's address (`e2e/trunk-serve.dev.mjs`).

use anyhow::{Context, anyhow};
use std::fs;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::served::{ServedBackend, free_port};
use crate::shell::{Result, TestCounts, command, root, run_tests, tool_path};
use crate::tools::CHROMIUM;

/// Where `Trunk.toml` sends the proxies and where it serves, replaced for the test.
const BACKEND_ADDRESS: &str = "127.0.0.1:3000";
const TRUNK_PORT_LINE: &str = "port = 8080";
const DIST_LINE: &str = "dist = \"dist\"";

/// `trunk serve`, stopped (with its build) when dropped.
struct TrunkServe {
    child: Child,
    config: PathBuf,
}

impl Drop for TrunkServe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_file(&self.config);
    }
}

/// `Trunk.toml` with the backend at `backend`, Trunk on `port` and its output in `dist`.
/// Fails when `Trunk.toml` no longer has the lines this replaces.
pub fn test_config(trunk_toml: &str, backend: &str, port: u16, dist: &str) -> Result<String> {
    for expected in [BACKEND_ADDRESS, TRUNK_PORT_LINE, DIST_LINE] {
        if !trunk_toml.contains(expected) {
            return Err(anyhow!(
                "Trunk.toml has no `{expected}` to replace for the test"
            ));
        }
    }
    Ok(trunk_toml
        .replace(BACKEND_ADDRESS, backend)
        .replace(TRUNK_PORT_LINE, &format!("port = {port}"))
        .replace(DIST_LINE, &format!("dist = \"{dist}\"")))
}

/// Runs the journey through `trunk serve`.
pub fn run(counts: &mut TestCounts) -> Result {
    let port = free_port()?;
    let trunk_url = format!("http://127.0.0.1:{port}");
    let backend = ServedBackend::start_with(
        "trunk-serve-backend",
        &[("BANKIDENT_PUBLIC_URL", &trunk_url)],
    )?;
    let backend_address = backend.url.trim_start_matches("http://");
    let trunk_toml =
        fs::read_to_string(root().join("Trunk.toml")).context("cannot read Trunk.toml")?;
    let config = root().join(".trunk-serve-test.toml");
    fs::write(
        &config,
        test_config(
            &trunk_toml,
            backend_address,
            port,
            "target/trunk-serve/dist",
        )?,
    )
    .with_context(|| format!("cannot write {}", config.display()))?;
    let log_path = root().join("target/trunk-serve/trunk.log");
    fs::create_dir_all(root().join("target/trunk-serve"))
        .context("cannot create target/trunk-serve")?;
    let log = fs::File::create(&log_path)
        .with_context(|| format!("cannot create {}", log_path.display()))?;
    println!(
        "==> trunk serve on {trunk_url} (log: {})",
        log_path.display()
    );
    let child = Command::new("trunk")
        .args(["--config", &config.to_string_lossy(), "serve"])
        .current_dir(root())
        .env("PATH", tool_path())
        .stdout(log.try_clone().context("log")?)
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .context("cannot start trunk serve")?;
    let trunk = TrunkServe { child, config };
    wait_for_app(&trunk_url, &log_path)?;
    let mut journey = command(
        "node",
        &["--test", "--test-reporter=spec", "e2e/trunk-serve.dev.mjs"],
    );
    journey
        .env("BANKIDENT_E2E_URL", &trunk_url)
        .env("CHROME_PATH", CHROMIUM);
    let outcome = run_tests(journey, counts);
    drop(trunk);
    drop(backend);
    outcome
}

/// Waits until Trunk serves the app's page with the hook's loader in it (the first debug build
/// of the app takes a while).
fn wait_for_app(url: &str, log: &std::path::Path) -> Result {
    let deadline = Instant::now() + Duration::from_secs(600);
    let address = url.trim_start_matches("http://");
    while Instant::now() < deadline {
        let page = crate::http::request(address, "GET", "/", &[], "");
        if page.is_ok_and(|(_, body)| body.contains("bankident-app_bg.wasm")) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(anyhow!(
        "trunk serve did not serve the app within 10 minutes (see {})",
        log.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_configuration_moves_ports_and_output() {
        let toml = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        let config = test_config(&toml, "127.0.0.1:41000", 41001, "target/x").unwrap();
        assert!(!config.contains(BACKEND_ADDRESS));
        assert!(config.contains("backend = \"http://127.0.0.1:41000/api/\""));
        assert!(config.contains("port = 41001"));
        assert!(config.contains("dist = \"target/x\""));
        assert!(test_config("[build]", "a", 1, "b").is_err());
    }
}
