//! The backend's release binary as a process of its own (crash drills, the load benchmark):
//! real sockets, its own server, and a process that can be killed.

use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

/// A running backend process.
pub struct BackendProcess {
    /// Its own URL.
    pub url: String,
    /// Its management port's URL (metrics, readiness).
    pub management_url: String,
    /// The process.
    pub child: Child,
}

impl BackendProcess {
    /// Starts the binary on a free loopback port with `database`, talking to the Solaris
    /// emulator at `emulator`, each request's client address taken from `x-forwarded-for` (as
    /// behind a load balancer), its log appended to `dir/backend.log`; `extra` adds or replaces
    /// settings. Waits until it is ready.
    pub async fn start(
        dir: &Path,
        database: &str,
        emulator: &str,
        extra: &[(&str, &str)],
    ) -> BackendProcess {
        let (port, management_port) = (free_port(), free_port());
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        if !dir.join("dist/index.html").exists() {
            std::fs::write(
                dir.join("dist/index.html"),
                "<!doctype html><title>app</title>",
            )
            .unwrap();
        }
        let mut command = Command::new(env!("CARGO_BIN_EXE_bankident-backend"));
        command
            .env("BANKIDENT_LISTEN", format!("127.0.0.1:{port}"))
            .env(
                "BANKIDENT_MANAGEMENT_LISTEN",
                format!("127.0.0.1:{management_port}"),
            )
            .env("BANKIDENT_DIST_DIR", dir.join("dist"))
            .env("BANKIDENT_DATABASE_URL", database)
            .env("SOLARIS_API_URL", emulator)
            .env("SOLARIS_TOKEN_URL", format!("{emulator}/oauth2/token"))
            .env("SOLARIS_CLIENT_ID", "sandbox-client")
            .env("SOLARIS_CLIENT_SECRET", "sandbox-secret")
            .env(
                "BANKIDENT_REDIRECT_HOSTS",
                emulator.trim_start_matches("http://"),
            )
            .env("BANKIDENT_DEMO_MODE", "true")
            .envs(super::CONSENT_DOCUMENTS)
            .env("BANKIDENT_CLIENT_IP_HEADER", "x-forwarded-for");
        for (name, value) in extra {
            command.env(name, value);
        }
        BackendProcess::spawn_logged(command, dir, port, management_port).await
    }

    /// Starts `command` (a backend serving on loopback `port`, its management port on
    /// `management_port`) with its output appended to `dir/backend.log`; waits until ready.
    pub async fn spawn_logged(
        mut command: Command,
        dir: &Path,
        port: u16,
        management_port: u16,
    ) -> BackendProcess {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("backend.log"))
            .unwrap();
        command.stdout(log.try_clone().unwrap()).stderr(log);
        BackendProcess::spawn(
            command,
            format!("http://127.0.0.1:{port}"),
            format!("http://127.0.0.1:{management_port}"),
        )
        .await
    }

    /// Starts `command` (a backend serving on `url`, its management port on `management_url`)
    /// in a process group of its own, and waits until it is ready. Dropping the result kills
    /// the whole group (a launcher such as `runuser` or `buildah run` and the backend under it).
    pub async fn spawn(
        mut command: Command,
        url: String,
        management_url: String,
    ) -> BackendProcess {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
        let process = BackendProcess {
            url,
            management_url,
            child: command.spawn().expect("the backend starts"),
        };
        process.wait_ready().await;
        process
    }

    /// Waits until readiness (on the management port) says ready with every Solaris webhook
    /// subscribed.
    async fn wait_ready(&self) {
        for _ in 0..300 {
            if let Ok(response) =
                reqwest::get(format!("{}/health/ready", self.management_url)).await
            {
                let body: serde_json::Value = response.json().await.unwrap_or_default();
                if body["missing_webhooks"]
                    .as_array()
                    .is_some_and(Vec::is_empty)
                {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the backend at {} did not become ready", self.url);
    }

    /// Kills the process and its group at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        self.kill_group();
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn kill_group(&self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// The cookie (`name=value`) an answer of the backend set.
pub fn cookie_set_by(headers: &reqwest::header::HeaderMap) -> String {
    headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Drop for BackendProcess {
    fn drop(&mut self) {
        self.kill_group();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
