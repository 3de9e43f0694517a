//! The app's build, behind both of its entry points (`Trunk.toml` runs it as a post-build hook,
//! `cargo xtask trunk-hook`, so `trunk serve` and `trunk build --release` use it; `cargo xtask
//! run` runs it without Trunk, [`build_release_without_trunk`]):
//!
//! 1. cargo builds the app for wasm32: in `debug` (`trunk serve`) with cargo's dev profile as one
//!    module; in `release` with the `wasm-release` profile, `--cfg bankident_split` (pages become
//!    split points, see `src/lazy_pages.rs`), `--cfg erase_components` and the linker's
//!    relocations (`--emit-relocs`), which the splitter needs;
//! 2. (release) `wasm_split_cli_support` (the splitter cargo-leptos uses) cuts the module into
//!    the main module and one module per page plus shared chunks, and writes `__wasm_split.js`,
//!    which fetches them;
//! 3. wasm-bindgen (its library) makes the JS bindings of the main module (keeping the function
//!    table the chunks link against); (release) wasm-opt `-Oz` shrinks every module, terser the
//!    JavaScript;
//! 4. everything goes into `app-<hash>/` with index.html's stylesheets (the hash covers all
//!    files, so browsers may cache them for good), the loader (preloads with integrity, the
//!    start script) takes the place of the Rust link in index.html and the stylesheet links
//!    point into the folder with their integrity, and (release) `preload.json` lists each
//!    page's modules and every file gets precompressed twins.
//!
//! Steps 2 to 4 are skipped when nothing they read has changed (the last build's folder is
//! reused, `target/app-cache/`): a second `cargo xtask run` starts in seconds.
//!
//! Trunk cannot do step 2 (trunk-rs/trunk#1022), so the Rust link in index.html is
//! `data-trunk-skip` and this hook builds the Rust in both profiles; Trunk serves, watches,
//! reloads and proxies in the development loop.

use anyhow::{Context, anyhow};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256, Sha384};

use crate::compress::precompress;
use crate::shell::{Result, cargo_bin_dir, cargo_build, command, root, run_quietly};

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

/// How the app is built: Trunk's `debug` (`trunk serve`, `trunk build`) or `release`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Cargo's dev profile, one module, no wasm-opt: quick to rebuild, with names for debugging.
    Debug,
    /// The `wasm-release` profile, split into page modules, wasm-opt `-Oz` on each.
    Release,
}

impl Profile {
    /// The profile Trunk names in `TRUNK_PROFILE`.
    pub fn from_trunk(name: &str) -> Result<Profile> {
        match name {
            "debug" => Ok(Profile::Debug),
            "release" => Ok(Profile::Release),
            other => Err(anyhow!(
                "TRUNK_PROFILE is {other:?}, expected debug or release"
            )),
        }
    }
}

/// `cargo xtask trunk-hook`: Trunk's post-build hook (see `Trunk.toml`). Trunk has processed
/// index.html and the CSS into its staging folder and left the Rust link alone
/// (`data-trunk-skip`); this builds the app into the staging folder and puts its loader where
/// the Rust link was.
pub fn trunk_hook() -> Result {
    let variable = |name: &str| {
        std::env::var(name).map_err(|_| anyhow!("{name} is not set: run this through Trunk"))
    };
    let profile = Profile::from_trunk(&variable("TRUNK_PROFILE")?)?;
    let staging = PathBuf::from(variable("TRUNK_STAGING_DIR")?);
    let public_url = variable("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".to_string());
    build_into(&staging, profile, public_url.trim_end_matches('/'))
}

/// `cargo xtask run`'s build of the release app, without Trunk: index.html goes into a staging
/// folder, the same steps as Trunk's hook run on it ([`build_into`]), and the staging folder
/// replaces dist/. Trunk adds nothing to a release build here (the stylesheet is this pipeline's
/// too), so this gives the dist/ `trunk build --release` gives, byte for byte; the test command
/// builds both and compares them ([`crate::test`]).
pub fn build_release_without_trunk(dist: &Path) -> Result {
    let staging = root().join("target/app-staging");
    recreate_dir(&staging)?;
    copy(&root().join("index.html"), &staging.join("index.html"))?;
    build_into(&staging, Profile::Release, "")?;
    if dist.exists() {
        fs::remove_dir_all(dist).with_context(|| format!("cannot remove {}", dist.display()))?;
    }
    fs::rename(&staging, dist)
        .with_context(|| format!("cannot move the build to {}", dist.display()))
}

