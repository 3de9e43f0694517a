//! Binding a browser to its onboarding: an HttpOnly, SameSite=Lax cookie holding a random key
//! (Secure and `__Host-` prefixed under https). The database stores only the key's hash. No
//! URL ever carries anything that grants access.

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

/// The `Set-Cookie` header for a browser key.
pub fn set_cookie(key: &str, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let value = format!(
        "{}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE_SECONDS}{secure}",
        cookie_name(https)
    );
    HeaderValue::from_str(&value).expect("the cookie is ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_round_trip_and_attributes() {
        let key = new_key();
        let cookie = set_cookie(&key, false).to_str().unwrap().to_string();
        assert!(
            cookie.starts_with("bankident=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
        );
        assert!(!cookie.contains("Secure"));
        let https = set_cookie(&key, true).to_str().unwrap().to_string();
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
