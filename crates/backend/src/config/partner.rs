//! The partner's settings: API keys for the partner API, where its webhooks go, and how long a
//! start link lasts.

use base64::Engine;

/// Shortest API key accepted (a key is a secret the partner's servers send; short ones can be
/// guessed).
pub const MIN_API_KEY_CHARS: usize = 32;
/// How long a start link works when `BANKIDENT_START_LINK_SECONDS` is not set: one hour.
pub const DEFAULT_START_LINK_SECONDS: i64 = 3_600;

/// A secret value; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// The secret's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Secret(…)")
    }
}

/// Where the partner's webhooks go and the secrets they are signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerWebhook {
    /// The receiver's URL (`BANKIDENT_PARTNER_WEBHOOK_URL`).
    pub url: String,
    /// The signing secrets' bytes (`BANKIDENT_PARTNER_WEBHOOK_SECRET`, each `whsec_` and
    /// base64, comma-separated: every delivery is signed with each, so a secret can be
    /// rotated without a delivery failing verification).
    pub secrets: Vec<Secret>,
}

/// An API key of the partner API, with the name its calls are logged and recorded under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The key's name (`name:` before the key; `key-1`, `key-2`, … for keys without one).
    pub name: String,
    /// The key.
    pub secret: Secret,
}

/// The longest API key name.
const MAX_KEY_NAME_CHARS: usize = 40;

/// The partner settings read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerSettings {
    /// API keys the partner API accepts (`BANKIDENT_PARTNER_API_KEYS`, comma-separated
    /// `name:key` entries: several at once while one is rotated).
    pub api_keys: Vec<ApiKey>,
    /// Webhooks, when configured.
    pub webhook: Option<PartnerWebhook>,
    /// How long a start link works (`BANKIDENT_START_LINK_SECONDS`).
    pub start_link_seconds: i64,
}

/// Reads the partner settings.
pub fn partner_settings(get: impl Fn(&str) -> Option<String>) -> Result<PartnerSettings, String> {
    let api_keys = match get("BANKIDENT_PARTNER_API_KEYS") {
        None => Vec::new(),
        Some(list) => api_keys(&list)?,
    };
    let webhook = match (
        get("BANKIDENT_PARTNER_WEBHOOK_URL"),
        get("BANKIDENT_PARTNER_WEBHOOK_SECRET"),
    ) {
        (None, None) => None,
        (Some(_), None) => {
            return Err(
                "BANKIDENT_PARTNER_WEBHOOK_SECRET is required with BANKIDENT_PARTNER_WEBHOOK_URL"
                    .into(),
            );
        }
        (None, Some(_)) => {
            return Err(
                "BANKIDENT_PARTNER_WEBHOOK_URL is required with BANKIDENT_PARTNER_WEBHOOK_SECRET"
                    .into(),
            );
        }
        (Some(url), Some(secret)) => Some(PartnerWebhook {
            url: webhook_url(url.trim())?,
            secrets: secret
                .split(',')
                .map(str::trim)
                .filter(|secret| !secret.is_empty())
                .map(webhook_secret)
                .collect::<Result<_, _>>()?,
        }),
    };
    let start_link_seconds = match get("BANKIDENT_START_LINK_SECONDS") {
        None => DEFAULT_START_LINK_SECONDS,
        Some(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|seconds| (60..=7 * 24 * 3600).contains(seconds))
            .ok_or_else(|| {
                format!("BANKIDENT_START_LINK_SECONDS={text:?} must be whole seconds from 60 to 604800 (7 days)")
            })?,
    };
    Ok(PartnerSettings {
        api_keys,
        webhook,
        start_link_seconds,
    })
}

/// The API keys of `BANKIDENT_PARTNER_API_KEYS`: `name:key` or a bare key, comma-separated.
fn api_keys(list: &str) -> Result<Vec<ApiKey>, String> {
    let mut keys: Vec<ApiKey> = Vec::new();
    for (index, entry) in list
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .enumerate()
    {
        let (name, key) = match entry.split_once(':') {
            Some((name, key)) => (name.trim().to_string(), key.trim()),
            None => (format!("key-{}", index + 1), entry),
        };
        let well_named = !name.is_empty()
            && name.chars().count() <= MAX_KEY_NAME_CHARS
            && name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
        if !well_named {
            return Err(format!(
                "BANKIDENT_PARTNER_API_KEYS: key {}'s name must be 1 to {MAX_KEY_NAME_CHARS} letters, digits, _ or -",
                index + 1
            ));
        }
        let well_formed = key.len() >= MIN_API_KEY_CHARS
            && key
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
        if !well_formed {
            return Err(format!(
                "BANKIDENT_PARTNER_API_KEYS: key {} must be at least {MIN_API_KEY_CHARS} letters, digits, _ or -",
                index + 1
            ));
        }
        if keys.iter().any(|other| other.name == name) {
            return Err(format!(
                "BANKIDENT_PARTNER_API_KEYS: the name {name:?} is given twice"
            ));
        }
        keys.push(ApiKey {
            name,
            secret: Secret(key.as_bytes().to_vec()),
        });
    }
    Ok(keys)
}