/// Builds the app into `staging` (holding index.html, Trunk's or the source's): the modules and
/// the stylesheets in `staging/app-<hash>/`, `preload.json` next to index.html (release), the
/// loader and the stylesheet links in index.html, precompressed twins (release). `base` is the
/// public URL without its last `/`. When the compiled module, the stylesheets and xtask's code
/// are what the last build of the profile had, that build's app folder is reused (the split,
/// wasm-opt and the compression take 16 s; see [`AppCache`]).
fn build_into(staging: &Path, profile: Profile, base: &str) -> Result {
    let built = compile(profile)?;
    let index_path = staging.join("index.html");
    let source_html = fs::read_to_string(&index_path)
        .with_context(|| format!("cannot read {}", index_path.display()))?;
    let stylesheets = stylesheet_files(&source_html)?;
    let cache = AppCache::new(profile, &built, &stylesheets)?;
    let app = match cache.load()? {
        Some(app) => {
            println!(
                "==> the app is what the last {} build made: reusing it",
                format!("{profile:?}").to_lowercase()
            );
            app
        }
        None => cache.store(process(&built, profile, &stylesheets)?)?,
    };
    let app_dir = staging.join(&app.name);
    copy_dir(&app.dir, &app_dir)?;
    let app_path = format!("{base}/{}", app.name);
    let index = with_loader(&source_html, &loader_html(&app_dir, &app_path)?)?;
    let index = with_stylesheet_links(&index, &app_dir, &app_path)?;
    fs::write(&index_path, index)
        .with_context(|| format!("cannot write {}", index_path.display()))?;
    if let Some(page_modules) = app.page_modules {
        let preloads = preload_json(&page_modules, &app_path);
        fs::write(staging.join(PRELOAD_FILE), preloads)
            .with_context(|| format!("cannot write {PRELOAD_FILE}"))?;
        precompress(staging)?;
    }
    Ok(())
}

/// The app folder of a build: its files, its name (`app-<hash>`) and, in release, the modules
/// of each split point.
struct BuiltApp {
    dir: PathBuf,
    name: String,
    page_modules: Option<HashMap<String, Vec<String>>>,
}

/// Steps 2 and 3 (and the stylesheets): the compiled module becomes the app folder, in a
/// folder of this process's own (`target/app-build-<pid>/`: a `trunk serve` and a `cargo xtask
/// run` may build at once), removed when a step fails.
fn process(built: &Path, profile: Profile, stylesheets: &[PathBuf]) -> Result<BuiltApp> {
    let work = root().join(format!("target/app-build-{}", std::process::id()));
    recreate_dir(&work)?;
    let page_modules = process_in(&work, built, profile, stylesheets).inspect_err(|_| {
        let _ = fs::remove_dir_all(&work);
    })?;
    let name = format!("{APP_DIR_PREFIX}{}", content_hash(&work)?);
    if profile == Profile::Release {
        precompress(&work)?;
    }
    Ok(BuiltApp {
        dir: work,
        name,
        page_modules,
    })
}

/// The steps of [`process`] in `work`; returns the page modules (release).
fn process_in(
    work: &Path,
    built: &Path,
    profile: Profile,
    stylesheets: &[PathBuf],
) -> Result<Option<HashMap<String, Vec<String>>>> {
    let page_modules = match profile {
        Profile::Release => Some(split(built, work)?),
        Profile::Debug => {
            copy(built, &work.join("main.wasm"))?;
            None
        }
    };
    bindgen(work, profile)?;
    if profile == Profile::Release {
        optimise(work)?;
        minify_scripts(work)?;
    }
    for stylesheet in stylesheets {
        copy(stylesheet, &work.join(file_name(stylesheet)))?;
    }
    Ok(page_modules)
}

