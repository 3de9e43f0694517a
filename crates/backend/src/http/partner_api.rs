//! The partner API under `/partner/v1/`, for the partner's servers (never for browsers):
//!
//! - `POST /partner/v1/onboardings`: the onboarding of a customer (by the partner's
//!   `customer_reference`, created on first use) and a fresh single-use start link;
//! - `GET /partner/v1/onboardings/{id}` and `GET /partner/v1/onboardings?customer_reference=…`:
//!   how it stands, with the signed documents once identified;
//! - `GET /partner/v1/onboardings/{id}/documents/{document_id}`: a signed document's file,
//!   from Solaris;
//! - `GET /partner/v1/onboardings/{id}/events`: the webhook events and every delivery attempt.
//!
//! Every call needs `Authorization: Bearer <API key>`, one of `BANKIDENT_PARTNER_API_KEYS`
//! (compared in constant time; never logged). Anything else gets 401 and changes nothing.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa::IntoParams;

use super::AppState;
use super::download::document_download_answer;
use super::extract::JsonBody;
use crate::error::PartnerError;
use crate::onboarding::partner::{EventsView, OnboardingCreate, OnboardingCreated, OnboardingView};

/// The partner API's routes (behind [`require_api_key`]).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/partner/v1/onboardings",
            get(onboarding_find).post(onboarding_create),
        )
        .route("/partner/v1/onboardings/{id}", get(onboarding_show))
        .route(
            "/partner/v1/onboardings/{id}/documents/{document_id}",
            get(document_download),
        )
        .route("/partner/v1/onboardings/{id}/events", get(events_index))
}

/// Middleware: the partner API needs one of the configured API keys.
pub async fn require_api_key(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let accepted = presented.is_some_and(|presented| {
        // Digests have one length, so the comparison takes the same time for any key; every
        // configured key is compared.
        let presented = Sha256::digest(presented.as_bytes());
        state
            .config
            .partner
            .api_keys
            .iter()
            .fold(subtle::Choice::from(0), |found, key| {
                found | Sha256::digest(key.bytes()).ct_eq(&presented)
            })
            .into()
    });
    if !accepted {
        tracing::warn!("partner API call without a valid API key refused");
        return PartnerError::Unauthorized.into_response();
    }
    next.run(request).await
}

/// `GET /partner/v1/onboardings?customer_reference=…`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferenceQuery {
    /// Your reference for the customer.
    pub customer_reference: String,
}

/// Creates the customer's onboarding on first use, and a start link.
#[utoipa::path(
    post,
    path = "/partner/v1/onboardings",
    tag = "partner",
    request_body = OnboardingCreate,
    responses(
        (status = 201, description = "Created, with a start link", body = OnboardingCreated),
        (status = 200, description = "The customer's existing onboarding, with a fresh start link", body = OnboardingCreated),
        (status = 401, description = "No valid API key"),
        (status = 422, description = "A rule is broken (the prefill's field errors, or `invalid` with a message)"),
    ),
    security(("api_key" = []))
)]
pub async fn onboarding_create(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<OnboardingCreate>,
) -> Result<Response, PartnerError> {
    let (body, created) = state.onboardings.partner_create(&request).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(body)).into_response())
}

/// How an onboarding stands.
#[utoipa::path(
    get,
    path = "/partner/v1/onboardings/{id}",
    tag = "partner",
    params(("id" = String, Path, description = "The onboarding's id")),
    responses(
        (status = 200, body = OnboardingView),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such onboarding"),
    ),
    security(("api_key" = []))
)]
pub async fn onboarding_show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<OnboardingView>, PartnerError> {
    Ok(Json(state.onboardings.partner_show(&id).await?))
}

/// The onboarding of a customer, by your reference.
#[utoipa::path(
    get,
    path = "/partner/v1/onboardings",
    tag = "partner",
    params(ReferenceQuery),
    responses(
        (status = 200, body = OnboardingView),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No onboarding for this reference"),
    ),
    security(("api_key" = []))
)]
pub async fn onboarding_find(
    State(state): State<AppState>,
    query: Result<Query<ReferenceQuery>, QueryRejection>,
) -> Result<Json<OnboardingView>, PartnerError> {
    let Query(query) = query
        .map_err(|_| PartnerError::Invalid("give the customer_reference in the query".into()))?;
    Ok(Json(
        state
            .onboardings
            .partner_find(&query.customer_reference)
            .await?,
    ))
}

/// A document of the onboarding's deciding identification, from Solaris.
#[utoipa::path(
    get,
    path = "/partner/v1/onboardings/{id}/documents/{document_id}",
    tag = "partner",
    params(
        ("id" = String, Path, description = "The onboarding's id"),
        ("document_id" = String, Path, description = "The document's id (from the onboarding's `documents`)"),
    ),
    responses(
        (status = 200, description = "The file (the signed KYC report is a PDF)", content_type = "application/pdf"),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such onboarding or document"),
        (status = 502, description = "Solaris did not answer; try again"),
    ),
    security(("api_key" = []))
)]
pub async fn document_download(
    State(state): State<AppState>,
    Path((id, document_id)): Path<(String, String)>,
) -> Result<Response, PartnerError> {
    let document = state
        .onboardings
        .partner_document(&id, &document_id)
        .await?;
    Ok(document_download_answer(document))
}

/// The events sent to your webhook for an onboarding, with every delivery attempt.
#[utoipa::path(
    get,
    path = "/partner/v1/onboardings/{id}/events",
    tag = "partner",
    params(("id" = String, Path, description = "The onboarding's id")),
    responses(
        (status = 200, body = EventsView),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such onboarding"),
    ),
    security(("api_key" = []))
)]
pub async fn events_index(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EventsView>, PartnerError> {
    Ok(Json(state.onboardings.partner_events(&id).await?))
}
