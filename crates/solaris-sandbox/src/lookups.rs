//! The optional checks before an identification: whether a person is eligible for Bankident,
//! and which bank an IBAN belongs to (bank name and BIC from the Bundesbank's bank-code file).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bankident_domain::bank_directory::bank_of;
use bankident_domain::{ErrorCode, Iban, IdentificationStatus};
use solaris_contract::{EligibilityCheck, EligibilityCheckRequest, IbanLookup, IbanLookupRequest};

use crate::Sandbox;
use crate::error::{ApiError, ApiResult};
use crate::identifications::MAX_IBAN_ATTEMPTS;
use crate::json_body::SolarisJson;

/// `POST /v1/persons/{person_id}/identification_eligibility_checks` with `{"method": "bank"}`:
/// not eligible once identified or out of IBAN attempts; `failure_reason` says which.
pub async fn eligibility_check_create(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<EligibilityCheckRequest>,
) -> ApiResult {
    let method = body.method.as_str();
    if method != "bank" {
        return Err(ApiError::invalid_model(
            "method",
            "is not supported (only bank)",
        ));
    }
    let state = sandbox.state();
    let person = state
        .persons
        .get(&person_id)
        .ok_or_else(|| ApiError::not_found("Person", &person_id))?;
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
    let body = EligibilityCheck {
        method: "bank".into(),
        eligible: reason.is_none(),
        failure_reason: reason.as_ref().map(|code| code.code().to_string()),
    };
    Ok(Json(body).into_response())
}

/// `POST /v1/iban_lookups` with `{"iban": "DE…"}`: the bank's name and BIC.
pub async fn iban_lookup_create(SolarisJson(body): SolarisJson<IbanLookupRequest>) -> ApiResult {
    let text = body.iban.as_str();
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
    let body = IbanLookup {
        iban: iban.electronic().to_string(),
        bank_code: bank.bank_code.into(),
        bic: bank.bic.into(),
        bank_name: bank.name.into(),
    };
    Ok(Json(body).into_response())
}
