//! Where an API-mode identification stands, as the backend tells the customer's screens.

use serde::{Deserialize, Serialize};

/// The step the customer is at in the API mode.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BankStepKind {
    /// The mobile number is not verified: the SMS code.
    Verify,
    /// No identification yet: the IBAN, the signature terms, the way to the bank.
    Transfer,
    /// The customer is at the bank (the payment wizard), or has not finished there.
    Bank,
    /// The contract is ready; no signature code was sent yet.
    Sign,
    /// A signature code was sent.
    Code,
    /// Signed; Solaris finishes.
    Confirming,
    /// Ended: the outcome page has the result.
    Done,
}

/// A contract document as the customer's screens list it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    /// Solaris' document id (`GET /api/bank_identification/documents/{id}` downloads it).
    pub id: String,
    /// File name.
    pub name: String,
    /// `QES_DOCUMENT` (to sign) or `SIGNED_QES_DOCUMENT`.
    pub document_type: String,
    /// Bytes.
    pub size: u64,
}

impl DocumentView {
    /// Whether this is the signed copy.
    pub fn is_signed(&self) -> bool {
        self.document_type
            .eq_ignore_ascii_case("SIGNED_QES_DOCUMENT")
    }
}

/// Where an API-mode identification stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankStep {
    /// The step.
    pub step: BankStepKind,
    /// The payment wizard (allow-listed host), while the customer is at the bank.
    #[serde(default)]
    pub wizard_url: Option<String>,
    /// The contract documents (the signed copy once successful).
    #[serde(default)]
    pub documents: Vec<DocumentView>,
    /// The reference Solaris shows in the SMS with the signature code.
    #[serde(default)]
    pub reference: Option<String>,
    /// Seconds the current signature code still works.
    #[serde(default)]
    pub code_valid_for_seconds: Option<i64>,
    /// Seconds until a new code may be asked for.
    #[serde(default)]
    pub resend_after_seconds: Option<i64>,
}

impl BankStep {
    /// A step with nothing else to say.
    pub fn only(step: BankStepKind) -> BankStep {
        BankStep {
            step,
            wizard_url: None,
            documents: Vec::new(),
            reference: None,
            code_valid_for_seconds: None,
            resend_after_seconds: None,
        }
    }
}

/// Where to send the customer next: one of our pages, or the payment wizard (allow-listed host).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextUrl {
    /// A path of ours (`/transfer`) or the payment wizard's URL.
    pub url: String,
}
