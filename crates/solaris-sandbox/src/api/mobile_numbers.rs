//! The mobile number's API: create, read, authorize (sends a code to the SMS inbox), confirm,
//! delete, each number normalised and checked as Solaris does.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use solaris_contract::{MobileNumberRequest, TokenRequest};

use super::json_body::SolarisJson;
use crate::Sandbox;
use crate::error::{ApiError, ApiResult};

/// Solaris strips spaces, dashes, underscores and slashes; the rest must be `+` and 7 to 15
/// digits (E.164), with neither Iran (+98) nor North Korea (+850). The emulator checks this on
/// its own, not with the partner app's rules.
fn normalise_number(raw: &str) -> Result<String, ApiError> {
    let number: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '/'))
        .collect();
    let Some(digits) = number.strip_prefix('+') else {
        return Err(ApiError::invalid_model(
            "number",
            "must start with + and the country code",
        ));
    };
    let well_formed = (7..=15).contains(&digits.len())
        && digits.bytes().all(|byte| byte.is_ascii_digit())
        && !digits.starts_with('0');
    if !well_formed {
        return Err(ApiError::invalid_model(
            "number",
            "is not a valid mobile number",
        ));
    }
    if digits.starts_with("98") || digits.starts_with("850") {
        return Err(ApiError::invalid_model(
            "number",
            "has a country code that is not supported (Iran, North Korea)",
        ));
    }
    Ok(number)
}

/// `POST /v1/persons/{person_id}/mobile_number`.
pub async fn mobile_number_create(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<MobileNumberRequest>,
) -> ApiResult {
    let number = normalise_number(&body.number)?;
    let wire = sandbox.add_mobile_number(&person_id, number)?;
    Ok((StatusCode::CREATED, Json(wire)).into_response())
}

/// `GET /v1/persons/{person_id}/mobile_number`.
pub async fn mobile_number_show(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
) -> ApiResult {
    Ok(Json(sandbox.mobile_number(&person_id)?).into_response())
}

/// `POST /v1/persons/{person_id}/mobile_number/authorize`: sends a code by "SMS".
pub async fn mobile_number_authorize(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<MobileNumberRequest>,
) -> ApiResult {
    let number = normalise_number(&body.number)?;
    let json = sandbox.send_mobile_number_code(&person_id, &number)?;
    Ok((StatusCode::CREATED, Json(json)).into_response())
}

/// `POST /v1/persons/{person_id}/mobile_number/confirm` with the code as `token`.
pub async fn mobile_number_confirm(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<TokenRequest>,
) -> ApiResult {
    let raw = body
        .number
        .as_deref()
        .ok_or_else(|| ApiError::invalid_model("number", "can't be blank"))?;
    let number = normalise_number(raw)?;
    let token = body.token.as_str();
    let json = sandbox.confirm_mobile_number(&person_id, &number, token)?;
    Ok((StatusCode::CREATED, Json(json)).into_response())
}

/// `DELETE /v1/persons/{person_id}/mobile_number` with the number in the body.
pub async fn mobile_number_delete(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<MobileNumberRequest>,
) -> ApiResult {
    let number = normalise_number(&body.number)?;
    Ok(Json(sandbox.remove_mobile_number(&person_id, &number)?).into_response())
}
