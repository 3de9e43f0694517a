//! Person identifications with method `bank` (`/v1/persons/{person_id}/identifications`).

use bankident_domain::{IdentificationFacts, IdentificationStatus};
use serde::{Deserialize, Serialize};

/// An identification as Solaris answers it (GET, index, and the `IDENTIFICATION` webhook).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identification {
    /// `…cidt`.
    pub id: String,
    /// The partner's reference, if one was sent.
    #[serde(default)]
    pub reference: Option<String>,
    /// The payment-initiation wizard's URL, once requested.
    #[serde(default)]
    pub url: Option<String>,
    /// Current status.
    pub status: IdentificationStatus,
    /// Why it failed (the guide's Appendix III codes; casing varies, read case-insensitively).
    #[serde(default)]
    pub failure_reason: Option<String>,
    /// When it reached a final status (UTC, ISO 8601).
    #[serde(default)]
    pub completed_at: Option<String>,
    /// `bank`.
    #[serde(default)]
    pub method: Option<String>,
    /// The IBAN used.
    #[serde(default)]
    pub iban: Option<String>,
    /// Contract documents (to sign, then signed).
    #[serde(default)]
    pub documents: Vec<Document>,
    /// Until when the bank step and the signature must be done.
    #[serde(default)]
    pub authorization_expires_at: Option<String>,
    /// Until when the current QES code is valid.
    #[serde(default)]
    pub confirmation_expires_at: Option<String>,
    /// Swisscom's terms consent, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_and_conditions_signed_at: Option<String>,
    /// Reference shown to the customer with the QES code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_reference_token: Option<String>,
    /// Not documented on identifications (a mock adds it): the person identified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
}

impl Identification {
    /// What the outcome rule needs of it.
    pub fn facts(&self) -> IdentificationFacts {
        IdentificationFacts {
            id: self.id.clone(),
            status: self.status.clone(),
            failure_reason: self.failure_reason.clone(),
            completed_at: self.completed_at.clone(),
        }
    }
}

/// `POST /v1/persons/{person_id}/identifications` for Bankident (the guide's Appendix II).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentificationRequest {
    /// `bank`.
    pub method: String,
    /// The customer's IBAN (electronic form).
    pub iban: String,
    /// When the customer accepted Swisscom's terms for the qualified electronic signature. The
    /// guide's example sends it; Solaris does not document it as required, so it may be absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_and_conditions_signed_at: Option<String>,
}

/// `PATCH …/identifications/{id}/confirm` and `POST …/mobile_number/confirm`: the SMS code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    /// The six-digit code the customer received.
    pub token: String,
    /// The mobile number (only the mobile number's confirmation takes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

/// A contract document of an identification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// `…cdoc`.
    pub id: String,
    /// File name.
    pub name: String,
    /// `application/pdf`.
    pub content_type: String,
    /// `QES_DOCUMENT` or `SIGNED_QES_DOCUMENT`.
    pub document_type: String,
    /// Bytes.
    pub size: u64,
    /// Whether the customer may download it.
    pub customer_accessible: bool,
    /// Creation time.
    pub created_at: String,
    /// Not documented: where the emulator serves the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_minimal_identification() {
        let failed: Identification = serde_json::from_str(
            r#"{"id":"1cidt","status":"failed","failure_reason":"joint_account","method":"bank"}"#,
        )
        .unwrap();
        assert_eq!(failed.status, IdentificationStatus::Failed);
        assert_eq!(
            failed.facts().failure_reason.as_deref(),
            Some("joint_account")
        );
        assert_eq!(failed.person_id, None);
    }
}
