//! `cargo xtask bench`: what a customer's browser downloads on first load (index.html and the
//! files it links: CSS, the JS bindings, the split loader and the main wasm module), raw and
//! compressed as the backend serves it (gzip level 9, brotli quality 11); then what arrives
//! after the first page (the lazily loaded page modules), the whole app, and `/name` and
//! `/callback` opened directly (with their preloaded modules), each against its budget; then Lighthouse's mobile scores and
//! metrics (see `lighthouse.rs`); then the backend's load figures (see [`run_load`]).

use anyhow::{Context, anyhow};
use std::fs;
use std::path::{Path, PathBuf};

use crate::app_build::PRELOAD_FILE;
use crate::compress::{brotli, gzip, is_twin};
use crate::postgres::TestPostgres;
use crate::project::build_app;
use crate::shell::{Result, command, root, run as run_command};

/// The size budgets of the web app, gzip level 9 of what the browser fetches.
const FIRST_LOAD_BUDGET_KIB: f64 = 90.0;
/// Every file of the app together.
const WHOLE_APP_BUDGET_KIB: f64 = 200.0;
/// A page opened directly (its shell, the first load and its preloaded modules).
const DIRECT_PAGE_BUDGET_KIB: f64 = 130.0;
/// Requests for a page opened directly.
const DIRECT_PAGE_REQUESTS: usize = 10;
/// The pages measured when opened directly.
const DIRECT_PAGES: [&str; 2] = ["/name", "/callback"];

/// One file's sizes in bytes.
struct FileSize {
    name: String,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

/// Builds the release app and prints its transfer size, Lighthouse's figures and the load
/// figures.
pub fn run() -> Result {
    run_sizes()?;
    {
        let backend = crate::served::ServedBackend::start("bench-backend")?;
        crate::lighthouse::run(&backend.url)?;
    }
    println!();
    run_load()
}

/// `cargo xtask bench size`: builds the release app and prints its transfer size against the
/// budgets: the first load, the whole app, and pages opened directly.
pub fn run_sizes() -> Result {
    build_app()?;
    let dist = root().join("dist");
    let index = dist.join("index.html");
    let html =
        fs::read_to_string(&index).with_context(|| format!("cannot read {}", index.display()))?;
    let mut first_load = vec![index.clone()];
    first_load.extend(linked_files(&html).iter().map(|path| dist.join(path)));
    let first_load_sizes = measure(&first_load)?;
    println!();
    println!("First load of the release app (dist/: index.html and what it links):");
    print_table(&first_load_sizes, 0);
    verdict("first load", &first_load_sizes, FIRST_LOAD_BUDGET_KIB);

    let app_dir = app_dir(&dist)?;
    let mut whole_app: Vec<PathBuf> = files(&dist)?
        .into_iter()
        .filter(|path| path.is_file() && !path.ends_with(PRELOAD_FILE))
        .collect();
    whole_app.extend(files(&app_dir)?);
    let later: Vec<PathBuf> = whole_app
        .iter()
        .filter(|path| !first_load.contains(path))
        .cloned()
        .collect();
    println!();
    println!(
        "Loaded after the first page is shown ({} page modules and shared chunks, largest 8):",
        later.len()
    );
    print_table(&measure(&later)?, 8);
    let whole_app_sizes = measure(&whole_app)?;
    println!();
    verdict(
        &format!("the whole app ({} files)", whole_app_sizes.len()),
        &whole_app_sizes,
        WHOLE_APP_BUDGET_KIB,
    );

    let preload_path = dist.join(PRELOAD_FILE);
    let preloads: std::collections::BTreeMap<String, Vec<String>> = serde_json::from_str(
        &fs::read_to_string(&preload_path)
            .with_context(|| format!("cannot read {}", preload_path.display()))?,
    )
    .with_context(|| format!("{}", preload_path.display()))?;
    for page in DIRECT_PAGES {
        let mut files = first_load.clone();
        for file in preloads.get(page).into_iter().flatten() {
            files.push(dist.join(file.trim_start_matches('/')));
        }
        let sizes = measure(&files)?;
        let requests = sizes.len();
        println!();
        verdict(
            &format!("{page} opened directly"),
            &sizes,
            DIRECT_PAGE_BUDGET_KIB,
        );
        let within = if requests <= DIRECT_PAGE_REQUESTS {
            "within"
        } else {
            "OVER"
        };
        println!(
            "budget: {page} opened directly in at most {DIRECT_PAGE_REQUESTS} requests: {within} ({requests})"
        );
    }
    Ok(())
}

/// Prints whether `sizes` together stay within `budget_kib` KB gzip.
fn verdict(what: &str, sizes: &[FileSize], budget_kib: f64) {
    let gzip_kib = kib(sizes.iter().map(|s| s.gzip).sum());
    let brotli_kib = kib(sizes.iter().map(|s| s.brotli).sum());
    let verdict = if gzip_kib <= budget_kib {
        "within"
    } else {
        "OVER"
    };
    println!(
        "budget: {what} at most {budget_kib:.0} KB gzip: {verdict} ({gzip_kib:.1} KB gzip, {brotli_kib:.1} KB brotli)"
    );
}

/// The site's own files an HTML page links to (`href="/…"`), without the leading `/`.
fn linked_files(html: &str) -> Vec<String> {
    html.split("href=\"/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// `cargo xtask bench lighthouse`: builds the release app and runs only Lighthouse.
pub fn run_lighthouse() -> Result {
    build_app()?;
    let backend = crate::served::ServedBackend::start("bench-backend")?;
    crate::lighthouse::run(&backend.url)
}

/// `cargo xtask bench load`: the steady-load benchmark (`crates/backend/benches/steady_load.rs`)
/// on SQLite and on a throwaway PostgreSQL with its default (durable) settings, one and two
/// backend instances each.
pub fn run_load() -> Result {
    let postgres = TestPostgres::start(true)?;
    let mut load = command(
        "cargo",
        &[
            "bench",
            "--package",
            "bankident-backend",
            "--bench",
            "steady_load",
        ],
    );
    load.env("BANKIDENT_BENCH_POSTGRES_URL", &postgres.url);
    run_command(load)
}

/// The one `app-<hash>` folder of the build.
fn app_dir(dist: &Path) -> Result<PathBuf> {
    files(dist)?
        .into_iter()
        .find(|path| {
            path.is_dir()
                && path
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with("app-"))
        })
        .ok_or_else(|| anyhow!("no app folder in {}", dist.display()))
}

/// The entries of a folder, without precompressed twins (they are what the server sends
/// instead of a file, not extra downloads).
fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read {}", dir.display()))?
            .path();
        if !is_twin(&path.file_name().unwrap_or_default().to_string_lossy()) {
            paths.push(path);
        }
    }
    Ok(paths)
}

