//! The calls of the API mode (the guide's Appendix II): verifying the mobile number by SMS code,
//! and the bank identification from its creation to the confirmed signature.

use reqwest::Method;
use solaris_contract::sessions::METHOD_BANK;
use solaris_contract::{Identification, IdentificationRequest, MobileNumberRequest, TokenRequest};

use super::{Retry, SolarisClient, SolarisError};

/// Solaris' code for a wrong or expired SMS code (`403`).
pub const INVALID_TAN: &str = "invalid_tan";

impl SolarisError {
    /// Whether Solaris refused an SMS code as wrong or expired.
    pub fn is_invalid_code(&self) -> bool {
        matches!(self, SolarisError::Rejected { status: 403, code, .. } if code == INVALID_TAN)
    }

    /// Whether Solaris refused a step because the identification is not in the state for it
    /// (`409 expectation_mismatch`, e.g. the next step after a failed bank step).
    pub fn is_expectation_mismatch(&self) -> bool {
        matches!(self, SolarisError::Rejected { status: 409, .. })
    }
}

impl SolarisClient {
    /// Sends an SMS code to the person's mobile number (`POST …/mobile_number/authorize`).
    pub async fn authorize_mobile_number(
        &self,
        person_id: &str,
        number: &str,
    ) -> Result<(), SolarisError> {
        let body = serde_json::to_value(MobileNumberRequest {
            number: number.to_string(),
        })
        .expect("request bodies serialize");
        self.call(
            Method::POST,
            &format!("/v1/persons/{person_id}/mobile_number/authorize"),
            Some(&body),
            Retry::OnlyUnsent,
        )
        .await
        .map(|_| ())
    }

    /// Confirms the mobile number with the SMS code (`POST …/mobile_number/confirm`).
    pub async fn confirm_mobile_number(
        &self,
        person_id: &str,
        number: &str,
        token: &str,
    ) -> Result<(), SolarisError> {
        let body = serde_json::to_value(TokenRequest {
            token: token.to_string(),
            number: Some(number.to_string()),
        })
        .expect("request bodies serialize");
        self.call(
            Method::POST,
            &format!("/v1/persons/{person_id}/mobile_number/confirm"),
            Some(&body),
            Retry::OnlyUnsent,
        )
        .await
        .map(|_| ())
    }

    /// Creates a bank identification with the customer's IBAN and Swisscom's terms consent.
    pub async fn create_identification(
        &self,
        person_id: &str,
        iban: &str,
        terms_signed_at: &str,
    ) -> Result<Identification, SolarisError> {
        let body = IdentificationRequest {
            method: METHOD_BANK.to_string(),
            iban: iban.to_string(),
            terms_and_conditions_signed_at: Some(terms_signed_at.to_string()),
        };
        self.call_json(
            Method::POST,
            &format!("/v1/persons/{person_id}/identifications"),
            Some(&body),
            Retry::OnlyUnsent,
        )
        .await
    }

    /// One of the identification's steps (`PATCH …/identifications/{id}/{step}`): `request`
    /// (answers with the payment wizard's `url`), `authorize` (sends the signature code) or
    /// `confirm` (with `token`, the code).
    pub async fn identification_step(
        &self,
        person_id: &str,
        identification_id: &str,
        step: IdentificationStep<'_>,
    ) -> Result<Identification, SolarisError> {
        let (name, body) = match step {
            IdentificationStep::Request => ("request", None),
            IdentificationStep::Authorize => ("authorize", None),
            IdentificationStep::Confirm(token) => (
                "confirm",
                Some(TokenRequest {
                    token: token.to_string(),
                    number: None,
                }),
            ),
        };
        self.call_json(
            Method::PATCH,
            &format!("/v1/persons/{person_id}/identifications/{identification_id}/{name}"),
            body.as_ref(),
            Retry::OnlyUnsent,
        )
        .await
    }
}

/// A step of a bank identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentificationStep<'a> {
    /// Start the payment initiation.
    Request,
    /// Start the signature: Solaris sends a code (each new one replaces the previous).
    Authorize,
    /// Confirm the signature with the code.
    Confirm(&'a str),
}
