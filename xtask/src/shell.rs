//! Running commands: with the project's tool folders on PATH, echoing what runs, and failing
//! with the command line in the message.

use anyhow::{Context, anyhow};
use std::env;
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A failed step, with a message that says which and why.
pub type Result<T = ()> = anyhow::Result<T>;

/// The workspace root (the folder holding the root Cargo.toml).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one folder below the workspace root")
        .to_path_buf()
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// PATH with npm's tool folder (wasm-opt) and cargo's bin folder (wasm-bindgen) first.
pub fn tool_path() -> OsString {
    let mut dirs = vec![root().join("node_modules").join(".bin"), cargo_bin_dir()];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// A command run from the workspace root with the tool PATH.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(root())
        .env("PATH", tool_path())
        // xtask's builds are whole runs, not an edit loop: incremental state only costs disk
        // (11 GB of 32 GB in one measured debug target dir), and a CI machine's disk filled up.
        .env("CARGO_INCREMENTAL", "0");
    command
}

/// A command that runs `cargo xtask` again (Trunk's hook): with the caller's own
/// `CARGO_INCREMENTAL`, so that cargo finds xtask built as the caller built it (the setting is
/// part of the build's fingerprint; with another one, cargo builds xtask once more).
pub fn command_running_xtask(program: &str, args: &[&str]) -> Command {
    let mut command = command(program, args);
    match env::var_os("CARGO_INCREMENTAL") {
        Some(value) => command.env("CARGO_INCREMENTAL", value),
        None => command.env_remove("CARGO_INCREMENTAL"),
    };
    command
}

fn describe(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Prints how long the step that began at `started` took (where the time of a run goes).
fn took(line: &str, started: std::time::Instant) {
    let step: String = line.chars().take(100).collect();
    println!("<== {:.1} s: {step}", started.elapsed().as_secs_f64());
}

/// Runs a command to completion, output going straight to the terminal; then prints how long
/// it took.
pub fn run(mut command: Command) -> Result {
    let line = describe(&command);
    println!("==> {line}");
    let started = std::time::Instant::now();
    let status = command
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    took(&line, started);
    if status.success() {
        Ok(())
    } else {
        Err(anyhow!("`{line}` failed ({status})"))
    }
}

/// Runs a command to completion without echoing it; its output is shown only when it fails.
pub fn run_quietly(mut command: Command) -> Result {
    let line = describe(&command);
    let output = command
        .output()
        .with_context(|| format!("could not start `{line}`"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(anyhow!(
            "`{line}` failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs `cargo build` with `args` (a `--bin` among them) and returns where cargo put the binary
/// it names, from cargo's JSON messages (`compiler-artifact`), so a `CARGO_TARGET_DIR` or a
/// build profile's folder is never guessed. Diagnostics still reach the terminal.
pub fn cargo_build(args: &[&str], configure: impl FnOnce(&mut Command)) -> Result<PathBuf> {
    let bin = args
        .iter()
        .position(|arg| *arg == "--bin")
        .and_then(|at| args.get(at + 1))
        .ok_or_else(|| anyhow!("cargo_build needs a --bin"))?;
    let mut all = vec!["build", "--message-format=json-render-diagnostics"];
    all.extend_from_slice(args);
    let mut cargo = command("cargo", &all);
    configure(&mut cargo);
    let line = describe(&cargo);
    println!("==> {line}");
    let started = std::time::Instant::now();
    let output = cargo
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("could not start `{line}`"))?;
    took(&line, started);
    if !output.status.success() {
        return Err(anyhow!("`{line}` failed ({})", output.status));
    }
    built_artifact(&String::from_utf8_lossy(&output.stdout), bin)
        .ok_or_else(|| anyhow!("`{line}` named no artifact for the binary {bin}"))
}

/// The file cargo's JSON messages name for binary `bin`: its `executable`, or (for a wasm
/// target, which has none) its `.wasm` file.
fn built_artifact(messages: &str, bin: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| message["target"]["name"] == bin)
        .filter(|message| {
            message["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"))
        })
        .find_map(|message| {
            message["executable"]
                .as_str()
                .map(PathBuf::from)
                .or_else(|| {
                    message["filenames"].as_array()?.iter().find_map(|file| {
                        file.as_str()
                            .filter(|file| file.ends_with(".wasm"))
                            .map(PathBuf::from)
                    })
                })
        })
}

/// Runs a command and returns its standard output, trimmed; `None` if it cannot run or fails.
pub fn output(mut command: Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

#[cfg(test)]
mod artifact_tests {
    use super::*;

    #[test]
    fn the_binary_is_found_in_cargo_s_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"bankident_backend"},"filenames":["/t/libb.rlib"],"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"bankident-backend"},"filenames":["/t/release/bankident-backend"],"executable":"/t/release/bankident-backend"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"bankident-app"},"filenames":["/t/wasm32-unknown-unknown/wasm-release/bankident-app.wasm"],"executable":null}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            built_artifact(messages, "bankident-backend"),
            Some(PathBuf::from("/t/release/bankident-backend"))
        );
        assert_eq!(
            built_artifact(messages, "bankident-app"),
            Some(PathBuf::from(
                "/t/wasm32-unknown-unknown/wasm-release/bankident-app.wasm"
            ))
        );
        assert_eq!(built_artifact(messages, "other"), None);
    }
}

/// Test counts summed over the runs of a test command.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TestCounts {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
    /// Tests that were ignored.
    pub ignored: u64,
}

impl TestCounts {
    /// Adds the counts of one libtest summary line (`test result: ok. 5 passed; 0 failed; ...`),
    /// the format both cargo's harness and wasm-bindgen-test-runner print.
    /// Also adds node's test runner summary (`ℹ pass 12`, `ℹ fail 0`, `ℹ skipped 0`).
    pub fn add_summary_line(&mut self, line: &str) {
        if let Some(rest) = line.trim().strip_prefix("ℹ ") {
            let mut words = rest.split_whitespace();
            if let (Some(label), Some(Ok(number)), None) = (
                words.next(),
                words.next().map(str::parse::<u64>),
                words.next(),
            ) {
                match label {
                    "pass" => self.passed += number,
                    "fail" => self.failed += number,
                    "skipped" => self.ignored += number,
                    _ => {}
                }
            }
            return;
        }
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                "ignored" => self.ignored += number,
                _ => {}
            }
        }
    }
}

/// Runs a test command, echoing its output while adding up its summary lines into `counts`.
pub fn run_tests(mut command: Command, counts: &mut TestCounts) -> Result {
    let line = describe(&command);
    println!("==> {line}");
    let started = std::time::Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{line}`"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    for output_line in BufReader::new(stdout).lines() {
        let output_line = output_line.with_context(|| format!("reading `{line}`"))?;
        println!("{output_line}");
        counts.add_summary_line(&output_line);
    }
    let status = child
        .wait()
        .with_context(|| format!("waiting for `{line}`"))?;
    took(&line, started);
    if status.success() {
        Ok(())
    } else {
        Err(anyhow!("`{line}` failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_libtest_summary_lines() {
        let mut counts = TestCounts::default();
        counts.add_summary_line("test result: ok. 51 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.08s");
        counts.add_summary_line(
            "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        counts.add_summary_line("running 4 tests");
        counts.add_summary_line("ℹ tests 13");
        counts.add_summary_line("ℹ pass 12");
        counts.add_summary_line("ℹ fail 1");
        counts.add_summary_line("ℹ duration_ms 40168.97");
        counts.add_summary_line("test parse ... ok");
        assert_eq!(
            counts,
            TestCounts {
                passed: 66,
                failed: 2,
                ignored: 2
            }
        );
    }
}
