//! The identification sessions' API: the callback URL and the methods are checked as Solaris
//! does (and against the emulator's configured callback origins) before the engine opens one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use solaris_contract::SessionRequest;
use solaris_contract::sessions::METHOD_BANK;

use super::json_body::SolarisJson;
use crate::Sandbox;
use crate::error::{ApiError, ApiResult};

/// Identification methods Solaris' session API knows.
const KNOWN_METHODS: [&str; 4] = ["bank", "bank_id", "fourthline", "idnow"];

/// `POST /v1/persons/{person_id}/identification_sessions`.
pub async fn session_create(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<SessionRequest>,
) -> ApiResult {
    let SessionRequest {
        callback_url,
        identification_methods: methods,
    } = body;
    if !crate::urls::is_https_or_loopback_http(&callback_url) {
        return Err(ApiError::invalid_model(
            "callback_url",
            "must be an https URL (the emulator also accepts http to localhost or 127.0.0.1, for local development)",
        ));
    }
    if let Some(origins) = &sandbox.config().callback_origins {
        let allowed = origins.iter().any(|origin| {
            callback_url
                .strip_prefix(origin.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
        });
        if !allowed {
            return Err(ApiError::invalid_model(
                "callback_url",
                "must lead back to the partner's own site (this emulator's configured callback origins)",
            ));
        }
    }
    if let Some(unknown) = methods
        .iter()
        .find(|method| !KNOWN_METHODS.contains(&method.as_str()))
    {
        return Err(ApiError::invalid_model(
            "identification_methods",
            format!("contains {unknown:?}, which is not one of {KNOWN_METHODS:?}"),
        ));
    }
    if !methods.iter().any(|method| method == METHOD_BANK) {
        return Err(ApiError::invalid_model(
            "identification_methods",
            "must contain \"bank\": the emulator runs Bankident sessions only",
        ));
    }
    let wire = sandbox.create_session(&person_id, callback_url, methods)?;
    Ok((StatusCode::CREATED, Json(wire)).into_response())
}

/// `GET /v1/persons/{person_id}/identification_sessions/{id}`.
pub async fn session_show(
    State(sandbox): State<Sandbox>,
    Path((person_id, id)): Path<(String, String)>,
) -> ApiResult {
    Ok(Json(sandbox.show_session(&person_id, &id)?).into_response())
}
