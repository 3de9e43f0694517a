//! The optional checks' API: whether a person is eligible for Bankident, and which bank an
//! IBAN belongs to.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use solaris_contract::sessions::METHOD_BANK;
use solaris_contract::{EligibilityCheckRequest, IbanLookupRequest};

use super::json_body::SolarisJson;
use crate::Sandbox;
use crate::engine::lookups::lookup_iban;
use crate::error::{ApiError, ApiResult};

/// `POST /v1/persons/{person_id}/identification_eligibility_checks` with `{"method": "bank"}`:
/// not eligible once identified or out of IBAN attempts; `failure_reason` says which.
pub async fn eligibility_check_create(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<EligibilityCheckRequest>,
) -> ApiResult {
    let method = body.method.as_str();
    if method != METHOD_BANK {
        return Err(ApiError::invalid_model(
            "method",
            "is not supported (only bank)",
        ));
    }
    Ok(Json(sandbox.eligibility_for_bank(&person_id)?).into_response())
}

/// `POST /v1/iban_lookups` with `{"iban": "DE…"}`: the bank's name and BIC.
pub async fn iban_lookup_create(SolarisJson(body): SolarisJson<IbanLookupRequest>) -> ApiResult {
    Ok(Json(lookup_iban(&body.iban)?).into_response())
}
