//! Building the web app and running the product.

use crate::compress::precompress;
use crate::shell::{Result, command, root, run as run_command};
use crate::tools::ensure_build_tools;

/// Builds the web app in release mode into `dist/` (see [`crate::app_build`]), with
/// precompressed twins of its files.
pub fn build_app() -> Result {
    ensure_build_tools()?;
    let app_dir = crate::app_build::build(&root().join("dist"))?;
    precompress(&app_dir)
}

/// `cargo xtask run [backend args]`: builds the app, then starts the backend serving it.
pub fn run(backend_args: &[String]) -> Result {
    build_app()?;
    let mut args = vec!["run", "--release", "--package", "bankident-backend", "--"];
    args.extend(backend_args.iter().map(String::as_str));
    run_command(command("cargo", &args))
}
