//! OAuth2 client credentials (`POST /oauth2/token` with HTTP Basic auth).

use serde::{Deserialize, Serialize};

/// The lifetime Solaris' sample token answer gives, used when an answer leaves it out.
pub const DEFAULT_EXPIRES_IN: u64 = 3599;

/// The token answer: `{"access_token","expires_in","scope","token_type"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    /// The bearer token for `/v1` calls.
    pub access_token: String,
    /// Seconds it stays valid.
    #[serde(default = "default_expires_in")]
    pub expires_in: u64,
    /// `partners`.
    #[serde(default)]
    pub scope: String,
    /// `bearer`.
    #[serde(default)]
    pub token_type: String,
}

fn default_expires_in() -> u64 {
    DEFAULT_EXPIRES_IN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_references_sample_and_a_bare_token() {
        let sample: AccessToken = serde_json::from_str(
            r#"{"access_token":"abc","expires_in":3599,"scope":"partners","token_type":"bearer"}"#,
        )
        .unwrap();
        assert_eq!(sample.access_token, "abc");
        assert_eq!(sample.expires_in, 3599);
        let bare: AccessToken = serde_json::from_str(r#"{"access_token":"abc"}"#).unwrap();
        assert_eq!(bare.expires_in, DEFAULT_EXPIRES_IN);
        assert!(serde_json::from_str::<AccessToken>(r#"{"expires_in":1}"#).is_err());
    }
}
