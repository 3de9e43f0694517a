//! The Solaris Sandbox emulator inside this backend (the `embedded-sandbox` feature, on by
//! default): with no Solaris configured it is mounted under [`EMULATOR_PATH`] and the backend
//! talks to it over loopback HTTP, exactly as it would to Solaris
//! ([`crate::config::SolarisConfig::embedded`]). Builds without the feature contain no
//! emulator code and need `SOLARIS_API_URL`.

use axum::Router;

use crate::config::{Config, EMULATOR_PATH};

/// The emulator's routes, to nest under [`EMULATOR_PATH`]. It sends customers back to this
/// backend only, and (when configured) its payment wizard returns API-mode customers to
/// `sign_path`.
pub fn router(config: &Config, sign_path: &str) -> Router {
    let sandbox_url = format!("{}{EMULATOR_PATH}", config.public_url);
    let sandbox = solaris_sandbox::Sandbox::new(solaris_sandbox::SandboxConfig {
        callback_origins: Some(vec![config.public_url.clone()]),
        wizard_return_url: config
            .sandbox_wizard_return
            .then(|| format!("{}{sign_path}", config.public_url)),
        ..solaris_sandbox::SandboxConfig::new(sandbox_url)
    });
    solaris_sandbox::router(sandbox)
}