/// The last build of each profile, in `target/app-cache/<profile>/`: the app folder, its name,
/// the page modules and the key it was built for (the SHA-256 of the compiled module, the
/// stylesheets, xtask's sources and lock file, whose steps made it, and whether names are
/// kept).
struct AppCache {
    dir: PathBuf,
    key: String,
}

impl AppCache {
    fn new(profile: Profile, built: &Path, stylesheets: &[PathBuf]) -> Result<AppCache> {
        let mut hasher = Sha256::new();
        hasher.update(format!("{profile:?}"));
        for input in std::iter::once(built).chain(stylesheets.iter().map(PathBuf::as_path)) {
            let bytes =
                fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        // The steps' own code: xtask's sources and the lock file (not the program's file, which
        // cargo may rebuild unchanged from another caller's environment).
        let mut sources = files_ending(&root().join("xtask/src"), "rs")?;
        sources.sort();
        sources.extend([root().join("xtask/Cargo.toml"), root().join("Cargo.lock")]);
        for source in sources {
            let bytes =
                fs::read(&source).with_context(|| format!("cannot read {}", source.display()))?;
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        // A build keeping the names (for twiggy) is another build.
        hasher.update([u8::from(std::env::var_os(KEEP_NAMES).is_some())]);
        Ok(AppCache {
            dir: root()
                .join("target/app-cache")
                .join(format!("{profile:?}").to_lowercase()),
            key: hex::encode(hasher.finalize()),
        })
    }

    /// The cached build, when its key is this one.
    fn load(&self) -> Result<Option<BuiltApp>> {
        let key = fs::read_to_string(self.dir.join("key")).unwrap_or_default();
        // A folder removed by hand is built anew, not an error.
        if key != self.key || !self.dir.join("app").is_dir() {
            return Ok(None);
        }
        let name =
            fs::read_to_string(self.dir.join("name")).context("the app cache has no name")?;
        let page_modules = match fs::read_to_string(self.dir.join("page_modules.json")) {
            Ok(json) => {
                Some(serde_json::from_str(&json).context("page_modules.json of the app cache")?)
            }
            Err(_) => None,
        };
        Ok(Some(BuiltApp {
            dir: self.dir.join("app"),
            name,
            page_modules,
        }))
    }

    /// Keeps `app` as the profile's last build (the key is written last: a build cut off in
    /// between is never reused).
    fn store(&self, app: BuiltApp) -> Result<BuiltApp> {
        recreate_dir(&self.dir)?;
        let dir = self.dir.join("app");
        fs::rename(&app.dir, &dir)
            .with_context(|| format!("cannot move the build to {}", dir.display()))?;
        let write = |file: &str, text: &str| {
            fs::write(self.dir.join(file), text)
                .with_context(|| format!("cannot write {}", self.dir.join(file).display()))
        };
        write("name", &app.name)?;
        if let Some(page_modules) = &app.page_modules {
            write(
                "page_modules.json",
                &serde_json::to_string(page_modules).expect("a map of strings serialises"),
            )?;
        }
        write("key", &self.key)?;
        Ok(BuiltApp { dir, ..app })
    }
}

/// The files of index.html's own stylesheets (`<link rel="stylesheet" href="style/…">`, paths
/// from the workspace root).
fn stylesheet_files(html: &str) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for tag in link_tags(html) {
        if let Some(href) = own_stylesheet(tag) {
            let file = root().join(href);
            if !file.is_file() {
                return Err(anyhow!(
                    "index.html links the stylesheet {href}, which does not exist"
                ));
            }
            files.push(file);
        }
    }
    Ok(files)
}

/// The `href` of a `<link rel="stylesheet">` naming a file of the workspace (not an absolute
/// path or URL).
fn own_stylesheet(tag: &str) -> Option<&str> {
    if !tag.contains("rel=\"stylesheet\"") {
        return None;
    }
    let href = tag.split("href=\"").nth(1)?.split('"').next()?;
    let relative = !href.starts_with('/') && !href.contains(':');
    relative.then_some(href)
}

/// The `<link …>` tags of an HTML text.
fn link_tags(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("<link").filter_map(|(start, _)| {
        let end = start + html[start..].find('>')? + 1;
        Some(&html[start..end])
    })
}

/// index.html with each own stylesheet's link pointing into the app folder (`app_dir`, which the
/// browser sees at `app_path`), with its integrity.
fn with_stylesheet_links(html: &str, app_dir: &Path, app_path: &str) -> Result<String> {
    let mut result = html.to_string();
    for tag in link_tags(html) {
        let Some(href) = own_stylesheet(tag) else {
            continue;
        };
        let name = file_name(Path::new(href));
        let path = app_dir.join(&name);
        let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let link = format!(
            "<link rel=\"stylesheet\" href=\"{app_path}/{name}\" integrity=\"{}\">",
            integrity(&bytes)
        );
        result = result.replacen(tag, &link, 1);
    }
    Ok(result)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Copies the files of `from` (no subfolders) into a new folder `to`.
fn copy_dir(from: &Path, to: &Path) -> Result {
    recreate_dir(to)?;
    for file in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let path = file
            .with_context(|| format!("cannot read {}", from.display()))?
            .path();
        copy(&path, &to.join(file_name(&path)))?;
    }
    Ok(())
}

/// Step 1: cargo builds the app for wasm32. Returns the built module.
fn compile(profile: Profile) -> Result<PathBuf> {
    let (cargo_profile, flags) = match profile {
        Profile::Release => (
            "wasm-release",
            "--cfg bankident_split --cfg erase_components -Clink-args=--emit-relocs",
        ),
        Profile::Debug => ("dev", ""),
    };
    let mut flags = flags.to_string();
    if profile == Profile::Release {
        flags.push_str(&short_source_paths());
    }
    cargo_build(
        &[
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            cargo_profile,
            "--bin",
            APP_NAME,
        ],
        |cargo| {
            cargo.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", flags);
        },
    )
}

fn recreate_dir(dir: &Path) -> Result {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

fn copy(from: &Path, to: &Path) -> Result {
    fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
}

/// `--remap-path-prefix` flags that cut the crates' folders from the source paths that panic
/// messages carry (`/root/.cargo/registry/src/index.crates.io-…/tachys-0.2.19/src/…` becomes
/// `tachys-0.2.19/src/…`; about 80 of them are in the app).
fn short_source_paths() -> String {
    let registry = cargo_bin_dir().with_file_name("registry").join("src");
    let mut prefixes: Vec<PathBuf> = fs::read_dir(&registry)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect()
        })
        .unwrap_or_default();
    prefixes.push(root());
    prefixes
        .iter()
        .map(|prefix| prefix.to_string_lossy().into_owned())
        .filter(|prefix| !prefix.contains(' '))
        .map(|prefix| format!(" --remap-path-prefix={prefix}/="))
        .collect()
}

