//! `cargo xtask bench`: what a customer's browser downloads on first load (every file of the
//! release build in dist/, raw and compressed as the backend serves it: gzip level 9, brotli
//! quality 11, and the totals), then the backend's load figure (`crates/backend/benches`).

use std::fs;
use std::path::Path;

use crate::compress::{brotli, gzip, is_twin};
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
    let sizes = measure(&root().join("dist"))?;
    print_table(&sizes);
    println!();
    run_command(command(
        "cargo",
        &[
            "bench",
            "--package",
            "bankident-backend",
            "--bench",
            "open_load",
        ],
    ))
}

fn measure(dist: &Path) -> Result<Vec<FileSize>> {
    let entries = fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let mut sizes = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // Precompressed twins are what the server sends instead of a file, not extra downloads.
        if !path.is_file() || is_twin(&name) {
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        sizes.push(FileSize {
            name,
            raw: bytes.len(),
            gzip: gzip(&bytes).len(),
            brotli: brotli(&bytes).len(),
        });
    }
    sizes.sort_by_key(|size| std::cmp::Reverse(size.gzip));
    Ok(sizes)
}

fn print_table(sizes: &[FileSize]) {
    println!();
    println!("First load of the release app (dist/):");
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for size in sizes {
        println!(
            "{:<48} {:>10} {:>10} {:>10}",
            size.name, size.raw, size.gzip, size.brotli
        );
    }
    let total = |field: fn(&FileSize) -> usize| sizes.iter().map(field).sum::<usize>();
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        "total (bytes)",
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
    let gzip_kib = kib(total(|s| s.gzip));
    let verdict = if gzip_kib <= FIRST_LOAD_BUDGET_KIB {
        "within"
    } else {
        "OVER"
    };
    println!(
        "budget: first load at most {FIRST_LOAD_BUDGET_KIB:.0} KB gzip: {verdict} ({gzip_kib:.1} KB)"
    );
}

fn kib(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}
