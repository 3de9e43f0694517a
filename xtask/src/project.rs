//! Building the web app and running the product.

use crate::compress::precompress;
use crate::shell::{Result, command, root, run as run_command};
use crate::tools::ensure_build_tools;

/// Builds the web app in release mode into `dist/` (Trunk, wasm-bindgen, wasm-opt), with
/// precompressed twins of its files.
pub fn build_app() -> Result {
    ensure_build_tools()?;
    run_command(command("trunk", &["build", "--release"]))?;
    precompress(&root().join("dist"))
}

/// `cargo xtask run [backend args]`: builds the app, then starts the backend serving it.
pub fn run(backend_args: &[String]) -> Result {
    build_app()?;
    let mut args = vec!["run", "--release", "--package", "bankident-backend", "--"];
    args.extend(backend_args.iter().map(String::as_str));
    run_command(command("cargo", &args))
}
