//! Identification sessions, the webview flow (`POST/GET
//! /v1/persons/{person_id}/identification_sessions[/{id}]`).

use bankident_domain::SessionStatus;
use serde::{Deserialize, Serialize};

/// The identification method of Bankident.
pub const METHOD_BANK: &str = "bank";

/// Body of `POST …/identification_sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRequest {
    /// Where the customer's browser goes when the webview ends.
    pub callback_url: String,
    /// Methods offered in the session (`bank` for Bankident).
    pub identification_methods: Vec<String>,
}

/// A session as Solaris answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentificationSession {
    /// `…ises`.
    pub id: String,
    /// The webview URL to send the customer to.
    pub url: String,
    /// As requested.
    pub callback_url: String,
    /// As requested.
    pub identification_methods: Vec<String>,
    /// Current status.
    pub status: SessionStatus,
    /// Not documented: the person the session identifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// Not documented: the session's latest identification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identification_id: Option<String>,
    /// Not documented: that identification's failure reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_guides_example_without_undocumented_fields() {
        // The guide's Step 3 response.
        let session: IdentificationSession = serde_json::from_str(
            r#"{"id":"acdede097f821bd8037465d691f69506ises","url":"https://person-onboarding.solaris-staging.de/abc","callback_url":"https://www.callbackurl.com","identification_methods":["bank"],"status":"created"}"#,
        )
        .unwrap();
        assert_eq!(session.status, SessionStatus::Created);
        assert_eq!(session.identification_id, None);
        let written = serde_json::to_value(&session).unwrap();
        assert!(written.get("identification_id").is_none());
    }
}
