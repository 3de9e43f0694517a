//! The end-to-end suite (`e2e/`, node's test runner with playwright-core and axe-core): the
//! release backend with the embedded Solaris emulator on a free loopback port, an empty
//! database, the release build of the app, and headless Chromium driven through every scenario.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::shell::{Result, TestCounts, command, root, run, run_tests};
use crate::tools::CHROMIUM;

/// Stops the backend when the suite ends, however it ends.
struct Backend(Child);

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the suite against a fresh backend; dist/ must hold the release build.
pub fn run_suite(counts: &mut TestCounts) -> Result {
    run(command(
        "cargo",
        &["build", "--release", "--package", "bankident-backend"],
    ))?;
    let port = free_port()?;
    let data_dir = root().join("target/e2e-backend");
    if data_dir.exists() {
        std::fs::remove_dir_all(&data_dir)
            .map_err(|e| format!("cannot clear {}: {e}", data_dir.display()))?;
    }
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let evidence = root().join("target/e2e");
    if evidence.exists() {
        let _ = std::fs::remove_dir_all(&evidence);
    }
    let log = std::fs::File::create(data_dir.join("backend.log"))
        .map_err(|e| format!("cannot create the backend log: {e}"))?;
    let address = format!("127.0.0.1:{port}");
    let child = Command::new(root().join("target/release/bankident-backend"))
        .current_dir(root())
        .env("BANKIDENT_LISTEN", &address)
        .env(
            "BANKIDENT_DATABASE_URL",
            format!("sqlite://{}/e2e.sqlite", data_dir.display()),
        )
        .env("BANKIDENT_DIST_DIR", root().join("dist"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start the backend: {e}"))?;
    let _backend = Backend(child);
    wait_until_listening(&address)?;

    let url = format!("http://{address}");
    println!("==> end-to-end suite against {url} (backend log: target/e2e-backend/backend.log)");
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
        .env("BANKIDENT_E2E_URL", &url)
        .env("CHROME_PATH", CHROMIUM);
    run_tests(suite, counts)
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn wait_until_listening(address: &str) -> Result {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(address).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "the backend did not listen on {address} within 60 s (see target/e2e-backend/backend.log)"
    ))
}
