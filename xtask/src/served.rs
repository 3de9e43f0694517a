//! The release backend with the embedded Solaris emulator, started for the end-to-end suite and
//! the Lighthouse benchmark: a free loopback port, an empty database of its own, the release
//! build of the app from dist/, and stopped when dropped.

use anyhow::{Context, anyhow};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::shell::{Result, cargo_build, root};

/// Builds the release backend with the embedded emulator (the one `cargo xtask run` serves,
/// so the tests reuse the run's build) and returns its binary.
pub fn build_release_backend() -> Result<PathBuf> {
    cargo_build(
        &[
            "--release",
            "--package",
            "bankident-backend",
            "--bin",
            "bankident-backend",
        ],
        |_| {},
    )
}

/// A running backend; stops it when dropped, however the caller ends.
pub struct ServedBackend {
    child: Child,
    /// Its base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
}

impl Drop for ServedBackend {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServedBackend {
    /// Builds and starts the backend with its data (database, log) in `target/<name>/`.
    pub fn start(name: &str) -> Result<ServedBackend> {
        ServedBackend::start_with(name, &[])
    }

    /// [`ServedBackend::start`] with more environment variables for the backend.
    pub fn start_with(name: &str, env: &[(&str, &str)]) -> Result<ServedBackend> {
        let binary = build_release_backend()?;
        let port = free_port()?;
        let data_dir = root().join("target").join(name);
        if data_dir.exists() {
            std::fs::remove_dir_all(&data_dir)
                .with_context(|| format!("cannot clear {}", data_dir.display()))?;
        }
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        let log_path = data_dir.join("backend.log");
        let log = std::fs::File::create(&log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let address = format!("127.0.0.1:{port}");
        let management = format!("127.0.0.1:{}", free_port()?);
        let child = Command::new(binary)
            .current_dir(root())
            .env("BANKIDENT_LISTEN", &address)
            // Several backends run at once (the suite's, the dev loop's, `run`'s own).
            .env("BANKIDENT_MANAGEMENT_LISTEN", &management)
            .env(
                "BANKIDENT_DATABASE_URL",
                format!("sqlite://{}/backend.sqlite", data_dir.display()),
            )
            .env("BANKIDENT_DIST_DIR", root().join("dist"))
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("cannot start the backend")?;
        let backend = ServedBackend {
            child,
            url: format!("http://{address}"),
        };
        wait_until_listening(&address, &log_path)?;
        println!(
            "==> backend on {} (log: {})",
            backend.url,
            log_path.display()
        );
        Ok(backend)
    }
}

/// A port nobody listens on at the moment.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free port")?;
    listener
        .local_addr()
        .map(|address| address.port())
        .context("no free port")
}

fn wait_until_listening(address: &str, log: &std::path::Path) -> Result {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(address).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(anyhow!(
        "the backend did not listen on {address} within 60 s (see {})",
        log.display()
    ))
}
