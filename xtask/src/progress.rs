//! Progress of a command made of long steps (`cargo xtask run` on a fresh machine takes
//! minutes): a line as each step starts, saying which of how many it is and how long the steps
//! still to come took on a fresh machine of the project's kind, and a line with the time each
//! took; at the end, every step's time (the figures docs/benchmarks.md records, read by
//! `cargo xtask bench first-run`).

use std::time::{Duration, Instant};

use crate::shell::Result;

/// One step: what it does, and how long it took on a fresh 2-core machine (docs/benchmarks.md,
/// "First run"); it takes seconds when its work is already done.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// What the step does, as the newcomer reads it.
    pub title: &'static str,
    /// Seconds it took on a fresh 2-core machine.
    pub fresh_seconds: u64,
}

/// The steps of one command and the time each took so far.
pub struct Progress {
    steps: &'static [Step],
    started: Instant,
    took: Vec<Duration>,
}

/// How the line with a step's time begins (the first-run benchmark reads it).
pub const STEP_DONE: &str = "<<< step";
/// How the line with every step's time begins.
pub const ALL_DONE: &str = "<<< all steps";

impl Progress {
    /// Progress through `steps`, from now.
    pub fn new(steps: &'static [Step]) -> Progress {
        Progress {
            steps,
            started: Instant::now(),
            took: Vec::new(),
        }
    }

    /// Runs the next step: `work` does it.
    pub fn step<T>(&mut self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        let index = self.took.len();
        let step = self.steps[index];
        let still_to_come: u64 = self.steps[index..].iter().map(|s| s.fresh_seconds).sum();
        println!(
            "\n[{}/{}] {} (on a fresh machine about {}; all that is left about {})",
            index + 1,
            self.steps.len(),
            step.title,
            minutes(step.fresh_seconds),
            minutes(still_to_come)
        );
        let started = Instant::now();
        let result = work();
        let took = started.elapsed();
        self.took.push(took);
        println!(
            "{STEP_DONE} {}/{} took {:.1} s: {}",
            index + 1,
            self.steps.len(),
            took.as_secs_f64(),
            step.title
        );
        result
    }

    /// Prints every step's time and the total.
    pub fn summary(&self) {
        println!(
            "{ALL_DONE}: {:.1} s ({})",
            self.started.elapsed().as_secs_f64(),
            self.took
                .iter()
                .zip(self.steps)
                .map(|(took, step)| format!("{}: {:.0} s", step.title, took.as_secs_f64()))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
}

/// A duration for a person: "20 s", "3 min".
fn minutes(seconds: u64) -> String {
    if seconds < 90 {
        format!("{seconds} s")
    } else {
        format!("{} min", (seconds + 30) / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_seconds_or_rounded_minutes() {
        assert_eq!(minutes(20), "20 s");
        assert_eq!(minutes(89), "89 s");
        assert_eq!(minutes(90), "2 min");
        assert_eq!(minutes(200), "3 min");
    }

    #[test]
    fn each_step_is_timed_in_order() {
        const STEPS: &[Step] = &[
            Step {
                title: "one",
                fresh_seconds: 1,
            },
            Step {
                title: "two",
                fresh_seconds: 2,
            },
        ];
        let mut progress = Progress::new(STEPS);
        assert_eq!(progress.step(|| Ok(1)).unwrap(), 1);
        assert!(
            progress
                .step(|| -> Result<()> { Err(anyhow::anyhow!("no")) })
                .is_err()
        );
        assert_eq!(progress.took.len(), 2);
    }
}
