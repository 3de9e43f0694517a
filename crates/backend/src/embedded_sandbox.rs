//! The Solaris Sandbox emulator inside this backend (the `embedded-sandbox` feature, on by
//! default): with no Solaris configured it is mounted under [`EMULATOR_PATH`] and the backend
//! talks to it over loopback HTTP, exactly as it would to Solaris. Builds without the feature
//! contain no emulator code and need `SOLARIS_API_URL`.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;

use crate::config::{Config, SolarisConfig};

/// Where the embedded emulator is mounted.
pub const EMULATOR_PATH: &str = "/solaris";

/// How the backend reaches the emulator mounted on its own listener: the emulator's published
/// credentials, over loopback.
pub fn solaris_config(listen: SocketAddr, timeout: Duration) -> SolarisConfig {
    let api_url = format!("http://{}{EMULATOR_PATH}", loopback_of(listen));
    SolarisConfig {
        token_url: format!("{api_url}/oauth2/token"),
        api_url,
        client_id: solaris_sandbox::config::DEFAULT_CLIENT_ID.into(),
        client_secret: solaris_sandbox::config::DEFAULT_CLIENT_SECRET.into(),
        embedded: true,
        timeout,
    }
}

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

/// The address to reach a listener on from this machine (0.0.0.0 listens everywhere).
fn loopback_of(listen: SocketAddr) -> SocketAddr {
    if listen.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], listen.port()))
    } else {
        listen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emulator_listening_everywhere_is_reached_over_loopback() {
        let config = solaris_config("0.0.0.0:8080".parse().unwrap(), Duration::from_secs(5));
        assert_eq!(config.api_url, "http://127.0.0.1:8080/solaris");
        assert_eq!(
            config.token_url,
            "http://127.0.0.1:8080/solaris/oauth2/token"
        );
        assert!(config.embedded);
    }
}
