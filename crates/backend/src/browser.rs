//! Binding a browser to its onboarding: an HttpOnly cookie holding a random key (Secure and
//! `__Host-` prefixed under https). The database stores only the key's hash. Only a start link
//! (single use, expiring, taken out of the address bar at once) carries anything that grants
//! access.
//!
//! The cookie is `SameSite=Lax`, unless the app may be framed by other sites: then it is
//! `SameSite=None; Secure; Partitioned` (CHIPS), which a browser keeps for the app inside that
//! one partner's site, separate from every other site. The API's `Sec-Fetch-Site`/`Origin`
//! checks keep other sites from using it.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::ids::{random_hex, sha256_hex};

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

/// The browser key from the request's cookies, if it has one of the right shape.
pub fn browser_key(headers: &HeaderMap, https: bool) -> Option<String> {
    let name = cookie_name(https);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|value| value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit()))
}

/// What the database knows a browser key by.
pub fn key_hash(key: &str) -> String {
    sha256_hex(key)
}

/// A new random browser key.
pub fn new_key() -> String {
    random_hex(32)
}

/// How the cookie is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookiePolicy {
    /// Customers reach the backend over https.
    pub https: bool,
    /// Other sites may frame the app (`BANKIDENT_FRAME_ANCESTORS` names another origin).
    pub cross_site_frames: bool,
}

impl CookiePolicy {
    /// The browser key of a request.
    pub fn key(self, headers: &HeaderMap) -> Option<String> {
        browser_key(headers, self.https)
    }

    /// The `Set-Cookie` header for a browser key.
    pub fn set_cookie(self, key: &str) -> HeaderValue {
        let attributes = match (self.cross_site_frames, self.https) {
            (true, _) => "; SameSite=None; Secure; Partitioned",
            (false, true) => "; SameSite=Lax; Secure",
            (false, false) => "; SameSite=Lax",
        };
        let value = format!(
            "{}={key}; Path=/; HttpOnly; Max-Age={MAX_AGE_SECONDS}{attributes}",
            cookie_name(self.https)
        );
        HeaderValue::from_str(&value).expect("the cookie is ASCII")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: CookiePolicy = CookiePolicy {
        https: false,
        cross_site_frames: false,
    };
    const HTTPS: CookiePolicy = CookiePolicy {
        https: true,
        cross_site_frames: false,
    };

    #[test]
    fn framed_by_other_sites_the_cookie_is_partitioned() {
        let framed = CookiePolicy {
            https: true,
            cross_site_frames: true,
        };
        let cookie = framed.set_cookie(&new_key()).to_str().unwrap().to_string();
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
        let cookie = LOCAL.set_cookie(&key).to_str().unwrap().to_string();
        assert!(
            cookie.starts_with("bankident=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
        );
        assert!(!cookie.contains("Secure"));
        let https = HTTPS.set_cookie(&key).to_str().unwrap().to_string();
        assert!(
            https.starts_with("__Host-bankident=")
                && https.contains("; Secure")
                && https.contains("Path=/")
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; bankident={key}")).unwrap(),
        );
        assert_eq!(browser_key(&headers, false), Some(key.clone()));
        assert_eq!(browser_key(&headers, true), None, "the https name differs");
        headers.insert(header::COOKIE, HeaderValue::from_static("bankident=short"));
        assert_eq!(browser_key(&headers, false), None);
        assert_ne!(key_hash(&key), key);
    }
}
