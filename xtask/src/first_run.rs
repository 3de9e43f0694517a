//! `cargo xtask bench first-run`: how long a newcomer waits. A clone of the committed project in
//! a temporary folder runs `cargo xtask run` as on a fresh machine (an empty `CARGO_HOME`, so
//! crates are downloaded and no cargo tool is installed; an empty npm cache; a new target
//! folder) until its URL answers, then once more on the same clone (the second run). Prints
//! each step's time, as the run printed them, and both totals. The Rust toolchain and its wasm32
//! target stay (rustup's, a second or two on a new machine), as do Debian's packages (the run
//! needs none).

use anyhow::{Context, anyhow};
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::progress::{ALL_DONE, STEP_DONE};
use crate::served::free_port;
use crate::shell::{Result, command, output, root, run};

/// How long a run may take before the benchmark gives up on it.
const LONGEST_RUN: Duration = Duration::from_secs(45 * 60);

/// Runs the benchmark; the clone is removed afterwards unless `BENCH_KEEP=1`.
pub fn run_first_run() -> Result {
    let dirty = output(command("git", &["status", "--porcelain"])).unwrap_or_default();
    if !dirty.trim().is_empty() {
        println!("note: uncommitted changes are not measured: the clone has the last commit");
    }
    let base = std::env::temp_dir().join(format!("bankident-first-run-{}", std::process::id()));
    fs::create_dir_all(&base).with_context(|| format!("cannot create {}", base.display()))?;
    let clone = base.join("project");
    run(command(
        "git",
        &[
            "clone",
            "--quiet",
            &root().display().to_string(),
            &clone.display().to_string(),
        ],
    ))?;
    let outcome = measure(&base, &clone);
    if std::env::var("BENCH_KEEP").as_deref() == Ok("1") {
        println!("kept: {}", base.display());
    } else {
        let _ = fs::remove_dir_all(&base);
    }
    outcome
}

fn measure(base: &Path, clone: &Path) -> Result {
    let first = timed_run(base, clone, "first")?;
    let second = timed_run(base, clone, "second")?;
    println!();
    println!("First run on a fresh machine (`cargo xtask run` until its URL answers):");
    for line in &first.steps {
        println!("  {line}");
    }
    println!(
        "  before the first step (cargo downloads crates and builds xtask): {:.0} s",
        first.before_steps.as_secs_f64()
    );
    println!(
        "first run: {:.0} s until the URL answered",
        first.total.as_secs_f64()
    );
    println!(
        "second run: {:.1} s until the URL answered",
        second.total.as_secs_f64()
    );
    Ok(())
}

/// What one run printed and took.
struct Timed {
    total: Duration,
    before_steps: Duration,
    steps: Vec<String>,
}

/// Runs `cargo xtask run` in `clone` with the fresh machine's environment until its URL answers,
/// then stops it. Its output goes to `base/<name>.log`.
fn timed_run(base: &Path, clone: &Path, name: &str) -> Result<Timed> {
    let log_path = base.join(format!("{name}.log"));
    let port = free_port()?;
    let address = format!("127.0.0.1:{port}");
    println!(
        "==> the {name} run of `cargo xtask run` (output in {})",
        log_path.display()
    );
    let started = Instant::now();
    let mut child = fresh_run(base, clone, &address, &log_path)?;
    let answered = wait_for_url(&mut child, &address, &log_path);
    let total = started.elapsed();
    stop(&mut child);
    answered?;
    let log = fs::read_to_string(&log_path)
        .with_context(|| format!("cannot read {}", log_path.display()))?;
    let steps: Vec<String> = log
        .lines()
        .filter(|line| line.starts_with(STEP_DONE) || line.starts_with(ALL_DONE))
        .map(str::to_string)
        .collect();
    let in_steps: f64 = steps
        .iter()
        .filter(|line| line.starts_with(STEP_DONE))
        .filter_map(|line| {
            line.split(" took ")
                .nth(1)?
                .split(" s")
                .next()?
                .parse::<f64>()
                .ok()
        })
        .sum();
    println!(
        "<== the {name} run answered after {:.1} s",
        total.as_secs_f64()
    );
    Ok(Timed {
        total,
        before_steps: total.saturating_sub(Duration::from_secs_f64(in_steps)),
        steps,
    })
}

/// `cargo xtask run` in its own process group (stopped as a whole), with an empty cargo home
/// and npm cache under `base`, serving on `address`.
fn fresh_run(base: &Path, clone: &Path, address: &str, log_path: &Path) -> Result<Child> {
    let cargo_home = base.join("cargo-home");
    let log = fs::File::create(log_path)
        .with_context(|| format!("cannot create {}", log_path.display()))?;
    let errors = log.try_clone().context("cannot share the log")?;
    let path = std::env::var("PATH").unwrap_or_default();
    Command::new("cargo")
        .args(["xtask", "run"])
        .current_dir(clone)
        .env("CARGO_HOME", &cargo_home)
        .env(
            "PATH",
            format!("{}:{path}", cargo_home.join("bin").display()),
        )
        .env("npm_config_cache", base.join("npm-cache"))
        .env("BANKIDENT_LISTEN", address)
        .env(
            "BANKIDENT_MANAGEMENT_LISTEN",
            format!("127.0.0.1:{}", free_port()?),
        )
        .env_remove("CARGO_TARGET_DIR")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(errors)
        .process_group(0)
        .spawn()
        .context("cannot start `cargo xtask run`")
}

/// Waits until `GET /` on `address` answers 200; fails when the run ends first or takes too long.
fn wait_for_url(child: &mut Child, address: &str, log_path: &Path) -> Result {
    let deadline = Instant::now() + LONGEST_RUN;
    loop {
        if let Ok((status, _)) = crate::http::request(address, "GET", "/", &[], "")
            && status.contains(" 200 ")
        {
            return Ok(());
        }
        if let Some(status) = child.try_wait().context("cannot watch the run")? {
            return Err(anyhow!(
                "`cargo xtask run` ended ({status}) before its URL answered; the end of {}:\n{}",
                log_path.display(),
                last_lines(log_path, 30)
            ));
        }
        if Instant::now() > deadline {
            return Err(anyhow!(
                "`cargo xtask run` did not answer within {LONGEST_RUN:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Stops the run and everything it started (its process group): SIGTERM, then SIGKILL after
/// ten seconds.
fn stop(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_)) | Err(_)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.wait();
}

/// The last `count` lines of a file.
fn last_lines(path: &Path, count: usize) -> String {
    let Ok(file) = fs::File::open(path) else {
        return String::new();
    };
    let lines: Vec<String> = BufReader::new(file).lines().map_while(|l| l.ok()).collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}