fn measure(paths: &[PathBuf]) -> Result<Vec<FileSize>> {
    let mut sizes = Vec::new();
    for path in paths {
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        sizes.push(FileSize {
            name: path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            raw: bytes.len(),
            gzip: gzip(&bytes).len(),
            brotli: brotli(&bytes).len(),
        });
    }
    sizes.sort_by_key(|size| std::cmp::Reverse(size.gzip));
    Ok(sizes)
}

/// Prints the sizes (the largest `limit` rows, all when 0) and their totals.
fn print_table(sizes: &[FileSize], limit: usize) {
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let shown = if limit == 0 { sizes.len() } else { limit };
    for size in sizes.iter().take(shown) {
        println!(
            "{:<48} {:>10} {:>10} {:>10}",
            size.name, size.raw, size.gzip, size.brotli
        );
    }
    let total = |field: fn(&FileSize) -> usize| sizes.iter().map(field).sum::<usize>();
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        format!("total of {} files (bytes)", sizes.len()),
        total(|s| s.raw),
        total(|s| s.gzip),
        total(|s| s.brotli)
    );
    println!(
        "total: {:.1} KB raw, {:.1} KB gzip, {:.1} KB brotli",
        kib(total(|s| s.raw)),
        kib(total(|s| s.gzip)),
        kib(total(|s| s.brotli))
    );
}

fn kib(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_files_a_page_links() {
        let html = r#"<link rel="icon" href="data:,"><link rel="stylesheet" href="/main-1f.css" integrity="x"/>
            <link rel="modulepreload" href="/app-0123/bankident-app.js">"#;
        assert_eq!(
            linked_files(html),
            vec![
                "main-1f.css".to_string(),
                "app-0123/bankident-app.js".to_string()
            ]
        );
    }
}
