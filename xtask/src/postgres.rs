//! A throwaway PostgreSQL server for the tests and the load benchmark: Debian's `postgresql`
//! package (installed when missing), a new cluster in a temporary folder on a free port, reached
//! over TCP on 127.0.0.1 without a password, stopped and deleted when dropped.

use anyhow::{Context, anyhow};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use crate::shell::{Result, command, output, run, run_quietly};
use crate::tools::apt_install;

/// Where Debian puts the server's programs (one folder per major version).
const POSTGRES_LIB: &str = "/usr/lib/postgresql";

/// A running PostgreSQL server of our own.
pub struct TestPostgres {
    /// The URL of its `postgres` database, as user `postgres`.
    pub url: String,
    bin: PathBuf,
    dir: PathBuf,
    /// Whether its programs run as Debian's `postgres` user (we are root).
    as_root: bool,
}

impl TestPostgres {
    /// Starts a new server. `durable: false` turns off fsync (tests); the benchmark keeps
    /// PostgreSQL's defaults.
    pub fn start(durable: bool) -> Result<TestPostgres> {
        let bin = server_programs()?;
        let dir = std::env::temp_dir().join(format!("bankident-postgres-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let as_root = output(command("id", &["-u"])).as_deref() == Some("0");
        if as_root {
            // The server refuses to run as root: the folder belongs to Debian's `postgres` user.
            run(command("chown", &["postgres", &dir.display().to_string()]))?;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .context("no free port")?
            .port();
        let data = dir.join("data");
        run_quietly(server_command(
            as_root,
            &bin.join("initdb"),
            &[
                "-D",
                &data.display().to_string(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
            ],
        ))?;
        let mut settings = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=500",
            dir.display()
        );
        if !durable {
            settings.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        run_quietly(server_command(
            as_root,
            &bin.join("pg_ctl"),
            &[
                "-D",
                &data.display().to_string(),
                "-l",
                &dir.join("server.log").display().to_string(),
                "-o",
                &settings,
                "-w",
                "start",
            ],
        ))?;
        println!("PostgreSQL started on 127.0.0.1:{port} ({})", dir.display());
        Ok(TestPostgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            bin,
            dir,
            as_root,
        })
    }
}

impl TestPostgres {
    /// A new, empty database on the server; its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        let mut create = command(
            &self.bin.join("psql").display().to_string(),
            &[&self.url, "-q", "-c", &format!("CREATE DATABASE {name}")],
        );
        create.env("PGCONNECT_TIMEOUT", "10");
        run_quietly(create)?;
        let root = self
            .url
            .rsplit_once('/')
            .map_or(self.url.as_str(), |(root, _)| root);
        Ok(format!("{root}/{name}"))
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data").display().to_string();
        let _ = run_quietly(server_command(
            self.as_root,
            &self.bin.join("pg_ctl"),
            &["-D", &data, "-m", "immediate", "-w", "stop"],
        ));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A server program, run as `postgres` when we are root.
fn server_command(as_root: bool, program: &Path, args: &[&str]) -> std::process::Command {
    let program = program.display().to_string();
    if as_root {
        let mut all = vec!["-u", "postgres", "--", program.as_str()];
        all.extend_from_slice(args);
        command("runuser", &all)
    } else {
        command(&program, args)
    }
}

/// The folder of the newest installed server's programs, installing Debian's package first
/// when there is none.
fn server_programs() -> Result<PathBuf> {
    if newest_server().is_none() {
        apt_install(&["postgresql"])?;
    }
    newest_server()
        .ok_or_else(|| anyhow!("no PostgreSQL server under {POSTGRES_LIB} after installing it"))
}

fn newest_server() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(POSTGRES_LIB)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}
