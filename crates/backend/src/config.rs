//! Configuration from environment variables. Every setting has a default that works on a
//! developer's machine: with no Solaris settings a build with the `embedded-sandbox` feature
//! runs the Sandbox emulator under `/solaris` and talks to it over loopback HTTP like it would
//! to Solaris; a build without it needs the Solaris settings.

pub mod brand;
pub mod environment;
pub mod partner;
pub mod rate_limits;
pub mod retention;
mod solaris;

use std::net::SocketAddr;
use std::path::PathBuf;

pub use partner::{PartnerSettings, PartnerWebhook, Secret};
pub use solaris::{EMULATOR_PATH, SOLARIS_WEBVIEW_HOSTS, SolarisConfig};

/// Address the backend listens on when `BANKIDENT_LISTEN` is not set.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";
/// Address of the management port when `BANKIDENT_MANAGEMENT_LISTEN` is not set.
pub const DEFAULT_MANAGEMENT_LISTEN: &str = "127.0.0.1:9464";
/// Folder of the built web app when `BANKIDENT_DIST_DIR` is not set.
pub const DEFAULT_DIST_DIR: &str = "dist";
/// SQLite database when `BANKIDENT_DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://var/bankident.sqlite";
/// The backend's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Address and port to listen on (`BANKIDENT_LISTEN`).
    pub listen: SocketAddr,
    /// Address and port of the management port (`BANKIDENT_MANAGEMENT_LISTEN`): metrics,
    /// readiness, version. Loopback unless `BANKIDENT_MANAGEMENT_PUBLIC=true`.
    pub management_listen: SocketAddr,
    /// How log lines are written (`BANKIDENT_LOG_FORMAT`: `text` or `json`).
    pub log_format: crate::telemetry::logs::LogFormat,
    /// The URL customers reach the backend at (`BANKIDENT_PUBLIC_URL`, default `http://<listen>`).
    pub public_url: String,
    /// Folder holding the release build of the web app (`BANKIDENT_DIST_DIR`).
    pub dist_dir: PathBuf,
    /// sqlx database URL (`BANKIDENT_DATABASE_URL`).
    pub database_url: String,
    /// Solaris or the embedded emulator.
    pub solaris: SolarisConfig,
    /// Who may frame the app (`BANKIDENT_FRAME_ANCESTORS`, CSP syntax, default `'none'`).
    pub frame_ancestors: String,
    /// Hosts the customer may be redirected to (`BANKIDENT_REDIRECT_HOSTS`, comma-separated).
    pub redirect_hosts: Vec<String>,
    /// The query parameter that tells the webview the customer's language
    /// (`BANKIDENT_WEBVIEW_LANGUAGE_PARAM`): `lang` for the embedded emulator; none for Solaris,
    /// whose guide documents no such parameter, unless configured.
    pub webview_language_param: Option<String>,
    /// The partner API's keys, the partner's webhooks and start links.
    pub partner: PartnerSettings,
    /// The demo mode (`BANKIDENT_DEMO_MODE`, default on with the embedded emulator only): a
    /// browser that opened no start link starts an onboarding of its own. Off, onboardings
    /// come only from the partner API's start links.
    pub demo_mode: bool,
    /// How Bankident is driven when the partner chose nothing for an onboarding
    /// (`BANKIDENT_MODE`: `webview`, the default, or `api`).
    pub default_mode: bankident_domain::IdentificationMode,
    /// Whether the embedded emulator's payment wizard sends API-mode customers back to our
    /// `/sign` page (`BANKIDENT_SANDBOX_WIZARD_RETURN`, default true). Solaris documents no
    /// such return; `false` shows that the journey works without it.
    pub sandbox_wizard_return: bool,
    /// The partner's brand, documents and support contact.
    pub brand: brand::Brand,
    /// The header a trusted reverse proxy puts the client's address in
    /// (`BANKIDENT_CLIENT_IP_HEADER`: `x-forwarded-for`, whose last address counts, or
    /// `x-real-ip`); unset, the connection's own address counts.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// How long what we hold is kept.
    pub retention: retention::RetentionPolicy,
    /// The rate limits' quotas (`BANKIDENT_RATE_LIMIT_<DOOR>`).
    pub rate_limits: rate_limits::RateLimitSettings,
    /// Whether a start applies the database's pending migrations (`BANKIDENT_MIGRATE_ON_START`,
    /// default true). With several instances: false, and `bankident-backend migrate` as a step
    /// of the upgrade; a start then refuses a schema that is not this release's.
    pub migrate_on_start: bool,
}

