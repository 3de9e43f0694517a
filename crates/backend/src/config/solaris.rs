//! How the backend reaches Solaris: the four settings of a real environment, or (a build with
//! the `embedded-sandbox` feature, none of them set) the emulator mounted on this backend.

use std::net::SocketAddr;
use std::time::Duration;

/// Hosts of the real Solaris environments the customer may be sent to, allowed when no
/// allow-list is configured: the webview's, and the Sandbox's payment wizard (API mode; the
/// guide's example shows it). The production wizard's host is not public: partners using the
/// API mode in production add it to `BANKIDENT_REDIRECT_HOSTS`.
pub const SOLARIS_WEBVIEW_HOSTS: [&str; 3] = [
    "person-onboarding.solaris-sandbox.de",
    "person-onboarding.solarisbank.de",
    "fts-payment-initiation-wizard.solaris-sandbox.de",
];

/// How the backend reaches Solaris.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolarisConfig {
    /// API base URL, without trailing slash (`https://api.solaris-sandbox.de`).
    pub api_url: String,
    /// OAuth2 token URL (`https://auth.solaris-sandbox.de/oauth2/token`).
    pub token_url: String,
    /// OAuth2 client id.
    pub client_id: String,
    /// OAuth2 client secret (never logged).
    pub client_secret: String,
    /// Whether this is the embedded emulator.
    pub embedded: bool,
    /// Time limit of one call to Solaris.
    pub timeout: Duration,
}

impl SolarisConfig {
    /// Where the embedded emulator serves the sample documents of the demo's consent screen,
    /// for a backend at `public_url`; `None` without the embedded emulator.
    pub fn sample_documents(&self, public_url: &str) -> Option<String> {
        #[cfg(feature = "embedded-sandbox")]
        if self.embedded {
            return Some(format!(
                "{public_url}{EMULATOR_PATH}{}",
                solaris_sandbox::SAMPLE_DOCUMENTS_PATH
            ));
        }
        let _ = public_url;
        None
    }
}

/// Where the embedded emulator is mounted.
pub const EMULATOR_PATH: &str = "/solaris";

/// How the backend reaches the emulator mounted on its own listener: the emulator's published
/// credentials, over loopback.
#[cfg(feature = "embedded-sandbox")]
fn embedded_solaris(listen: SocketAddr, timeout: Duration) -> SolarisConfig {
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

/// The address to reach a listener on from this machine (0.0.0.0 listens everywhere).
#[cfg(feature = "embedded-sandbox")]
fn loopback_of(listen: SocketAddr) -> SocketAddr {
    if listen.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], listen.port()))
    } else {
        listen
    }
}

/// The Solaris settings from `get`, for a backend listening on `listen` for `public_url`
/// (whose host is `public_host`).
pub(super) fn solaris_settings(
    get: &impl Fn(&str) -> Option<String>,
    listen: SocketAddr,
    public_url: &str,
    public_host: &str,
) -> Result<SolarisConfig, String> {
    let timeout_seconds: u64 = match get("SOLARIS_TIMEOUT_SECONDS") {
        Some(text) => text
            .parse()
            .ok()
            .filter(|seconds| *seconds > 0)
            .ok_or_else(|| {
                format!("SOLARIS_TIMEOUT_SECONDS={text:?} is not a positive whole number")
            })?,
        None => 15,
    };
    let timeout = Duration::from_secs(timeout_seconds);
    let solaris = match get("SOLARIS_API_URL") {
        #[cfg(feature = "embedded-sandbox")]
        None => embedded_solaris(listen, timeout),
        #[cfg(not(feature = "embedded-sandbox"))]
        None => {
            return Err(
                "SOLARIS_API_URL is required: this build has no embedded Solaris emulator \
         (set SOLARIS_API_URL, SOLARIS_TOKEN_URL, SOLARIS_CLIENT_ID and SOLARIS_CLIENT_SECRET)"
                    .into(),
            );
        }
        Some(api_url) if api_url.contains("/_sandbox") => {
            return Err(format!(
                "SOLARIS_API_URL={api_url:?} points at an emulator's test controls (/_sandbox/): \
                 give Solaris' API URL (or the emulator's base URL in a test)"
            ));
        }
        Some(api_url) => SolarisConfig {
            token_url: get("SOLARIS_TOKEN_URL")
                .ok_or("SOLARIS_TOKEN_URL is required with SOLARIS_API_URL")?,
            api_url: api_url.trim_end_matches('/').to_string(),
            client_id: get("SOLARIS_CLIENT_ID")
                .ok_or("SOLARIS_CLIENT_ID is required with SOLARIS_API_URL")?,
            client_secret: get("SOLARIS_CLIENT_SECRET")
                .ok_or("SOLARIS_CLIENT_SECRET is required with SOLARIS_API_URL")?,
            embedded: false,
            timeout,
        },
    };
    // The emulator takes anyone with its published default credentials: it is for this
    // machine, unless someone asks for it elsewhere on purpose (a shared demo).
    if solaris.embedded {
        let local = listen.ip().is_loopback()
            && public_url.starts_with("http://")
            && is_local_host(public_host);
        let asked_for = matches!(
            get("BANKIDENT_EMULATOR_ANYWHERE").as_deref().map(str::trim),
            Some("true" | "1")
        );
        if !local && !asked_for {
            return Err(format!(
                "without SOLARIS_API_URL the backend runs the Solaris emulator, whose default credentials anyone can use; \
         it listens on {listen} for {public_url}, which is not this machine alone. Configure Solaris \
         (SOLARIS_API_URL and the rest), listen on 127.0.0.1 with an http://127.0.0.1 or http://localhost public URL, \
         or set BANKIDENT_EMULATOR_ANYWHERE=true for a demo reachable by others"
            ));
        }
    }
    Ok(solaris)
}

/// Whether a host (with port) names this machine.
fn is_local_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    name == "localhost"
        || name == "[::1]"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::host_of;

    #[cfg(feature = "embedded-sandbox")]
    #[test]
    fn an_emulator_listening_everywhere_is_reached_over_loopback() {
        let config = embedded_solaris("0.0.0.0:8080".parse().unwrap(), Duration::from_secs(5));
        assert_eq!(config.api_url, "http://127.0.0.1:8080/solaris");
        assert_eq!(
            config.token_url,
            "http://127.0.0.1:8080/solaris/oauth2/token"
        );
        assert!(config.embedded);
    }

    #[test]
    fn only_this_machine_counts_as_local() {
        assert!(is_local_host("127.0.0.1:3000"));
        assert!(is_local_host("localhost"));
        assert!(is_local_host("[::1]:8080"));
        assert!(!is_local_host("192.168.1.20:3000"));
        assert!(!is_local_host("onboarding.partner.example"));
        assert!(host_of("ftp://x").is_none());
    }
}
