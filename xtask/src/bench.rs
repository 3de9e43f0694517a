//! `cargo xtask bench`: what a customer's browser downloads on first load (index.html and the
//! files it names: CSS, the JS bindings, the split loader and the main wasm module), raw and
//! compressed as the backend serves it (gzip level 9, brotli quality 11); then what arrives
//! after the first page (the lazily loaded page modules); then Lighthouse's mobile scores and
//! metrics (see `lighthouse.rs`); then the backend's load figures (see [`run_load`]).

use std::fs;
use std::path::{Path, PathBuf};

use crate::app_build::{APP_NAME, SPLIT_LOADER};
use crate::compress::{brotli, gzip, is_twin};
use crate::postgres::TestPostgres;
use crate::project::build_app;
use crate::shell::{Result, command, root, run as run_command};

/// The first-load budget of the web app (issue 5): at most 120 KB gzip, HTML, JS, wasm and CSS.
const FIRST_LOAD_BUDGET_KIB: f64 = 120.0;

/// One file's sizes in bytes.
struct FileSize {
    name: String,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

/// Builds the release app and prints its transfer size.
pub fn run() -> Result {
    build_app()?;
    let dist = root().join("dist");
    let app_dir = app_dir(&dist)?;
    let first_load: Vec<PathBuf> = vec![
        dist.join("index.html"),
        app_dir.join("main.css"),
        app_dir.join(format!("{APP_NAME}.js")),
        app_dir.join(SPLIT_LOADER),
        app_dir.join(format!("{APP_NAME}_bg.wasm")),
    ];
    let later: Vec<PathBuf> = files(&app_dir)?
        .into_iter()
        .filter(|path| !first_load.contains(path))
        .collect();
    let first_load_sizes = measure(&first_load)?;
    println!();
    println!("First load of the release app (dist/):");
    print_table(&first_load_sizes, 0);
    let gzip_kib = kib(first_load_sizes.iter().map(|s| s.gzip).sum());
    let verdict = if gzip_kib <= FIRST_LOAD_BUDGET_KIB {
        "within"
    } else {
        "OVER"
    };
    println!(
        "budget: first load at most {FIRST_LOAD_BUDGET_KIB:.0} KB gzip: {verdict} ({gzip_kib:.1} KB)"
    );
    println!();
    println!(
        "Loaded after the first page is shown ({} page modules and shared chunks, largest 8):",
        later.len()
    );
    print_table(&measure(&later)?, 8);
    {
        let backend = crate::served::ServedBackend::start("bench-backend")?;
        crate::lighthouse::run(&backend.url)?;
    }
    println!();
    run_load()
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
        .ok_or_else(|| format!("no app folder in {}", dist.display()))
}

/// The entries of a folder, without precompressed twins (they are what the server sends
/// instead of a file, not extra downloads).
fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
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
        let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
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
