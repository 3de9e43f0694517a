//! The load benchmark: a steady rate of onboardings, end to end, for a minute, through
//! real backend processes (the release binary with its own server: connection limits, timeouts,
//! rate limits), on SQLite and on PostgreSQL, with one and with two instances. One file on
//! purpose (longer than usual): the load generator, the processes and the report share state.
//!
//! One onboarding is what the backend does for a customer before Solaris' screens: the app shell
//! (which issues the browser's cookie), `POST /api/identification` (the backend creates the
//! person, the mobile number and the identification session at Solaris) and one outcome poll.
//! Every onboarding comes from its own client address (`x-forwarded-for`, as behind a load
//! balancer), so the per-client limits apply as they would in production.
//!
//! The Solaris emulator runs in this process, so the backends' CPU time (from /proc) is the
//! backend's own work per onboarding, without the emulator's. Requests alternate between the
//! instances.
//!
//! Without `LOAD_RATE`, each configuration first finds the highest rate that holds (zero errors,
//! all of it done, p99 under 25 ms; steps of 100 a second for 10 s each), then runs at that rate
//! for `LOAD_SECONDS` (default 60), a step lower each time the whole run does not hold. With `LOAD_RATE` (say 1000, the issue's target), it runs at
//! that rate. `BANKIDENT_BENCH_POSTGRES_URL` names a PostgreSQL server's admin URL (without it
//! only SQLite runs); `LOAD_ONLY` is `sqlite` or `postgres`. `LOAD_PIN=1` puts the backends on one
//! core and everything else of the benchmark on the other (see [`pinned`]).

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

#[path = "../tests/support/mod.rs"]
mod support;

use support::answers;
use support::process::BackendProcess;

/// Each request's time limit: a stuck request is an error, not a hang.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// A client address of its own for onboarding `n` (10.0.0.0/8).
fn client_address(n: u64) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

/// A backend instance: the release binary as its own process.
struct Instance(BackendProcess);

impl Instance {
    async fn start(
        dir: &std::path::Path,
        database: &str,
        emulator: &str,
        public: Option<&str>,
    ) -> Instance {
        let log = std::env::var("LOAD_BACKEND_LOG").unwrap_or_else(|_| "info".into());
        let threads = std::env::var("LOAD_BACKEND_THREADS").unwrap_or_else(|_| "2".into());
        let mut extra = vec![
            ("RUST_LOG", log.as_str()),
            ("TOKIO_WORKER_THREADS", threads.as_str()),
        ];
        if let Some(public) = public {
            extra.push(("BANKIDENT_PUBLIC_URL", public));
        }
        Instance(BackendProcess::start(dir, database, emulator, &extra).await)
    }

    fn pid(&self) -> u32 {
        self.0.child.id()
    }

    /// CPU time used so far (user and system).
    fn cpu_time(&self) -> Duration {
        cpu_time_of(&self.pid().to_string())
    }

    /// The peak resident memory, from /proc (VmHWM).
    fn peak_memory_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let line = status
            .lines()
            .find(|line| line.starts_with("VmHWM:"))
            .unwrap();
        let kib: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kib / 1024.0
    }
}

/// The CPU time (user and system) a process used so far, from /proc (`self` for this one).
fn cpu_time_of(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name (which is in parentheses).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / clock_ticks_per_second())
}

/// Context switches of every thread of a process so far, from /proc.
fn context_switches_of(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("status")).ok())
        .flat_map(|status| {
            status
                .lines()
                .filter(|line| line.contains("ctxt_switches"))
                .filter_map(|line| line.split_whitespace().nth(1)?.parse::<u64>().ok())
                .collect::<Vec<_>>()
        })
        .sum()
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

/// What one run measured.
#[derive(Default)]
struct Tally {
    onboarding: Vec<Duration>,
    opening: Vec<Duration>,
    errors: u64,
    first_errors: Vec<String>,
}