/// The receiver must be https, or http on this machine (a receiver in a test or beside the
/// backend).
fn webhook_url(url: &str) -> Result<String, String> {
    let host = super::host_of(url);
    let local = url.starts_with("http://")
        && host.as_deref().is_some_and(|host| {
            let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
            matches!(name, "localhost" | "127.0.0.1" | "[::1]")
        });
    if host.is_some() && (url.starts_with("https://") || local) {
        Ok(url.to_string())
    } else {
        Err(format!(
            "BANKIDENT_PARTNER_WEBHOOK_URL={url:?} must be an https URL (http only for localhost)"
        ))
    }
}

/// A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes.
fn webhook_secret(text: &str) -> Result<Secret, String> {
    let problem = || {
        "BANKIDENT_PARTNER_WEBHOOK_SECRET must be `whsec_` followed by the base64 of 24 to 64 random bytes \
         (for example: whsec_$(openssl rand -base64 32))"
            .to_string()
    };
    let bytes = text
        .strip_prefix("whsec_")
        .and_then(|encoded| {
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()
        })
        .ok_or_else(problem)?;
    if (24..=64).contains(&bytes.len()) {
        Ok(Secret(bytes))
    } else {
        Err(problem())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<PartnerSettings, String> {
        partner_settings(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        })
    }

    #[test]
    fn nothing_configured_is_the_demo_mode() {
        let settings = settings(&[]).unwrap();
        assert!(settings.api_keys.is_empty() && settings.webhook.is_none());
        assert_eq!(settings.start_link_seconds, 3_600);
    }

    #[test]
    fn keys_and_webhooks_are_checked_and_never_shown() {
        let key = "k".repeat(32);
        let configured = settings(&[
            ("BANKIDENT_PARTNER_API_KEYS", &format!("{key}, {key}-new")),
            (
                "BANKIDENT_PARTNER_WEBHOOK_URL",
                "https://partner.example/hooks",
            ),
            (
                "BANKIDENT_PARTNER_WEBHOOK_SECRET",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ),
        ])
        .unwrap();
        assert_eq!(configured.api_keys.len(), 2);
        assert_eq!(configured.api_keys[1].name, "key-2", "a key without a name");
        assert!(!format!("{configured:?}").contains(&key));
        let short = settings(&[("BANKIDENT_PARTNER_API_KEYS", "short")]).unwrap_err();
        assert!(short.contains("key 1"), "{short}");
        let plain_http = settings(&[
            (
                "BANKIDENT_PARTNER_WEBHOOK_URL",
                "http://partner.example/hooks",
            ),
            (
                "BANKIDENT_PARTNER_WEBHOOK_SECRET",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ),
        ]);
        assert!(plain_http.unwrap_err().contains("https"));
        let local = settings(&[
            (
                "BANKIDENT_PARTNER_WEBHOOK_URL",
                "http://127.0.0.1:9000/hooks",
            ),
            (
                "BANKIDENT_PARTNER_WEBHOOK_SECRET",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ),
        ]);
        assert!(local.is_ok());
        let weak = settings(&[
            (
                "BANKIDENT_PARTNER_WEBHOOK_URL",
                "https://partner.example/hooks",
            ),
            ("BANKIDENT_PARTNER_WEBHOOK_SECRET", "whsec_c2hvcnQ="),
        ]);
        assert!(weak.unwrap_err().contains("24 to 64"));
        assert!(settings(&[("BANKIDENT_PARTNER_WEBHOOK_URL", "https://x.example/")]).is_err());
        assert!(settings(&[("BANKIDENT_START_LINK_SECONDS", "5")]).is_err());
    }

    #[test]
    fn keys_have_names_and_webhooks_may_have_several_secrets() {
        let key = "k".repeat(32);
        let configured = settings(&[
            (
                "BANKIDENT_PARTNER_API_KEYS",
                &format!("billing:{key}, onboarding-2026:{key}-new"),
            ),
            (
                "BANKIDENT_PARTNER_WEBHOOK_URL",
                "https://partner.example/hooks",
            ),
            (
                "BANKIDENT_PARTNER_WEBHOOK_SECRET",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
            ),
        ])
        .unwrap();
        let names: Vec<&str> = configured
            .api_keys
            .iter()
            .map(|key| key.name.as_str())
            .collect();
        assert_eq!(names, ["billing", "onboarding-2026"]);
        assert_eq!(configured.webhook.unwrap().secrets.len(), 2);
        let twice = settings(&[(
            "BANKIDENT_PARTNER_API_KEYS",
            &format!("ops:{key},ops:{key}-2"),
        )])
        .unwrap_err();
        assert!(twice.contains("twice"), "{twice}");
        let badly_named =
            settings(&[("BANKIDENT_PARTNER_API_KEYS", &format!("my key:{key}"))]).unwrap_err();
        assert!(badly_named.contains("name"), "{badly_named}");
    }
}