impl Config {
    /// Reads the configuration from a variable lookup (the process environment in `main`).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let listen_text = get("BANKIDENT_LISTEN").unwrap_or_else(|| DEFAULT_LISTEN.to_string());
        let listen: SocketAddr = listen_text.parse().map_err(|_| {
            format!("BANKIDENT_LISTEN={listen_text:?} is not an address and port such as {DEFAULT_LISTEN}")
        })?;
        let management_listen = management_listen(&get)?;
        let log_format = crate::telemetry::logs::LogFormat::from_setting(
            get("BANKIDENT_LOG_FORMAT").as_deref(),
        )?;
        let public_url = get("BANKIDENT_PUBLIC_URL").unwrap_or_else(|| format!("http://{listen}"));
        let public_url = public_url.trim_end_matches('/').to_string();
        let public_host = host_of(&public_url)
            .ok_or_else(|| format!("BANKIDENT_PUBLIC_URL={public_url:?} is not an http(s) URL"))?;
        let dist_dir = PathBuf::from(
            get("BANKIDENT_DIST_DIR").unwrap_or_else(|| DEFAULT_DIST_DIR.to_string()),
        );
        let database_url =
            get("BANKIDENT_DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let solaris = solaris::solaris_settings(&get, listen, &public_url, &public_host)?;
        let redirect_hosts = match get("BANKIDENT_REDIRECT_HOSTS") {
            Some(list) => list
                .split(',')
                .map(|host| host.trim().to_ascii_lowercase())
                .filter(|host| !host.is_empty())
                .collect(),
            None if solaris.embedded => vec![public_host],
            None => SOLARIS_WEBVIEW_HOSTS
                .iter()
                .map(|host| host.to_string())
                .collect(),
        };
        let frame_ancestors =
            get("BANKIDENT_FRAME_ANCESTORS").unwrap_or_else(|| "'none'".to_string());
        if frame_ancestors.contains([';', '\n', '\r', ',']) {
            return Err("BANKIDENT_FRAME_ANCESTORS must be a CSP source list such as 'self' https://partner.example".into());
        }
        let webview_language_param = match get("BANKIDENT_WEBVIEW_LANGUAGE_PARAM") {
            Some(name) if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => {
                Some(name)
            }
            Some(name) => {
                return Err(format!(
                    "BANKIDENT_WEBVIEW_LANGUAGE_PARAM={name:?} must be a query parameter name (letters, digits, _)"
                ));
            }
            None if solaris.embedded => Some("lang".to_string()),
            None => None,
        };
        let partner = partner::partner_settings(get)?;
        let demo_mode = match get("BANKIDENT_DEMO_MODE").as_deref().map(str::trim) {
            None => solaris.embedded,
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                return Err(format!(
                    "BANKIDENT_DEMO_MODE={other:?} must be true or false"
                ));
            }
        };
        let default_mode = match get("BANKIDENT_MODE") {
            None => bankident_domain::IdentificationMode::default(),
            Some(text) => bankident_domain::IdentificationMode::parse(&text)
                .ok_or_else(|| format!("BANKIDENT_MODE={text:?} must be webview or api"))?,
        };
        let sandbox_wizard_return = match get("BANKIDENT_SANDBOX_WIZARD_RETURN")
            .as_deref()
            .map(str::trim)
        {
            None | Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                return Err(format!(
                    "BANKIDENT_SANDBOX_WIZARD_RETURN={other:?} must be true or false"
                ));
            }
        };
        // The embedded emulator's sample documents stand in for the consent screen's documents
        // in the demo.
        let brand = brand::Brand::from_lookup(get)?
            .with_consent_documents(demo_mode, solaris.sample_documents(&public_url).as_deref())?;
        let client_ip_header = match get("BANKIDENT_CLIENT_IP_HEADER") {
            None => None,
            Some(name) => Some(
                axum::http::HeaderName::from_bytes(name.trim().to_ascii_lowercase().as_bytes())
                    .map_err(|_| {
                        format!("BANKIDENT_CLIENT_IP_HEADER={name:?} is not a header name")
                    })?,
            ),
        };
        let retention = retention::retention_settings(get)?;
        let rate_limits = rate_limits::rate_limit_settings(get)?;
        let migrate_on_start = match get("BANKIDENT_MIGRATE_ON_START").as_deref().map(str::trim) {
            None | Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                return Err(format!(
                    "BANKIDENT_MIGRATE_ON_START={other:?} must be true or false"
                ));
            }
        };
        Ok(Config {
            migrate_on_start,
            rate_limits,
            management_listen,
            log_format,
            retention,
            client_ip_header,
            partner,
            demo_mode,
            default_mode,
            sandbox_wizard_return,
            brand,
            listen,
            public_url,
            dist_dir,
            database_url,
            solaris,
            frame_ancestors,
            redirect_hosts,
            webview_language_param,
        })
    }

    /// Reads the configuration from the process environment (a secret from the file its
    /// `NAME_FILE` names, where set).
    pub fn from_env() -> Result<Config, String> {
        Config::from_environment(&environment::Environment::from_process()?)
    }

    /// Reads the configuration from `environment`, which notes what was read.
    pub fn from_environment(environment: &environment::Environment) -> Result<Config, String> {
        Config::from_lookup(|name| environment.get(name))
    }

    /// Whether customers reach the backend over https (cookies get `Secure` and `__Host-`).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// How the browser cookie is set (partitioned when other sites may frame the app), signed
    /// with `secret`.
    pub fn cookie_policy(&self, secret: std::sync::Arc<str>) -> crate::browser::CookiePolicy {
        let framers = self.frame_ancestors.split_whitespace();
        let cross_site_frames = framers
            .into_iter()
            .any(|source| source != "'none'" && source != "'self'");
        crate::browser::CookiePolicy {
            https: self.is_https(),
            cross_site_frames,
            secret,
        }
    }

    /// The client's address: from the trusted proxy's header when one is configured (the last
    /// address of `x-forwarded-for`: the one the proxy itself added), else the connection's.
    pub fn client_address(
        &self,
        headers: &axum::http::HeaderMap,
        connection: Option<std::net::IpAddr>,
    ) -> Option<std::net::IpAddr> {
        match &self.client_ip_header {
            Some(name) => headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.rsplit(',').next())
                .and_then(|address| address.trim().parse().ok()),
            None => connection,
        }
    }

    /// The app page Solaris sends the customer back to.
    pub fn callback_url(&self) -> String {
        format!("{}/callback", self.public_url)
    }

    /// The webview URL as the customer opens it: with their language when a parameter for it
    /// is configured.
    pub fn webview_url(
        &self,
        session_url: &str,
        language: Option<bankident_domain::Language>,
    ) -> String {
        match (&self.webview_language_param, language) {
            (Some(param), Some(language)) => {
                let separator = if session_url.contains('?') { '&' } else { '?' };
                format!("{session_url}{separator}{param}={}", language.tag())
            }
            _ => session_url.to_string(),
        }
    }

    /// Where Solaris delivers webhooks.
    pub fn webhook_url(&self) -> String {
        format!("{}/api/solaris/webhooks", self.public_url)
    }
}