/// Step 2: the main module goes to `work/main.wasm`, the rest next to it. Returns, for each
/// split point, the file stems of the modules it needs.
fn split(built: &Path, staging: &Path) -> Result<HashMap<String, Vec<String>>> {
    println!("==> splitting {}", built.display());
    let input = fs::read(built).with_context(|| format!("cannot read {}", built.display()))?;
    let main_out = staging.join("main.wasm");
    let main_module = format!("./{APP_NAME}.js");
    let link_name = format!("./{SPLIT_LOADER}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = staging;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| anyhow!("splitting the app failed: {e:#}"))?;
    println!("    {} lazily loaded modules", split.split_modules.len());
    Ok(split.prefetch_map)
}

/// `preload.json` for the backend: each page path with the modules its page needs. A module is
/// named after the paths of its pages joined by `_` (`name_birth` holds `/name` and `/birth`,
/// see `src/lazy_pages.rs`).
fn preload_json(page_modules: &HashMap<String, Vec<String>>, app_path: &str) -> String {
    let mut pages: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, stems) in page_modules {
        let files: Vec<String> = stems
            .iter()
            .map(|stem| format!("{app_path}/{stem}.wasm"))
            .collect();
        for page in module.split('_') {
            pages.insert(format!("/{page}"), files.clone());
        }
    }
    serde_json::to_string_pretty(&pages).expect("a map of strings serialises")
}

/// Step 3a: JS bindings for the main module (`main.wasm` in `work`), with wasm-bindgen's
/// library (what `wasm-bindgen --target web --no-typescript --keep-lld-exports` runs).
fn bindgen(work: &Path, profile: Profile) -> Result {
    let main = work.join("main.wasm");
    let debug = profile == Profile::Debug;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .web(true)
        .map_err(|e| anyhow!("wasm-bindgen: {e:#}"))?
        .input_path(&main)
        .out_name(APP_NAME)
        .typescript(false)
        .keep_lld_exports(true)
        // As the command line has it: init() without an argument finds the module next to the
        // bindings (the loader names it anyway).
        .omit_default_module_path(false)
        .debug(debug)
        .keep_debug(debug)
        .generate(work)
        .map_err(|e| anyhow!("wasm-bindgen on {}: {e:#}", main.display()))?;
    fs::remove_file(&main).with_context(|| format!("cannot remove {}", main.display()))
}

/// With this variable set, the release keeps the functions' names (for twiggy: `twiggy top
/// dist/app-*/bankident-app_bg.wasm`); the sizes are then not the shipped ones.
const KEEP_NAMES: &str = "BANKIDENT_WASM_NAMES";

/// Step 3b: wasm-opt on every module, as many at once as the machine has cores.
fn optimise(staging: &Path) -> Result {
    let keep_names = std::env::var_os(KEEP_NAMES).is_some();
    let mut modules = files_ending(staging, "wasm")?;
    modules.sort();
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "==> wasm-opt -Oz on {} modules, {workers} at once",
        modules.len()
    );
    let next = std::sync::Mutex::new(modules.into_iter());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result {
                    loop {
                        // The lock is let go before the module is worked on.
                        let Some(module) = next.lock().expect("no worker panics").next() else {
                            return Ok(());
                        };
                        let path = module.to_string_lossy();
                        let mut args = if keep_names {
                            vec!["-Oz", "-g"]
                        } else {
                            vec!["-Oz", "--strip-debug", "--strip-producers"]
                        };
                        args.extend_from_slice(WASM_FEATURES);
                        args.extend_from_slice(&[&path, "-o", &path]);
                        run_quietly(command("wasm-opt", &args))?;
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|handle| handle.join().expect("a wasm-opt worker panicked"))
    })
}

