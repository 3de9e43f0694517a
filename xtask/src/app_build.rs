//! The release build of the web app, split into lazily loaded modules:
//!
//! 1. cargo builds the app for wasm32 in the `wasm-release` profile with `--cfg
//!    bankident_split` (pages become split points, see `src/lazy_pages.rs`), `--cfg
//!    erase_components` and the linker's relocations (`--emit-relocs`), which the splitter needs;
//! 2. `wasm_split_cli_support` (the splitter cargo-leptos uses) cuts the module into the main
//!    module and one module per page plus shared chunks, and writes `__wasm_split.js`, which
//!    fetches them;
//! 3. wasm-bindgen makes the JS bindings of the main module (keeping the function table the
//!    chunks link against); wasm-opt `-Oz` shrinks every module;
//! 4. everything goes into `dist/app-<hash>/` (the hash covers all files, so browsers may cache
//!    them for good), and `dist/index.html` is made from `index.html` with the paths filled in.
//!
//! Trunk cannot do step 2 (trunk-rs/trunk#1022), so this replaces it.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::shell::{Result, command, root, run, run_quietly};

/// The name wasm-bindgen gives the main module's files.
pub const APP_NAME: &str = "bankident-app";
/// The file that loads the split modules.
pub const SPLIT_LOADER: &str = "__wasm_split.js";
/// The file listing each page's modules, read by the backend (`app_shell.rs`).
pub const PRELOAD_FILE: &str = "preload.json";
/// The folder prefix of a build inside dist/.
pub const APP_DIR_PREFIX: &str = "app-";

/// The wasm features rustc 1.95 emits, which wasm-opt must be told about.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds the app into `dist/`. Returns the app folder (`dist/app-<hash>`).
pub fn build(dist: &Path) -> Result<PathBuf> {
    let root = root();
    let mut cargo = command(
        "cargo",
        &[
            "build",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "--bin",
            APP_NAME,
        ],
    );
    cargo.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        "--cfg bankident_split --cfg erase_components -Clink-args=--emit-relocs",
    );
    run(cargo)?;
    let built = root
        .join("target/wasm32-unknown-unknown/wasm-release")
        .join(format!("{APP_NAME}.wasm"));

    let staging = root.join("target/app-build");
    recreate_dir(&staging)?;
    let page_modules = split(&built, &staging)?;
    bindgen(&staging)?;
    optimise(&staging)?;
    copy(&root.join("style/main.css"), &staging.join("main.css"))?;

    let app_dir_name = format!("{APP_DIR_PREFIX}{}", content_hash(&staging)?);
    recreate_dir(dist)?;
    let app_dir = dist.join(&app_dir_name);
    fs::rename(&staging, &app_dir)
        .map_err(|e| format!("cannot move the build to {}: {e}", app_dir.display()))?;
    let template = fs::read_to_string(root.join("index.html"))
        .map_err(|e| format!("cannot read index.html: {e}"))?;
    let index = index_html(&template, &format!("/{app_dir_name}"))?;
    fs::write(dist.join("index.html"), index)
        .map_err(|e| format!("cannot write dist/index.html: {e}"))?;
    let preloads = preload_json(&page_modules, &format!("/{app_dir_name}"));
    fs::write(dist.join(PRELOAD_FILE), preloads)
        .map_err(|e| format!("cannot write dist/{PRELOAD_FILE}: {e}"))?;
    Ok(app_dir)
}