/// The management port's address: loopback unless asked for explicitly, since its metrics and
/// readiness figures are for operators only.
fn management_listen(get: &impl Fn(&str) -> Option<String>) -> Result<SocketAddr, String> {
    let text =
        get("BANKIDENT_MANAGEMENT_LISTEN").unwrap_or_else(|| DEFAULT_MANAGEMENT_LISTEN.to_string());
    let address: SocketAddr = text.trim().parse().map_err(|_| {
        format!(
            "BANKIDENT_MANAGEMENT_LISTEN={text:?} is not an address and port such as {DEFAULT_MANAGEMENT_LISTEN}"
        )
    })?;
    let public_allowed = match get("BANKIDENT_MANAGEMENT_PUBLIC").as_deref().map(str::trim) {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(other) => {
            return Err(format!(
                "BANKIDENT_MANAGEMENT_PUBLIC={other:?} must be true or false"
            ));
        }
    };
    if !address.ip().is_loopback() && !public_allowed {
        return Err(format!(
            "BANKIDENT_MANAGEMENT_LISTEN={address} is not a loopback address: the management port shows metrics and \
             readiness figures to whoever reaches it. Set BANKIDENT_MANAGEMENT_PUBLIC=true to listen there anyway \
             (inside a cluster network, behind a firewall)"
        ));
    }
    Ok(address)
}

