//! The optional checks before an identification: the eligibility check and the IBAN lookup.

use serde::{Deserialize, Serialize};

/// Body of `POST /v1/persons/{person_id}/identification_eligibility_checks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibilityCheckRequest {
    /// `bank`.
    pub method: String,
}

/// Body of `POST /v1/iban_lookups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IbanLookupRequest {
    /// The IBAN, as the customer typed it.
    pub iban: String,
}

/// The answer of `POST /v1/persons/{person_id}/identification_eligibility_checks`, as the
/// guide shows it (`failure_reason` is `null` while the person is eligible).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibilityCheck {
    /// `bank`.
    pub method: String,
    /// Whether an identification may be started.
    pub eligible: bool,
    /// Why not, as an Appendix III code.
    pub failure_reason: Option<String>,
}

/// The answer of `POST /v1/iban_lookups`. Not publicly documented: the fields are the
/// emulator's proposal (see the reference notes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IbanLookup {
    /// The IBAN in electronic form.
    pub iban: String,
    /// The German bank code (BLZ).
    pub bank_code: String,
    /// The bank's BIC.
    pub bic: String,
    /// The bank's name.
    pub bank_name: String,
}
