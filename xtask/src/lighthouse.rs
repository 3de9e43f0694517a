//! Lighthouse (npm, Debian's Chromium) on pages served by the release backend with compression:
//! mobile scores (performance, accessibility, best practices) and metrics (FCP, LCP, TBT, CLS).
//! Each page runs five times and the run with the median performance score is reported, as
//! Lighthouse's own guidance suggests for its run-to-run variance.

use anyhow::{Context, anyhow};
use serde_json::Value;

use crate::shell::{Result, command, root};
use crate::tools::CHROMIUM;

/// The pages measured: the start page, a form page and the return from the bank, each opened
/// directly.
pub const PAGES: &[(&str, &str)] = &[
    ("start page", "/?lang=de"),
    ("name page", "/name?lang=de"),
    ("callback page", "/callback?lang=de"),
];

/// The scores the app is held to: performance, accessibility, best practices.
pub const TARGET_SCORES: [f64; 3] = [0.99, 1.0, 1.0];

const RUNS: usize = 5;
const CHROME_FLAGS: &str = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
     --disable-background-networking --disable-component-update --disable-sync --no-first-run";

/// One Lighthouse result.
#[derive(Debug)]
pub struct Report {
    /// performance, accessibility, best practices (0 to 1).
    pub scores: [f64; 3],
    /// First Contentful Paint, ms.
    pub fcp_ms: f64,
    /// Largest Contentful Paint, ms.
    pub lcp_ms: f64,
    /// Total Blocking Time, ms.
    pub tbt_ms: f64,
    /// Cumulative Layout Shift.
    pub cls: f64,
}

/// Runs Lighthouse on every page of [`PAGES`] at `base_url` and prints the results.
pub fn run(base_url: &str) -> Result {
    println!();
    println!(
        "Lighthouse 12 (mobile, simulated throttling), median of {RUNS} runs, served by the release backend:"
    );
    println!(
        "{:<12} {:>11} {:>13} {:>14} {:>8} {:>8} {:>8} {:>6}",
        "page",
        "performance",
        "accessibility",
        "best practices",
        "FCP ms",
        "LCP ms",
        "TBT ms",
        "CLS"
    );
    let mut met = true;
    for (name, path) in PAGES {
        let mut reports = Vec::new();
        for _ in 0..RUNS {
            reports.push(measure(&format!("{base_url}{path}"))?);
        }
        reports.sort_by(|a, b| a.scores[0].total_cmp(&b.scores[0]));
        let median = &reports[RUNS / 2];
        met &= median
            .scores
            .iter()
            .zip(TARGET_SCORES)
            .all(|(score, target)| *score >= target);
        println!(
            "{:<12} {:>11.2} {:>13.2} {:>14.2} {:>8.0} {:>8.0} {:>8.0} {:>6.3}",
            name,
            median.scores[0],
            median.scores[1],
            median.scores[2],
            median.fcp_ms,
            median.lcp_ms,
            median.tbt_ms,
            median.cls
        );
    }
    let verdict = if met { "met" } else { "NOT met" };
    println!(
        "target: performance at least {}, accessibility and best practices {} on every page: {verdict}",
        TARGET_SCORES[0], TARGET_SCORES[1]
    );
    Ok(())
}

/// One Lighthouse run; a run Lighthouse itself reports as broken (e.g. NO_NAVSTART) is retried.
fn measure(url: &str) -> Result<Report> {
    let output = root().join("target/lighthouse.json");
    let output_arg = format!("--output-path={}", output.display());
    let flags_arg = format!("--chrome-flags={CHROME_FLAGS}");
    let mut last_problem = String::new();
    for _ in 0..3 {
        let mut lighthouse = command(
            "lighthouse",
            &[
                url,
                "--quiet",
                "--output=json",
                &output_arg,
                "--only-categories=performance,accessibility,best-practices",
                &flags_arg,
            ],
        );
        lighthouse.env("CHROME_PATH", CHROMIUM);
        let _ = crate::shell::run_quietly(lighthouse);
        let json = std::fs::read_to_string(&output).unwrap_or_default();
        match parse(&json) {
            Ok(report) => return Ok(report),
            Err(problem) => last_problem = problem.to_string(),
        }
    }
    Err(anyhow!("Lighthouse failed on {url}: {last_problem}"))
}

/// Reads a Lighthouse JSON report.
pub fn parse(json: &str) -> Result<Report> {
    let report: Value = serde_json::from_str(json).context("no Lighthouse report")?;
    if let Some(error) = report["runtimeError"]["code"].as_str() {
        return Err(anyhow!("Lighthouse runtime error {error}"));
    }
    let score = |category: &str| {
        report["categories"][category]["score"]
            .as_f64()
            .ok_or_else(|| anyhow!("no {category} score"))
    };
    let metric = |audit: &str| {
        report["audits"][audit]["numericValue"]
            .as_f64()
            .ok_or_else(|| anyhow!("no {audit} value"))
    };
    Ok(Report {
        scores: [
            score("performance")?,
            score("accessibility")?,
            score("best-practices")?,
        ],
        fcp_ms: metric("first-contentful-paint")?,
        lcp_ms: metric("largest-contentful-paint")?,
        tbt_ms: metric("total-blocking-time")?,
        cls: metric("cumulative-layout-shift")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_scores_and_metrics_and_refuses_broken_runs() {
        let json = r#"{"categories":{"performance":{"score":0.95},"accessibility":{"score":1},
            "best-practices":{"score":1}},"audits":{"first-contentful-paint":{"numericValue":1147.2},
            "largest-contentful-paint":{"numericValue":2669},"total-blocking-time":{"numericValue":144},
            "cumulative-layout-shift":{"numericValue":0}}}"#;
        let report = parse(json).unwrap();
        assert_eq!(report.scores, [0.95, 1.0, 1.0]);
        assert_eq!(report.lcp_ms, 2669.0);
        let broken = r#"{"runtimeError":{"code":"NO_NAVSTART"},"categories":{"performance":{"score":null}}}"#;
        assert!(
            parse(broken)
                .unwrap_err()
                .to_string()
                .contains("NO_NAVSTART")
        );
        assert!(parse("").is_err());
    }
}
