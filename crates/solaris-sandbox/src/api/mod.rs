//! The API as Solaris serves it: thin handlers that read the contract's request types, check
//! them as Solaris does, call the engine and answer. No handler touches the data directly.

pub mod auth;
pub mod identifications;
pub mod json_body;
pub mod lookups;
pub mod mobile_numbers;
mod pages;
pub mod persons;
pub mod sessions;
pub mod webhooks;

use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, patch, post};

use crate::Sandbox;
use crate::error::ApiError;

/// `/oauth2/token` and every `/v1` route, the latter behind a bearer token.
pub fn routes(sandbox: Sandbox) -> Router<Sandbox> {
    let v1 = Router::new()
        .route(
            "/v1/persons",
            get(persons::person_index).post(persons::person_create),
        )
        .route(
            "/v1/persons/{id}",
            get(persons::person_show).patch(persons::person_update),
        )
        .route(
            "/v1/persons/{id}/mobile_number",
            get(mobile_numbers::mobile_number_show)
                .post(mobile_numbers::mobile_number_create)
                .delete(mobile_numbers::mobile_number_delete),
        )
        .route(
            "/v1/persons/{id}/mobile_number/authorize",
            post(mobile_numbers::mobile_number_authorize),
        )
        .route(
            "/v1/persons/{id}/mobile_number/confirm",
            post(mobile_numbers::mobile_number_confirm),
        )
        .route(
            "/v1/persons/{id}/identifications",
            get(identifications::identification_index).post(identifications::identification_create),
        )
        .route(
            "/v1/persons/{id}/identifications/{identification_id}",
            get(identifications::identification_show),
        )
        .route(
            "/v1/persons/{id}/identifications/{identification_id}/request",
            patch(identifications::identification_request),
        )
        .route(
            "/v1/persons/{id}/identifications/{identification_id}/authorize",
            patch(identifications::identification_authorize),
        )
        .route(
            "/v1/persons/{id}/identifications/{identification_id}/confirm",
            patch(identifications::identification_confirm),
        )
        .route(
            "/v1/persons/{id}/identifications/{identification_id}/documents/{document_id}/file",
            get(identifications::document_download),
        )
        .route(
            "/v1/persons/{id}/identification_eligibility_checks",
            post(lookups::eligibility_check_create),
        )
        .route("/v1/iban_lookups", post(lookups::iban_lookup_create))
        .route(
            "/v1/persons/{id}/identification_sessions",
            post(sessions::session_create),
        )
        .route(
            "/v1/persons/{id}/identification_sessions/{session_id}",
            get(sessions::session_show),
        )
        .route(
            "/v1/webhooks",
            get(webhooks::webhook_index).post(webhooks::webhook_create),
        )
        .route(
            "/v1/webhooks/{id}",
            get(webhooks::webhook_show).delete(webhooks::webhook_delete),
        )
        .fallback(not_found)
        .route_layer(from_fn_with_state(sandbox, auth::require_bearer));
    Router::new()
        .route("/oauth2/token", post(auth::token_create))
        .merge(v1)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Not Found",
        format!("no such endpoint: {}", uri.path()),
    )
}
