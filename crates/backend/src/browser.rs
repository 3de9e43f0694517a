//! Binding a browser to its onboarding: an HttpOnly cookie holding a random key (Secure and
//! `__Host-` prefixed under https). The database stores only the key's hash. Only a start link
//! (single use, expiring, taken out of the address bar at once) carries anything that grants
//! access.
//!
//! The cookie carries the key and an HMAC of it under a secret of this database's backends: a
//! key a client made up (or an unsigned one from before signing) is never taken as ours, so
//! nobody can choose another browser's key in advance. Unsigned keys already bound to an
//! onboarding keep working.
//!
//! The cookie is `SameSite=Lax`, unless the app may be framed by other sites: then it is
//! `SameSite=None; Secure; Partitioned` (CHIPS), which a browser keeps for the app inside that
//! one partner's site, separate from every other site. The API's `Sec-Fetch-Site`/`Origin`
//! checks keep other sites from using it.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, header};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ids::{random_hex, sha256_hex};

/// Hex digits of a key.
const KEY_CHARS: usize = 64;
/// Hex digits of the signature after it (the first 16 bytes of the HMAC-SHA256).
const SIGNATURE_CHARS: usize = 32;

/// Cookie lifetime: the 30 days an identification can take.
const MAX_AGE_SECONDS: u32 = 30 * 24 * 3600;

/// The cookie's name: `__Host-` pins it to this host and path `/` (https only).
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-bankident"
    } else {
        "bankident"
    }
}

/// The value of our cookie in a request, if it has one of a plausible shape.
fn cookie_value(headers: &HeaderMap, https: bool) -> Option<String> {
    let name = cookie_name(https);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|value| {
            matches!(value.len(), KEY_CHARS | 96) && value.chars().all(|c| c.is_ascii_hexdigit())
        })
}

/// What the database knows a browser key by.
pub fn key_hash(key: &str) -> String {
    sha256_hex(key)
}

/// A new random browser key.
pub fn new_key() -> String {
    random_hex(32)
}

/// A browser key found in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserKey {
    /// Signed by us: we issued it.
    Issued(String),
    /// Unsigned (from before signing, or made up): ours only if an onboarding knows it.
    Unsigned(String),
}

impl BrowserKey {
    /// The key.
    pub fn key(&self) -> &str {
        match self {
            BrowserKey::Issued(key) | BrowserKey::Unsigned(key) => key,
        }
    }
}

/// How the cookie is set and read.
#[derive(Clone, PartialEq, Eq)]
pub struct CookiePolicy {
    /// Customers reach the backend over https.
    pub https: bool,
    /// Other sites may frame the app (`BANKIDENT_FRAME_ANCESTORS` names another origin).
    pub cross_site_frames: bool,
    /// Signs the keys (shared by every instance on the database).
    pub secret: Arc<str>,
}

impl std::fmt::Debug for CookiePolicy {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("CookiePolicy")
            .field("https", &self.https)
            .field("cross_site_frames", &self.cross_site_frames)
            .finish_non_exhaustive()
    }
}

impl CookiePolicy {
    fn signature(&self, key: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(key.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..SIGNATURE_CHARS / 2])
    }

    /// The browser key of a request: signed by us, or unsigned. A signature that does not
    /// match makes it no key at all.
    pub fn browser_key(&self, headers: &HeaderMap) -> Option<BrowserKey> {
        let value = cookie_value(headers, self.https)?;
        if value.len() == KEY_CHARS {
            return Some(BrowserKey::Unsigned(value.to_ascii_lowercase()));
        }
        let (key, signature) = value.split_at(KEY_CHARS);
        let expected = self.signature(&key.to_ascii_lowercase());
        let matches: bool = subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            signature.to_ascii_lowercase().as_bytes(),
        )
        .into();
        matches.then(|| BrowserKey::Issued(key.to_ascii_lowercase()))
    }

    /// The key of a request, signed or not (for reading: an unsigned key finds only what it
    /// was bound to before).
    pub fn key(&self, headers: &HeaderMap) -> Option<String> {
        self.browser_key(headers).map(|key| key.key().to_string())
    }

    /// The `Set-Cookie` header for a browser key.
    pub fn set_cookie(&self, key: &str) -> HeaderValue {
        let attributes = match (self.cross_site_frames, self.https) {
            (true, _) => "; SameSite=None; Secure; Partitioned",
            (false, true) => "; SameSite=Lax; Secure",
            (false, false) => "; SameSite=Lax",
        };
        let value = format!(
            "{}={key}{}; Path=/; HttpOnly; Max-Age={MAX_AGE_SECONDS}{attributes}",
            cookie_name(self.https),
            self.signature(key)
        );
        HeaderValue::from_str(&value).expect("the cookie is ASCII")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(https: bool, cross_site_frames: bool) -> CookiePolicy {
        CookiePolicy {
            https,
            cross_site_frames,
            secret: "test-secret".into(),
        }
    }

    fn request_with(cookie: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; {cookie}")).unwrap(),
        );
        headers
    }

    /// The `name=value` part of a `Set-Cookie`.
    fn pair(set_cookie: &HeaderValue) -> String {
        set_cookie
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    #[test]
    fn framed_by_other_sites_the_cookie_is_partitioned() {
        let cookie = policy(true, true)
            .set_cookie(&new_key())
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("__Host-bankident="));
        assert!(
            cookie.ends_with("; SameSite=None; Secure; Partitioned"),
            "{cookie}"
        );
        assert!(!cookie.contains("Lax") && cookie.contains("HttpOnly"));
    }

    #[test]
    fn cookie_round_trip_and_attributes() {
        let key = new_key();
        let local = policy(false, false);
        let cookie = local.set_cookie(&key).to_str().unwrap().to_string();
        assert!(
            cookie.starts_with("bankident=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
        );
        assert!(!cookie.contains("Secure"));
        let https = policy(true, false)
            .set_cookie(&key)
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            https.starts_with("__Host-bankident=")
                && https.contains("; Secure")
                && https.contains("Path=/")
        );
        let headers = request_with(&pair(&local.set_cookie(&key)));
        assert_eq!(
            local.browser_key(&headers),
            Some(BrowserKey::Issued(key.clone()))
        );
        assert_eq!(
            policy(true, false).browser_key(&headers),
            None,
            "the https name differs"
        );
        assert_eq!(local.browser_key(&request_with("bankident=short")), None);
        assert_ne!(key_hash(&key), key);
    }

    #[test]
    fn a_key_we_did_not_sign_is_not_taken_as_ours() {
        let local = policy(false, false);
        let key = new_key();
        let forged = format!("bankident={key}{}", "0".repeat(32));
        assert_eq!(local.browser_key(&request_with(&forged)), None);
        let other_secret = CookiePolicy {
            secret: "another-database".into(),
            ..local.clone()
        };
        let signed_elsewhere = pair(&other_secret.set_cookie(&key));
        assert_eq!(local.browser_key(&request_with(&signed_elsewhere)), None);
        assert_eq!(
            local.browser_key(&request_with(&format!("bankident={key}"))),
            Some(BrowserKey::Unsigned(key.clone())),
            "unsigned: honoured only where an onboarding knows it"
        );
        assert!(!format!("{local:?}").contains("test-secret"));
    }
}