/// The lower-cased host (with port, if any) of an http(s) URL.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(authority.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(move |name| {
            vars.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    /// The four settings that point the backend at a real Solaris, and the consent screen's
    /// documents, which a backend without the demo mode (the default with a real Solaris)
    /// needs.
    const SOLARIS: [(&str, &str); 7] = [
        ("SOLARIS_API_URL", "https://api.solaris-sandbox.de"),
        (
            "SOLARIS_TOKEN_URL",
            "https://auth.solaris-sandbox.de/oauth2/token",
        ),
        ("SOLARIS_CLIENT_ID", "id"),
        ("SOLARIS_CLIENT_SECRET", "secret"),
        ("BANKIDENT_TERMS_URL", "https://nova.example/terms"),
        ("BANKIDENT_PRIVACY_URL", "https://nova.example/privacy"),
        (
            "BANKIDENT_SOLARIS_DATA_TERMS_URL",
            "https://www.solarisgroup.com/en/legal/data-terms",
        ),
    ];

    /// `vars` on top of the four Solaris settings.
    fn with_solaris<'a>(vars: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        SOLARIS.iter().chain(vars).copied().collect()
    }

    #[cfg(feature = "embedded-sandbox")]
    #[test]
    fn the_embedded_webview_learns_the_language() {
        use bankident_domain::Language;
        let embedded = config(&[]).unwrap();
        assert_eq!(
            embedded.webview_url("http://x/webview/t", Some(Language::En)),
            "http://x/webview/t?lang=en"
        );
        assert_eq!(
            embedded.webview_url("http://x/w?a=1", Some(Language::De)),
            "http://x/w?a=1&lang=de"
        );
    }

    #[test]
    fn solaris_webviews_learn_the_language_where_a_parameter_is_configured() {
        use bankident_domain::Language;
        let real = config(&SOLARIS).unwrap();
        assert_eq!(
            real.webview_url("https://p/t", Some(Language::En)),
            "https://p/t"
        );
        let configured = with_solaris(&[("BANKIDENT_WEBVIEW_LANGUAGE_PARAM", "language")]);
        assert_eq!(
            config(&configured)
                .unwrap()
                .webview_url("https://p/t", Some(Language::En)),
            "https://p/t?language=en"
        );
        let bad = config(&with_solaris(&[(
            "BANKIDENT_WEBVIEW_LANGUAGE_PARAM",
            "x&y",
        )]));
        assert!(
            bad.unwrap_err()
                .contains("BANKIDENT_WEBVIEW_LANGUAGE_PARAM")
        );
    }

    #[cfg(not(feature = "embedded-sandbox"))]
    #[test]
    fn a_build_without_the_emulator_needs_solaris() {
        let error = config(&[]).unwrap_err();
        assert!(error.contains("SOLARIS_API_URL is required"), "{error}");
        assert!(!config(&SOLARIS).unwrap().solaris.embedded);
    }

    #[cfg(feature = "embedded-sandbox")]
    #[test]
    fn defaults_run_the_embedded_emulator() {
        let config = config(&[]).unwrap();
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert!(config.solaris.embedded);
        assert_eq!(config.solaris.api_url, "http://127.0.0.1:3000/solaris");
        assert_eq!(
            config.solaris.token_url,
            "http://127.0.0.1:3000/solaris/oauth2/token"
        );
        assert_eq!(config.redirect_hosts, ["127.0.0.1:3000"]);
        assert_eq!(config.frame_ancestors, "'none'");
        assert_eq!(config.callback_url(), "http://127.0.0.1:3000/callback");
        assert!(!config.is_https());
    }

    #[cfg(feature = "embedded-sandbox")]
    #[test]
    fn the_emulator_stays_on_this_machine_unless_asked_for() {
        for exposed in [
            vec![("BANKIDENT_LISTEN", "0.0.0.0:3000")],
            vec![("BANKIDENT_PUBLIC_URL", "https://onboarding.partner.example")],
            vec![("BANKIDENT_PUBLIC_URL", "http://192.168.1.20:3000")],
        ] {
            let error = config(&exposed).unwrap_err();
            assert!(
                error.contains("BANKIDENT_EMULATOR_ANYWHERE"),
                "{exposed:?}: {error}"
            );
        }
        let mut asked = vec![("BANKIDENT_LISTEN", "0.0.0.0:3000")];
        asked.push(("BANKIDENT_EMULATOR_ANYWHERE", "true"));
        assert!(config(&asked).unwrap().solaris.embedded);
        assert!(config(&[("BANKIDENT_PUBLIC_URL", "http://localhost:3000")]).is_ok());
    }

    #[test]
    fn without_the_demo_mode_the_consent_documents_are_required() {
        let without = |missing: &str| -> Vec<(&str, &str)> {
            SOLARIS
                .iter()
                .copied()
                .filter(|(name, _)| *name != missing)
                .collect()
        };
        for missing in [
            "BANKIDENT_TERMS_URL",
            "BANKIDENT_PRIVACY_URL",
            "BANKIDENT_SOLARIS_DATA_TERMS_URL",
        ] {
            let error = config(&without(missing)).unwrap_err();
            assert!(error.starts_with(missing), "{error}");
            assert!(error.contains("BANKIDENT_DEMO_MODE=true"), "{error}");
        }
        let mut demo = without("BANKIDENT_TERMS_URL");
        demo.push(("BANKIDENT_DEMO_MODE", "true"));
        assert_eq!(
            config(&demo).unwrap().brand.shown.terms_url,
            None,
            "a demo against a real Solaris has no sample to link"
        );
    }

    #[cfg(feature = "embedded-sandbox")]
    #[test]
    fn the_demo_links_the_emulators_sample_documents_where_none_are_configured() {
        let demo = config(&[("BANKIDENT_TERMS_URL", "https://nova.example/terms")]).unwrap();
        let shown = &demo.brand.shown;
        assert_eq!(
            shown.terms_url.as_deref(),
            Some("https://nova.example/terms")
        );
        assert_eq!(
            shown.privacy_url.as_deref(),
            Some("http://127.0.0.1:3000/solaris/_sandbox/documents/privacy?lang={lang}")
        );
        assert_eq!(
            shown.data_terms_url.as_deref(),
            Some("http://127.0.0.1:3000/solaris/_sandbox/documents/data-terms?lang={lang}")
        );
        let error = config(&[("BANKIDENT_DEMO_MODE", "false")]).unwrap_err();
        assert!(
            error.contains(
                "BANKIDENT_TERMS_URL, BANKIDENT_PRIVACY_URL, BANKIDENT_SOLARIS_DATA_TERMS_URL"
            ),
            "{error}"
        );
    }

    #[test]
    fn solaris_is_never_an_emulators_test_controls() {
        let error = config(&with_solaris(&[(
            "SOLARIS_API_URL",
            "http://127.0.0.1:4000/_sandbox/clock",
        )]))
        .unwrap_err();
        assert!(
            error.starts_with("SOLARIS_API_URL") && error.contains("test controls"),
            "{error}"
        );
    }

    #[test]
    fn the_management_port_stays_on_this_machine_unless_asked_for() {
        let default = config(&SOLARIS).unwrap();
        assert_eq!(
            default.management_listen.to_string(),
            DEFAULT_MANAGEMENT_LISTEN
        );
        let exposed = with_solaris(&[("BANKIDENT_MANAGEMENT_LISTEN", "0.0.0.0:9464")]);
        let error = config(&exposed).unwrap_err();
        assert!(
            error.contains("BANKIDENT_MANAGEMENT_PUBLIC=true"),
            "{error}"
        );
        let mut asked = exposed.clone();
        asked.push(("BANKIDENT_MANAGEMENT_PUBLIC", "true"));
        assert!(config(&asked).is_ok());
        assert!(config(&with_solaris(&[("BANKIDENT_LOG_FORMAT", "xml")])).is_err());
    }

    #[test]
    fn real_solaris_needs_all_four_settings() {
        let error = config(&[("SOLARIS_API_URL", "https://api.solaris-sandbox.de")]).unwrap_err();
        assert!(error.contains("SOLARIS_TOKEN_URL"), "{error}");
        let config = config(&with_solaris(&[
            ("SOLARIS_API_URL", "https://api.solaris-sandbox.de/"),
            (
                "BANKIDENT_PUBLIC_URL",
                "https://onboarding.partner.example/",
            ),
        ]))
        .unwrap();
        assert!(!config.solaris.embedded);
        assert_eq!(config.solaris.api_url, "https://api.solaris-sandbox.de");
        assert_eq!(config.redirect_hosts, SOLARIS_WEBVIEW_HOSTS);
        assert!(config.is_https());
    }

    #[test]
    fn bad_values_are_explained() {
        assert!(
            config(&[("BANKIDENT_LISTEN", "localhost")])
                .unwrap_err()
                .contains("BANKIDENT_LISTEN")
        );
        assert!(
            config(&[("BANKIDENT_PUBLIC_URL", "ftp://x")])
                .unwrap_err()
                .contains("BANKIDENT_PUBLIC_URL")
        );
        assert!(
            config(&[("SOLARIS_TIMEOUT_SECONDS", "0")])
                .unwrap_err()
                .contains("SOLARIS_TIMEOUT_SECONDS")
        );
        assert!(config(&[("BANKIDENT_FRAME_ANCESTORS", "'self'; script-src *")]).is_err());
        let hosts = config(&with_solaris(&[(
            "BANKIDENT_REDIRECT_HOSTS",
            "A.example, b.example ,",
        )]))
        .unwrap()
        .redirect_hosts;
        assert_eq!(hosts, ["a.example", "b.example"]);
    }
}