async fn one_onboarding(
    client: &reqwest::Client,
    base: &str,
    n: u64,
) -> Result<(Duration, Duration), String> {
    let started = Instant::now();
    let address = client_address(n);
    let shell = client
        .get(format!("{base}/"))
        .header("x-forwarded-for", &address)
        .send()
        .await
        .map_err(|error| format!("shell: {error}"))?;
    if !shell.status().is_success() {
        return Err(format!("shell: {}", shell.status()));
    }
    let cookie = shell
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .ok_or("shell: no cookie")?
        .to_string();
    let _ = shell.bytes().await;
    let opening_started = Instant::now();
    let opened = client
        .post(format!("{base}/api/identification"))
        .header("x-forwarded-for", &address)
        .header("cookie", &cookie)
        .header("sec-fetch-site", "same-origin")
        .json(&answers())
        .send()
        .await
        .map_err(|error| format!("open: {error}"))?;
    let status = opened.status();
    let body = opened.text().await.unwrap_or_default();
    if !status.is_success() || !body.contains("\"url\"") {
        return Err(format!("open: {status} {body}"));
    }
    let opening = opening_started.elapsed();
    let outcome = client
        .get(format!("{base}/api/identification/outcome"))
        .header("x-forwarded-for", &address)
        .header("cookie", &cookie)
        .send()
        .await
        .map_err(|error| format!("outcome: {error}"))?;
    let status = outcome.status();
    let body = outcome.text().await.unwrap_or_default();
    // The session is open and the customer has not finished at Solaris yet.
    if !status.is_success() || !body.contains(r#""state":"unfinished""#) {
        return Err(format!("outcome: {status} {body}"));
    }
    Ok((started.elapsed(), opening))
}

fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let index = ((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(index).copied().unwrap_or_default().as_secs_f64() * 1000.0
}

/// The backend instances of one configuration, on a fresh database.
struct Deployment {
    dir: std::path::PathBuf,
    instances: Vec<Instance>,
    client: reqwest::Client,
    /// Onboardings started so far (each gets its own number, name and address).
    next: u64,
}

impl Deployment {
    async fn start(label: &str, databases: &[String], emulator: &str) -> Deployment {
        let dir = std::env::temp_dir().join(format!(
            "bankident-load-{}-{}",
            std::process::id(),
            label.replace([' ', ',', '(', ')'], "")
        ));
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        std::fs::write(
            dir.join("dist/index.html"),
            "<!doctype html><title>load</title>",
        )
        .unwrap();
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .pool_max_idle_per_host(256)
            .build()
            .unwrap();
        // Solaris' webhooks go to the first instance's URL, as to a load balancer's.
        let first = Instance::start(&dir, &databases[0], emulator, None).await;
        let public = first.0.url.clone();
        let mut instances = vec![first];
        for database in &databases[1..] {
            let other = Instance::start(&dir, database, emulator, Some(&public)).await;
            instances.push(other);
        }
        if pinned() {
            for instance in &instances {
                pin(instance.pid(), BACKEND_CORE);
            }
        }
        Deployment {
            dir,
            instances,
            client,
            next: 0,
        }
    }

    /// Offers `rate` onboardings a second for `seconds`, alternating between the instances.
    async fn measure(&mut self, rate: u64, seconds: u64) -> Figures {
        let bases: Arc<Vec<String>> =
            Arc::new(self.instances.iter().map(|i| i.0.url.clone()).collect());
        let cpu_before: Duration = self.instances.iter().map(Instance::cpu_time).sum();
        let own_cpu_before = cpu_time_of("self");
        let switches_before = self.context_switches();
        let tally = Arc::new(Mutex::new(Tally::default()));
        let total = rate * seconds;
        let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..total {
            ticker.tick().await;
            let n = self.next;
            self.next += 1;
            let (client, bases, tally) = (self.client.clone(), bases.clone(), tally.clone());
            tasks.spawn(async move {
                let base = &bases[(n as usize) % bases.len()];
                let result = one_onboarding(&client, base, n).await;
                let mut tally = tally.lock().await;
                match result {
                    Ok((onboarding, opening)) => {
                        tally.onboarding.push(onboarding);
                        tally.opening.push(opening);
                    }
                    Err(error) => {
                        tally.errors += 1;
                        if tally.first_errors.len() < 3 {
                            tally.first_errors.push(error);
                        }
                    }
                }
            });
            while tasks.try_join_next().is_some() {}
        }
        let offered = started.elapsed();
        while tasks.join_next().await.is_some() {}
        let elapsed = started.elapsed();
        let backend_cpu = self
            .instances
            .iter()
            .map(Instance::cpu_time)
            .sum::<Duration>()
            - cpu_before;
        let own_cpu = cpu_time_of("self") - own_cpu_before;
        let switches = self.context_switches() - switches_before;
        let mut tally = std::mem::take(&mut *tally.lock().await);
        tally.onboarding.sort();
        tally.opening.sort();
        let done = tally.onboarding.len() as u64;
        let per_onboarding = |cpu: Duration| cpu.as_secs_f64() * 1e6 / done.max(1) as f64;
        Figures {
            offered: total as f64 / offered.as_secs_f64(),
            done: done as f64 / elapsed.as_secs_f64(),
            errors: tally.errors,
            onboarding_p50: quantile(&tally.onboarding, 0.50),
            onboarding_p99: quantile(&tally.onboarding, 0.99),
            opening_p50: quantile(&tally.opening, 0.50),
            opening_p99: quantile(&tally.opening, 0.99),
            backend_cpu_us: per_onboarding(backend_cpu),
            switches: switches as f64 / done.max(1) as f64,
            others_cpu_us: per_onboarding(own_cpu),
            first_errors: tally.first_errors,
        }
    }

    fn context_switches(&self) -> u64 {
        self.instances
            .iter()
            .map(|i| context_switches_of(i.pid()))
            .sum()
    }

    fn peak_memory(&self) -> String {
        self.instances
            .iter()
            .map(|instance| format!("{:.0}", instance.peak_memory_mib()))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

impl Drop for Deployment {
    fn drop(&mut self) {
        self.instances.clear();
        if std::env::var("LOAD_KEEP").is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// What one measurement found.
struct Figures {
    offered: f64,
    done: f64,
    errors: u64,
    onboarding_p50: f64,
    onboarding_p99: f64,
    opening_p50: f64,
    opening_p99: f64,
    backend_cpu_us: f64,
    switches: f64,
    others_cpu_us: f64,
    first_errors: Vec<String>,
}

impl Figures {
    /// Zero errors, everything offered done, and p99 under the target.
    fn holds(&self) -> bool {
        self.errors == 0 && self.done >= self.offered * 0.97 && self.onboarding_p99 < P99_TARGET_MS
    }

    fn print(&self, label: &str, memory: &str) {
        println!(
            "{label}: offered {:.0}/s, done {:.0}/s, errors {}\n    \
             onboarding p50 {:.2} ms, p99 {:.2} ms; opening p50 {:.2} ms, p99 {:.2} ms\n    \
             backend CPU {:.0} µs and {:.0} context switches per onboarding; emulator and load generator CPU {:.0} µs; \
             backend peak memory {memory} MiB",
            self.offered,
            self.done,
            self.errors,
            self.onboarding_p50,
            self.onboarding_p99,
            self.opening_p50,
            self.opening_p99,
            self.backend_cpu_us,
            self.switches,
            self.others_cpu_us,
        );
        for error in &self.first_errors {
            println!("    error: {error}");
        }
    }
}

/// The p99 an onboarding must stay under.
const P99_TARGET_MS: f64 = 25.0;

/// One configuration: with `LOAD_RATE` set, that rate for `seconds`; otherwise the highest rate
/// that holds (steps of 100 a second, 10 s each, until one fails), then a whole run at it, and
/// at the next lower step while a whole run does not hold.
async fn run(
    label: &str,
    databases: &[String],
    emulator: &str,
    fixed_rate: Option<u64>,
    seconds: u64,
) {
    let mut deployment = Deployment::start(label, databases, emulator).await;
    let rate = match fixed_rate {
        Some(rate) => rate,
        None => {
            let mut holding = 0;
            for step in (100..=2000).step_by(100) {
                let figures = deployment.measure(step, 10).await;
                println!(
                    "{label}: {step}/s for 10 s: done {:.0}/s, p99 {:.2} ms, errors {}",
                    figures.done, figures.onboarding_p99, figures.errors
                );
                if !figures.holds() {
                    break;
                }
                holding = step;
            }
            if holding == 0 {
                println!("{label}: not even 100 onboardings a second hold");
                return;
            }
            holding
        }
    };
    let mut rate = rate;
    loop {
        let figures = deployment.measure(rate, seconds).await;
        figures.print(
            &format!("{label}, {rate}/s for {seconds} s"),
            &deployment.peak_memory(),
        );
        // A rate found in 10 s steps must also hold for the whole run (checkpoints, a growing
        // database): if it does not, the next lower step runs the whole time.
        if fixed_rate.is_some() || figures.holds() || rate <= 100 {
            if !figures.holds() {
                println!("{label}: {rate}/s does not hold for {seconds} s");
            }
            break;
        }
        rate -= 100;
    }
}

/// A Solaris emulator of its own for one configuration, in this process; returns its URL. A
/// configuration's backends subscribe to its webhooks, and their processes end with it: an
/// emulator shared by the configurations would go on delivering to the ended ones (refused
/// connections and retries, measured as load on the next configuration).
async fn start_emulator() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let sandbox = solaris_sandbox::Sandbox::new(solaris_sandbox::SandboxConfig::new(url.clone()));
    let router = solaris_sandbox::router(sandbox);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

/// `LOAD_PIN=1`: the backends run on one core and the emulator and the load generator on the
/// other, so the backend's capacity per core shows without them taking its CPU (a stand-in for
/// a machine of its own). PostgreSQL is not pinned.
fn pinned() -> bool {
    std::env::var("LOAD_PIN").is_ok_and(|value| value == "1")
}

/// The core of the backends with `LOAD_PIN=1`.
const BACKEND_CORE: &str = "0";
/// The core of the emulator and the load generator with `LOAD_PIN=1`.
const LOAD_CORE: &str = "1";

/// Pins every thread of process `pid` (and those it starts later) to `cores` with `taskset`.
fn pin(pid: u32, cores: &str) {
    let pinned = Command::new("taskset")
        .args(["-a", "-cp", cores, &pid.to_string()])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        pinned,
        "taskset could not pin process {pid} to core {cores}"
    );
}

#[tokio::main]
async fn main() {
    let fixed_rate = std::env::var("LOAD_RATE")
        .ok()
        .and_then(|rate| rate.parse().ok());
    let seconds = setting("LOAD_SECONDS", 60);
    let only = std::env::var("LOAD_ONLY").unwrap_or_default();
    if pinned() {
        pin(std::process::id(), LOAD_CORE);
        println!(
            "LOAD_PIN=1: the backends on core {BACKEND_CORE}, the emulator and the load generator on core {LOAD_CORE}"
        );
    }
    println!(
        "Onboardings (shell, open, one outcome poll; each from its own address) for {seconds} s at {}, \
         Solaris emulator in the load process; target: 1000/s through one instance on SQLite, p99 under {P99_TARGET_MS} ms, no errors:",
        fixed_rate.map_or("the highest rate that holds".to_string(), |rate| format!(
            "{rate}/s"
        ))
    );
    let scratch = std::env::temp_dir().join(format!("bankident-load-{}", std::process::id()));
    if only != "postgres" {
        for instances in [1, 2] {
            let file = format!("sqlite://{}/db-{instances}.sqlite", scratch.display());
            run(
                &format!("SQLite, {instances} instance(s)"),
                &vec![file; instances],
                &start_emulator().await,
                fixed_rate,
                seconds,
            )
            .await;
        }
    }
    if only != "sqlite" {
        match std::env::var("BANKIDENT_BENCH_POSTGRES_URL") {
            Ok(server) => {
                for instances in [1, 2] {
                    let database = bankident_backend::store::testing::postgres_database(
                        &server,
                        &format!("load-{}-{instances}", std::process::id()),
                    )
                    .await;
                    run(
                        &format!("PostgreSQL, {instances} instance(s)"),
                        &vec![database; instances],
                        &start_emulator().await,
                        fixed_rate,
                        seconds,
                    )
                    .await;
                }
            }
            Err(_) => println!("(PostgreSQL skipped: BANKIDENT_BENCH_POSTGRES_URL is not set)"),
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
