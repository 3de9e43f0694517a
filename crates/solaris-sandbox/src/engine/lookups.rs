//! The optional checks before an identification: whether a person is eligible for Bankident,
//! and which bank an IBAN belongs to (bank name and BIC from the Bundesbank's bank-code file).

use axum::http::StatusCode;
use bankident_domain::bank_directory::bank_of;
use bankident_domain::{ErrorCode, Iban, IdentificationStatus};
use solaris_contract::sessions::METHOD_BANK;
use solaris_contract::{EligibilityCheck, IbanLookup};

use super::identifications::MAX_IBAN_ATTEMPTS;
use crate::Sandbox;
use crate::error::ApiError;

impl Sandbox {
    /// Whether the person may still identify with Bankident: not once identified, nor out of
    /// IBAN attempts; `failure_reason` says which.
    pub(crate) fn eligibility_for_bank(
        &self,
        person_id: &str,
    ) -> Result<EligibilityCheck, ApiError> {
        let state = self.state();
        let person = state
            .persons
            .get(person_id)
            .ok_or_else(|| ApiError::not_found("Person", person_id))?;
        let identified = state.identifications.values().any(|identification| {
            identification.person_id == person_id
                && identification.status == IdentificationStatus::Successful
        });
        let reason = if identified {
            Some(ErrorCode::AlreadyIdentifiedSuccessfully)
        } else if person.iban_attempts.len() >= MAX_IBAN_ATTEMPTS {
            Some(ErrorCode::IdentificationAttemptsExceeded)
        } else {
            None
        };
        Ok(EligibilityCheck {
            method: METHOD_BANK.into(),
            eligible: reason.is_none(),
            failure_reason: reason.as_ref().map(|code| code.code().to_string()),
        })
    }
}

/// The bank an IBAN belongs to, from the Bundesbank's directory.
pub fn lookup_iban(text: &str) -> Result<IbanLookup, ApiError> {
    let iban = Iban::parse(text).map_err(|error| ApiError {
        field: Some("iban".into()),
        ..ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_iban",
            "Invalid IBAN",
            format!("IBAN ({text}) is invalid: {error}"),
        )
    })?;
    let bank = bank_of(&iban).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "model_not_found",
            "Model Not Found",
            format!(
                "no bank with bank code {} in the Bundesbank directory",
                iban.bank_code()
            ),
        )
    })?;
    Ok(IbanLookup {
        iban: iban.electronic().to_string(),
        bank_code: bank.bank_code.into(),
        bic: bank.bic.into(),
        bank_name: bank.name.into(),
    })
}
