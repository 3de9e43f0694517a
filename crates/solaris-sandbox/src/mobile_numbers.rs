//! A person's mobile number: create, read, authorize (sends a code to the SMS inbox), confirm,
//! delete. The guide's static test values work: number `+15550101` with code `212212`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use time::Duration;

use crate::Sandbox;
use crate::error::{ApiError, ApiResult};
use crate::ids::new_id;
use crate::json_body::SolarisJson;
use crate::model::{MobileNumber, Payload};
use solaris_contract::{EventType, MobileNumberBody, MobileNumberRequest, TokenRequest};

/// The guide's static sandbox number.
pub const STATIC_NUMBER: &str = "+15550101";
/// The guide's static sandbox SMS code for that number.
pub const STATIC_CODE: &str = "212212";
/// How long an SMS code stays valid (the guide's FAQ gives 10 minutes for QES codes; the
/// emulator uses the same for mobile-number codes).
pub const CODE_VALIDITY: Duration = Duration::minutes(10);

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
    let wire = {
        let mut state = sandbox.state();
        let person = state
            .persons
            .get_mut(&person_id)
            .ok_or_else(|| ApiError::not_found("Person", &person_id))?;
        if person.mobile_number.is_some() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "mobile_number_exists",
                "Mobile Number Exists",
                "the person already has a mobile number",
            ));
        }
        let mobile = MobileNumber {
            id: new_id("cmno"),
            number,
            verified: false,
            pending_code: None,
        };
        let wire = mobile.to_wire();
        person.mobile_number = Some(mobile);
        wire
    };
    sandbox.webhooks().publish(
        EventType::PersonMobileNumberCreated,
        &person_id,
        &Payload::Empty {},
    );
    Ok((StatusCode::CREATED, Json(wire)).into_response())
}

/// `GET /v1/persons/{person_id}/mobile_number`.
pub async fn mobile_number_show(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
) -> ApiResult {
    let state = sandbox.state();
    let person = state
        .persons
        .get(&person_id)
        .ok_or_else(|| ApiError::not_found("Person", &person_id))?;
    let mobile = person
        .mobile_number
        .as_ref()
        .ok_or_else(|| ApiError::not_found("MobileNumber", &person_id))?;
    Ok(Json(mobile.to_wire()).into_response())
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

/// `DELETE /v1/persons/{person_id}/mobile_number` with the number in the body. The emulator
/// deletes verified numbers directly too (the real API asks the owner by SMS first).
pub async fn mobile_number_delete(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<MobileNumberRequest>,
) -> ApiResult {
    let number = normalise_number(&body.number)?;
    let removed = {
        let mut state = sandbox.state();
        let person = state
            .persons
            .get_mut(&person_id)
            .ok_or_else(|| ApiError::not_found("Person", &person_id))?;
        match person.mobile_number.take() {
            None => {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "unauthorized_action",
                    "Unauthorized Action",
                    "the person has no mobile number",
                ));
            }
            Some(mobile) if mobile.number != number => {
                person.mobile_number = Some(mobile);
                return Err(ApiError::not_found("MobileNumber", &number));
            }
            Some(mobile) => mobile.to_wire(),
        }
    };
    sandbox.webhooks().publish(
        EventType::PersonMobileNumberDeleted,
        &person_id,
        &Payload::Entity {
            id: removed.id.clone(),
        },
    );
    Ok(Json(removed).into_response())
}

impl crate::model::State {
    /// The person's mobile number, if it is `number`.
    fn mobile_number_mut(
        &mut self,
        person_id: &str,
        number: &str,
    ) -> Result<&mut MobileNumber, ApiError> {
        let person = self
            .persons
            .get_mut(person_id)
            .ok_or_else(|| ApiError::not_found("Person", person_id))?;
        let mobile = person
            .mobile_number
            .as_mut()
            .ok_or_else(|| ApiError::not_found("MobileNumber", person_id))?;
        if mobile.number == number {
            Ok(mobile)
        } else {
            Err(ApiError::not_found("MobileNumber", number))
        }
    }
}

impl Sandbox {
    /// Sends a new mobile-number code to the person's number (shared by the API and the webview).
    pub(crate) fn send_mobile_number_code(
        &self,
        person_id: &str,
        number: &str,
    ) -> Result<MobileNumberBody, ApiError> {
        let now = self.now();
        let mut state = self.state();
        let mobile = state.mobile_number_mut(person_id, number)?;
        let code = crate::ids::sms_code();
        mobile.pending_code = Some((code.clone(), now));
        let wire = mobile.to_wire();
        let number = mobile.number.clone();
        state.deliver_sms(number, code, "mobile_number", now);
        Ok(wire)
    }

    /// Checks a mobile-number code; the latest code within 10 minutes, or the static pair.
    pub(crate) fn confirm_mobile_number(
        &self,
        person_id: &str,
        number: &str,
        token: &str,
    ) -> Result<MobileNumberBody, ApiError> {
        let now = self.now();
        let mut state = self.state();
        let mobile = state.mobile_number_mut(person_id, number)?;
        let static_pair = mobile.number == STATIC_NUMBER && token == STATIC_CODE;
        let sent_code_matches = mobile
            .pending_code
            .as_ref()
            .is_some_and(|(code, sent)| code == token && now - *sent <= CODE_VALIDITY);
        if !static_pair && !sent_code_matches {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "invalid_tan",
                "Invalid TAN",
                format!(
                    "Invalid or expired TAN for Solaris::MobileNumber with uid: '{}'",
                    mobile.id
                ),
            ));
        }
        mobile.verified = true;
        mobile.pending_code = None;
        Ok(mobile.to_wire())
    }
}