/// Step 3c: terser on the JavaScript (wasm-bindgen's bindings, the split loader): about a
/// quarter less to download (gzip: 8.9 to 6.7 KB and 0.9 to 0.5 KB, measured). Modules, so
/// their exports keep their names.
fn minify_scripts(work: &Path) -> Result {
    for path in files_ending(work, "js")? {
        let file = path.to_string_lossy();
        run_quietly(command(
            "terser",
            &[&file, "--module", "--compress", "--mangle", "-o", &file],
        ))?;
    }
    Ok(())
}

/// The files of `dir` whose extension is `extension`.
fn files_ending(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == extension) {
            files.push(path);
        }
    }
    Ok(files)
}

/// The first 16 hex digits of the SHA-256 over every file's name and content.
fn content_hash(dir: &Path) -> Result<String> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    names.sort();
    let mut hasher = Sha256::new();
    for path in names {
        let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        hasher.update(path.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(hex::encode(hasher.finalize())[..16].to_string())
}

/// The tags that load the app from `app_path` (the app folder as the browser sees it): module
/// preloads with their integrity, the main module's preload, and the script that starts it.
/// The wasm preload carries no integrity: wasm-bindgen's `init` fetches the module without one,
/// and a preload is only used by a fetch with the same integrity.
fn loader_html(app_dir: &Path, app_path: &str) -> Result<String> {
    let mut html = String::new();
    for script in [format!("{APP_NAME}.js"), SPLIT_LOADER.to_string()] {
        let path = app_dir.join(&script);
        if !path.exists() {
            continue;
        }
        let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        html.push_str(&format!(
            "<link rel=\"modulepreload\" href=\"{app_path}/{script}\" integrity=\"{}\">\n",
            integrity(&bytes)
        ));
    }
    html.push_str(&format!(
        "<link rel=\"preload\" href=\"{app_path}/{APP_NAME}_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n\
         <script type=\"module\">import init from \"{app_path}/{APP_NAME}.js\"; init({{ module_or_path: \"{app_path}/{APP_NAME}_bg.wasm\" }});</script>"
    ));
    Ok(html)
}

/// A subresource integrity value: SHA-384, base64.
fn integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// Trunk's index.html with the Rust link (which Trunk leaves in place, `data-trunk-skip`)
/// replaced by `loader`. Fails when there is no such link.
pub fn with_loader(trunk_html: &str, loader: &str) -> Result<String> {
    let missing = || {
        anyhow!(
            "index.html has no <link data-trunk rel=\"rust\" data-trunk-skip> for the app's loader"
        )
    };
    let mut search_from = 0;
    while let Some(offset) = trunk_html[search_from..].find("<link") {
        let start = search_from + offset;
        let end = start + trunk_html[start..].find('>').ok_or_else(missing)? + 1;
        let tag = &trunk_html[start..end];
        if tag.contains("rel=\"rust\"") && tag.contains("data-trunk-skip") {
            return Ok(format!(
                "{}{loader}{}",
                &trunk_html[..start],
                &trunk_html[end..]
            ));
        }
        search_from = end;
    }
    Err(missing())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_takes_the_place_of_the_rust_link() {
        let trunk_html = "<head><link rel=\"stylesheet\" href=\"/main-1.css\"/>\
            <link data-trunk rel=\"rust\" data-bin=\"bankident-app\" data-trunk-skip data-trunk-id=\"1\"/>\
            <title>x</title></head>";
        let html = with_loader(trunk_html, "<script>LOADER</script>").unwrap();
        assert_eq!(
            html,
            "<head><link rel=\"stylesheet\" href=\"/main-1.css\"/><script>LOADER</script><title>x</title></head>"
        );
        assert!(with_loader("<head><link rel=\"stylesheet\"></head>", "x").is_err());
        assert!(with_loader("<link data-trunk rel=\"rust\">", "x").is_err());
    }

    #[test]
    fn only_the_workspace_s_own_stylesheets_are_built_in() {
        assert_eq!(
            own_stylesheet("<link rel=\"stylesheet\" href=\"style/main.css\">"),
            Some("style/main.css")
        );
        assert_eq!(
            own_stylesheet("<link rel=\"stylesheet\" href=\"/app-1/main.css\">"),
            None
        );
        assert_eq!(
            own_stylesheet("<link rel=\"stylesheet\" href=\"https://x.example/a.css\">"),
            None
        );
        assert_eq!(own_stylesheet("<link rel=\"icon\" href=\"x.css\">"), None);
    }

    #[test]
    fn a_stylesheet_link_points_into_the_app_folder_with_its_integrity() {
        let dir = std::env::temp_dir().join(format!("xtask-css-{}", std::process::id()));
        recreate_dir(&dir).unwrap();
        fs::write(dir.join("main.css"), "").unwrap();
        let html = "<head><link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"style/main.css\"></head>";
        let linked = with_stylesheet_links(html, &dir, "/app-0123").unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            linked,
            "<head><link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/app-0123/main.css\" \
             integrity=\"sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb\"></head>"
        );
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // The empty input's SHA-384, as `openssl dgst -sha384 -binary | base64` gives it.
        assert_eq!(
            integrity(b""),
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
        );
    }

    #[test]
    fn preloads_are_listed_by_page_path() {
        let modules = HashMap::from([(
            "name_birth".to_string(),
            vec!["chunk_12".to_string(), "split_name_birth".to_string()],
        )]);
        let json: BTreeMap<String, Vec<String>> =
            serde_json::from_str(&preload_json(&modules, "/app-0123")).unwrap();
        let files = vec![
            "/app-0123/chunk_12.wasm".to_string(),
            "/app-0123/split_name_birth.wasm".to_string(),
        ];
        assert_eq!(
            json,
            BTreeMap::from([
                ("/birth".to_string(), files.clone()),
                ("/name".to_string(), files)
            ])
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
