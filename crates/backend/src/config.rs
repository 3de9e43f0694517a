//! Configuration from environment variables, each with a default that works on a developer's
//! machine after `cargo xtask run`.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Address the backend listens on when `BANKIDENT_LISTEN` is not set.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";
/// Folder of the built web app when `BANKIDENT_DIST_DIR` is not set.
pub const DEFAULT_DIST_DIR: &str = "dist";

/// The backend's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Address and port to listen on (`BANKIDENT_LISTEN`).
    pub listen: SocketAddr,
    /// Folder holding the Trunk release build of the web app (`BANKIDENT_DIST_DIR`).
    pub dist_dir: PathBuf,
}

impl Config {
    /// Reads the configuration from a variable lookup (the process environment in `main`).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let listen_text = lookup("BANKIDENT_LISTEN").unwrap_or_else(|| DEFAULT_LISTEN.to_string());
        let listen = listen_text.parse().map_err(|_| {
            format!("BANKIDENT_LISTEN={listen_text:?} is not an address and port such as {DEFAULT_LISTEN}")
        })?;
        let dist_dir = PathBuf::from(
            lookup("BANKIDENT_DIST_DIR").unwrap_or_else(|| DEFAULT_DIST_DIR.to_string()),
        );
        Ok(Config { listen, dist_dir })
    }

    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, String> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let config = Config::from_lookup(|_| None).unwrap();
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.dist_dir, PathBuf::from("dist"));
        let config = Config::from_lookup(|name| match name {
            "BANKIDENT_LISTEN" => Some("0.0.0.0:8080".into()),
            "BANKIDENT_DIST_DIR" => Some("/srv/app".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(config.listen.port(), 8080);
        assert_eq!(config.dist_dir, PathBuf::from("/srv/app"));
    }

    #[test]
    fn a_bad_address_is_reported_with_an_example() {
        let error =
            Config::from_lookup(|name| (name == "BANKIDENT_LISTEN").then(|| "localhost".into()))
                .unwrap_err();
        assert!(
            error.contains("BANKIDENT_LISTEN") && error.contains(DEFAULT_LISTEN),
            "{error}"
        );
    }
}