fn recreate_dir(dir: &Path) -> Result {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn copy(from: &Path, to: &Path) -> Result {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Step 2: the main module goes to `staging/main.wasm`, the rest next to it. Returns, for each
/// split point, the file stems of the modules it needs.
fn split(built: &Path, staging: &Path) -> Result<HashMap<String, Vec<String>>> {
    println!("==> splitting {}", built.display());
    let input = fs::read(built).map_err(|e| format!("cannot read {}: {e}", built.display()))?;
    let main_out = staging.join("main.wasm");
    let main_module = format!("./{APP_NAME}.js");
    let link_name = format!("./{SPLIT_LOADER}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = staging;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| format!("splitting the app failed: {e:#}"))?;
    println!("    {} lazily loaded modules", split.split_modules.len());
    Ok(split.prefetch_map)
}

/// `preload.json` for the backend: each page path with the modules its page needs. Split points
/// are named after their page's path (`name_page` is `/name`, see `src/lazy_pages.rs`).
fn preload_json(page_modules: &HashMap<String, Vec<String>>, app_path: &str) -> String {
    let pages: BTreeMap<String, Vec<String>> = page_modules
        .iter()
        .filter_map(|(split_point, stems)| {
            let page = split_point.strip_suffix("_page")?;
            let files = stems
                .iter()
                .map(|stem| format!("{app_path}/{stem}.wasm"))
                .collect();
            Some((format!("/{page}"), files))
        })
        .collect();
    serde_json::to_string_pretty(&pages).expect("a map of strings serialises")
}

/// Step 3a: JS bindings for the main module.
fn bindgen(staging: &Path) -> Result {
    let main = staging.join("main.wasm");
    let staging_arg = staging.to_string_lossy();
    let main_arg = main.to_string_lossy();
    run(command(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--keep-lld-exports",
            "--out-dir",
            &staging_arg,
            "--out-name",
            APP_NAME,
            &main_arg,
        ],
    ))?;
    fs::remove_file(&main).map_err(|e| format!("cannot remove {}: {e}", main.display()))
}

/// Step 3b: wasm-opt on every module.
fn optimise(staging: &Path) -> Result {
    let mut modules = wasm_files(staging)?;
    modules.sort();
    println!("==> wasm-opt -Oz on {} modules", modules.len());
    for module in modules {
        let path = module.to_string_lossy();
        let mut args = vec!["-Oz", "--strip-debug", "--strip-producers"];
        args.extend_from_slice(WASM_FEATURES);
        args.extend_from_slice(&[&path, "-o", &path]);
        run_quietly(command("wasm-opt", &args))?;
    }
    Ok(())
}

fn wasm_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "wasm") {
            files.push(path);
        }
    }
    Ok(files)
}

/// The first 16 hex digits of the SHA-256 over every file's name and content.
fn content_hash(dir: &Path) -> Result<String> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    names.sort();
    let mut hasher = Sha256::new();
    for path in names {
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        hasher.update(path.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(hex::encode(hasher.finalize())[..16].to_string())
}

/// index.html with `{app}` replaced by the app folder's path. Fails when the template lacks it.
pub fn index_html(template: &str, app_path: &str) -> Result<String> {
    if !template.contains("{app}") {
        return Err("index.html has no {app} placeholder for the app's folder".to_string());
    }
    Ok(template.replace("{app}", app_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_html_points_at_the_app_folder() {
        let html = index_html(r#"<script src="{app}/a.js"></script>"#, "/app-0123").unwrap();
        assert_eq!(html, r#"<script src="/app-0123/a.js"></script>"#);
        assert!(index_html("<html></html>", "/app-0123").is_err());
    }

    #[test]
    fn preloads_are_listed_by_page_path() {
        let modules = HashMap::from([
            (
                "name_page".to_string(),
                vec!["chunk_12".to_string(), "split_name_page".to_string()],
            ),
            ("other".to_string(), vec!["chunk_1".to_string()]),
        ]);
        let json: BTreeMap<String, Vec<String>> =
            serde_json::from_str(&preload_json(&modules, "/app-0123")).unwrap();
        assert_eq!(
            json,
            BTreeMap::from([(
                "/name".to_string(),
                vec![
                    "/app-0123/chunk_12.wasm".to_string(),
                    "/app-0123/split_name_page.wasm".to_string()
                ]
            )])
        );
    }

    #[test]
    fn the_hash_follows_the_content() {
        let dir = std::env::temp_dir().join(format!("xtask-hash-{}", std::process::id()));
        recreate_dir(&dir).unwrap();
        fs::write(dir.join("a.js"), "one").unwrap();
        let first = content_hash(&dir).unwrap();
        assert_eq!(first, content_hash(&dir).unwrap());
        fs::write(dir.join("a.js"), "two").unwrap();
        let second = content_hash(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert_ne!(first, second);
        assert_eq!(second.len(), 16);
    }
}
