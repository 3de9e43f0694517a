//! The partner API under `/partner/v1/`, for the partner's servers (never for browsers):
//!
//! - `POST /partner/v1/onboardings`: the onboarding of a customer (by the partner's
//!   `customer_reference`, created on first use) and a fresh single-use start link;
//! - `GET /partner/v1/onboardings/{id}`: how it stands, with the signed documents once
//!   identified; `GET /partner/v1/onboardings`: every onboarding, filtered and paged;
//! - `DELETE /partner/v1/onboardings/{id}`: erases what we hold about the customer (a
//!   tombstone stays, and the partner API answers 410 `erased` for it from then on);
//! - `GET /partner/v1/onboardings/{id}/documents/{document_id}`: a signed document's file,
//!   from Solaris;
//! - `GET /partner/v1/onboardings/{id}/events`: the webhook events and every delivery attempt;
//! - `GET /partner/v1/events`: every event, in order, one page at a time with a cursor;
//! - `POST /partner/v1/events/{id}/redeliver` and `POST /partner/v1/events/redeliver`: one
//!   event, or every `failed` or `not_sent` one, delivered again.
//!
//! Every call needs `Authorization: Bearer <API key>`, one of `BANKIDENT_PARTNER_API_KEYS`
//! (compared in constant time; never logged). Anything else gets 401 and changes nothing.

use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Json, Router};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::AppState;
use super::download::document_download_answer;
use super::extract::{PartnerJson, PartnerQuery};
use crate::error::{PartnerError, ProblemCode};
use crate::onboarding::erasure::Tombstone;
use crate::onboarding::events::{EventPage, EventQuery, RedeliveryQueued, RedeliveryRequest};
use crate::onboarding::listing::{OnboardingPage, OnboardingQuery};
use crate::onboarding::partner::{
    EventsView, LinksRevoked, OnboardingCreate, OnboardingCreated, OnboardingView, PartnerKey,
};
use crate::partner_events::TestDelivery;
use crate::serve::ClientAddress;

/// The partner API's routes (behind [`require_api_key`]).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/partner/v1/onboardings",
            get(onboarding_list).post(onboarding_create),
        )
        .route(
            "/partner/v1/onboardings/{id}",
            get(onboarding_show).delete(onboarding_erase),
        )
        .route(
            "/partner/v1/onboardings/{id}/documents/{document_id}",
            get(document_download),
        )
        .route("/partner/v1/onboardings/{id}/events", get(events_index))
        .route("/partner/v1/events", get(event_list))
        .route("/partner/v1/events/redeliver", post(events_redeliver))
        .route("/partner/v1/events/{id}/redeliver", post(event_redeliver))
        .route("/partner/v1/webhooks/test", post(webhook_test))
        .route(
            "/partner/v1/onboardings/{id}/start_links/revoke",
            post(start_links_revoke),
        )
        .route(
            "/partner/v1/onboardings/{id}/cancel",
            post(onboarding_cancel),
        )
        .route("/partner/{*rest}", any(partner_not_found))
}

/// Cancel an onboarding that is not over.
///
/// For a customer who withdrew, or one you stopped: the state becomes `cancelled`, its start
/// links stop working, the customer's next page says the identification was closed, and
/// `onboarding.cancelled` is sent. What the customer still does at Solaris is not recorded. A
/// retried cancel answers the same; identify the customer anew with `"reidentify": true`.
#[utoipa::path(
    post,
    path = "/partner/v1/onboardings/{id}/cancel",
    tag = "partner",
    params(("id" = String, Path, description = "The onboarding's id")),
    responses(
        (status = 200, description = "Cancelled (now or before)", body = OnboardingView),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such onboarding"),
        (status = 409, description = "`already_final`: it has its final outcome"),
        (status = 410, description = "`erased`: it was erased"),
    ),
    security(("api_key" = []))
)]
pub async fn onboarding_cancel(
    State(state): State<AppState>,
    Extension(key): Extension<PartnerKey>,
    Path(id): Path<String>,
) -> Result<Json<OnboardingView>, PartnerError> {
    Ok(Json(state.onboardings.partner_cancel(&id, &key).await?))
}

/// Any other path under `/partner/`: a problem, never the app's page.
async fn partner_not_found() -> PartnerError {
    PartnerError::NotFound("endpoint in the partner API")
}

/// Middleware: the partner API needs one of the configured API keys. Each call is logged with
/// the key's name (never the key), and the name goes along to what the call changes.
pub async fn require_api_key(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let matched = presented.and_then(|presented| {
        // Digests have one length, so each comparison takes the same time for any key; every
        // configured key is compared.
        let presented = Sha256::digest(presented.as_bytes());
        let mut matched = None;
        for key in &state.config.partner.api_keys {
            if bool::from(Sha256::digest(key.secret.bytes()).ct_eq(&presented)) {
                matched = Some(key.name.clone());
            }
        }
        matched
    });
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let Some(name) = matched else {
        let address = state.config.client_address(
            request.headers(),
            request
                .extensions()
                .get::<ClientAddress>()
                .map(|address| address.0),
        );
        if let Err(wait) = state.web.rate_limits.check_refused_key(address) {
            tracing::warn!(%route, "partner API calls with wrong keys over their limit: refused without looking");
            return PartnerError::from(wait).into_response();
        }
        tracing::warn!(%route, "partner API call without a valid API key refused");
        return PartnerError::Unauthorized.into_response();
    };
    if let Err(wait) = state.web.rate_limits.check_partner_call(&name) {
        tracing::warn!(key = %name, %route, "partner API call over its rate limit refused");
        return PartnerError::from(wait).into_response();
    }
    tracing::info!(key = %name, method = %request.method(), %route, "partner API call");
    request.extensions_mut().insert(PartnerKey(name));
    next.run(request).await
}

/// Create (or find) a customer's onboarding, with a start link.
///
/// The same `customer_reference` gets its current onboarding (200) and a fresh link, which
/// replaces the links nobody opened yet; the first call creates it (201). `"reidentify": true`
/// identifies a customer anew once their onboarding is over. With an `Idempotency-Key`, the
/// same request sent again within 24 hours gets the first answer (`Idempotent-Replayed: true`)
/// and changes nothing.
#[utoipa::path(
    post,
    path = "/partner/v1/onboardings",
    tag = "partner",
    request_body = OnboardingCreate,
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique value of 1 to 255 visible ASCII characters (a UUID): the same request sent again with it within 24 hours gets the first answer. The same key with another body is refused (422 `idempotency_key_reused`)."),
    ),
    responses(
        (status = 201, description = "Created, with a start link", body = OnboardingCreated,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is the first answer to this Idempotency-Key given again"))),
        (status = 200, description = "The customer's current onboarding, with a fresh start link", body = OnboardingCreated,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is the first answer to this Idempotency-Key given again"))),
        (status = 400, description = "`bad_request`: the body is not of this shape"),
        (status = 401, description = "`unauthorized`: no valid API key"),
        (status = 409, description = "`cancelled` (send `reidentify`), `not_final` (nothing to identify anew) or `idempotency_key_in_use`"),
        (status = 413, description = "`payload_too_large`"),
        (status = 415, description = "`unsupported_media_type`"),
        (status = 422, description = "`invalid` (the prefill's field errors, or a field's rule) or `idempotency_key_reused`"),
        (status = 429, description = "`too_many_requests`"),
    ),
    security(("api_key" = []))
)]
pub async fn onboarding_create(
    State(state): State<AppState>,
    Extension(key): Extension<PartnerKey>,
    headers: HeaderMap,
    PartnerJson(request): PartnerJson<OnboardingCreate>,
) -> Result<Response, PartnerError> {
    let idempotency_key = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(value) => Some(value.to_str().map_err(|_| {
            PartnerError::invalid(
                "Idempotency-Key",
                "malformed",
                "Idempotency-Key must be visible ASCII characters",
            )
        })?),
    };
    let answer = state
        .onboardings
        .partner_create_once(&request, &key, idempotency_key)
        .await?;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, Json(answer.body)).into_response();
    if answer.replayed {
        response
            .headers_mut()
            .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The request header that makes a create idempotent.
const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The answer header that says an answer was given before.
const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// Read an onboarding.
///
/// How it stands (asking Solaris while it is pending), with its documents and history.
#[utoipa::path(
    get,
    path = "/partner/v1/onboardings/{id}",
    tag = "partner",
    params(("id" = String, Path, description = "The onboarding's id")),
    responses(
        (status = 200, description = "The onboarding", body = OnboardingView),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such onboarding"),
        (status = 410, description = "`erased`: the onboarding was erased (with `erased_at` and `erased_by`)"),
    ),
    security(("api_key" = []))
)]
pub async fn onboarding_show(
    State(state): State<AppState>,
    Extension(key): Extension<PartnerKey>,
    Path(id): Path<String>,
) -> Result<Json<OnboardingView>, PartnerError> {
    Ok(Json(state.onboardings.partner_show(&id, &key).await?))
}

/// List your onboardings.
///
/// In the order they last changed (erased ones are not listed): filter by `state`,
/// `updated_since` or `customer_reference`, and page on with `cursor` until `has_more` is
/// false.
#[utoipa::path(
    get,
    path = "/partner/v1/onboardings",
    tag = "partner",
    params(OnboardingQuery),
    responses(
        (status = 200, description = "One page of onboardings", body = OnboardingPage),
        (status = 401, description = "No valid API key"),
        (status = 422, description = "A filter is wrong (`invalid` with what to fix)"),
    ),
    security(("api_key" = []))
)]
pub async fn onboarding_list(
    State(state): State<AppState>,
    PartnerQuery(query): PartnerQuery<OnboardingQuery>,
) -> Result<Json<OnboardingPage>, PartnerError> {
    Ok(Json(state.onboardings.partner_list(&query).await?))
}

/// Download a document.
///
/// A document of the onboarding's deciding identification, from Solaris: the signed KYC report
/// is `SIGNED_QES_DOCUMENT`.
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
        (status = 410, description = "`erased`: the onboarding was erased (with `erased_at` and `erased_by`)"),
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

/// List an onboarding's events with their delivery attempts.
///
/// The events about the onboarding, oldest first, each with every attempt to deliver it.
#[utoipa::path(
    get,
    path = "/partner/v1/onboardings/{id}/events",
    tag = "partner",
    params(("id" = String, Path, description = "The onboarding's id")),
    responses(
        (status = 200, description = "The onboarding's events", body = EventsView),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such onboarding"),
        (status = 410, description = "`erased`: the onboarding was erased (with `erased_at` and `erased_by`)"),
    ),
    security(("api_key" = []))
)]
pub async fn events_index(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EventsView>, PartnerError> {
    Ok(Json(state.onboardings.partner_events(&id).await?))
}

/// List every event.
///
/// Whether or not a webhook URL was configured when it happened, in the order they were
/// committed: page on with `starting_after` until `has_more` is false.
#[utoipa::path(
    get,
    path = "/partner/v1/events",
    tag = "partner",
    params(EventQuery),
    responses(
        (status = 200, description = "One page of events", body = EventPage),
        (status = 401, description = "No valid API key"),
        (status = 422, description = "A filter is wrong (`invalid` with what to fix)"),
    ),
    security(("api_key" = []))
)]
pub async fn event_list(
    State(state): State<AppState>,
    PartnerQuery(query): PartnerQuery<EventQuery>,
) -> Result<Json<EventPage>, PartnerError> {
    Ok(Json(state.onboardings.partner_event_list(&query).await?))
}

/// Deliver one event again.
///
/// Whatever its status, with a fresh retry schedule.
#[utoipa::path(
    post,
    path = "/partner/v1/events/{id}/redeliver",
    tag = "partner",
    params(("id" = String, Path, description = "The event's id")),
    responses(
        (status = 202, description = "Queued: it is delivered within seconds", body = RedeliveryQueued),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such event"),
        (status = 409, description = "`no_webhook` (none is configured) or `being_delivered` (an attempt is under way)"),
    ),
    security(("api_key" = []))
)]
pub async fn event_redeliver(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PartnerError> {
    state.onboardings.partner_redeliver(&id).await?;
    Ok((StatusCode::ACCEPTED, Json(RedeliveryQueued { queued: 1 })).into_response())
}

/// Deliver every failed or not sent event again.
///
/// Every `failed` event (after your receiver was down) or every `not_sent` one (written before
/// a webhook URL was configured), each with a fresh retry schedule.
#[utoipa::path(
    post,
    path = "/partner/v1/events/redeliver",
    tag = "partner",
    request_body = RedeliveryRequest,
    responses(
        (status = 202, description = "Queued, each with a fresh retry schedule", body = RedeliveryQueued),
        (status = 401, description = "No valid API key"),
        (status = 400, description = "`bad_request`: the body is not of this shape"),
        (status = 409, description = "`no_webhook`: none is configured"),
        (status = 415, description = "`unsupported_media_type`"),
        (status = 422, description = "`invalid`: `status` is neither `failed` nor `not_sent`"),
    ),
    security(("api_key" = []))
)]
pub async fn events_redeliver(
    State(state): State<AppState>,
    PartnerJson(request): PartnerJson<RedeliveryRequest>,
) -> Result<Response, PartnerError> {
    let queued = state.onboardings.partner_redeliver_all(&request).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)).into_response())
}

/// Erase an onboarding.
///
/// Erases what we hold about the customer: their ids at Solaris, the prefill, their browsers
/// and start links, the events about them and their deliveries. The onboarding stays as a
/// tombstone (`410 erased` from then on) and `onboarding.erased` is sent. Archive the signed KYC
/// report first: it cannot be fetched here afterwards.
#[utoipa::path(
    delete,
    path = "/partner/v1/onboardings/{id}",
    tag = "partner",
    params(("id" = String, Path, description = "The onboarding's id")),
    responses(
        (status = 200, description = "Erased; what remains", body = Tombstone),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such onboarding"),
        (status = 410, description = "`erased`: it was erased before (with `erased_at` and `erased_by`)"),
    ),
    security(("api_key" = []))
)]
pub async fn onboarding_erase(
    State(state): State<AppState>,
    Extension(key): Extension<PartnerKey>,
    Path(id): Path<String>,
) -> Result<Json<Tombstone>, PartnerError> {
    Ok(Json(state.onboardings.partner_erase(&id, &key).await?))
}

/// Send a test ping to your webhook receiver.
///
/// A `webhook.test` event (`{"id", "type": "webhook.test", "timestamp", "data": {}}`), signed
/// as every delivery is, sent now; the answer tells how your receiver answered. Nothing is
/// recorded or retried.
#[utoipa::path(
    post,
    path = "/partner/v1/webhooks/test",
    tag = "partner",
    responses(
        (status = 200, description = "Sent; how the receiver answered", body = TestDelivery),
        (status = 401, description = "No valid API key"),
        (status = 409, description = "`no_webhook`: none is configured"),
    ),
    security(("api_key" = []))
)]
pub async fn webhook_test(
    State(state): State<AppState>,
) -> Result<Json<TestDelivery>, PartnerError> {
    state
        .partner_delivery
        .send_test()
        .await
        .map(Json)
        .ok_or_else(|| {
            PartnerError::refused(
                ProblemCode::NoWebhook,
                "no webhook URL is configured (BANKIDENT_PARTNER_WEBHOOK_URL)",
            )
        })
}

/// Revoke an onboarding's start links.
///
/// Every start link of the onboarding (one sent to the wrong address, say): none of them opens
/// it any more. A browser that opened one stays bound. Creating the onboarding again gives a new
/// link (and also revokes the links nobody opened yet).
#[utoipa::path(
    post,
    path = "/partner/v1/onboardings/{id}/start_links/revoke",
    tag = "partner",
    params(("id" = String, Path, description = "The onboarding's id")),
    responses(
        (status = 200, description = "Revoked", body = LinksRevoked),
        (status = 401, description = "No valid API key"),
        (status = 404, description = "No such onboarding"),
        (status = 410, description = "`erased`: the onboarding was erased (with `erased_at` and `erased_by`)"),
    ),
    security(("api_key" = []))
)]
pub async fn start_links_revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<LinksRevoked>, PartnerError> {
    Ok(Json(state.onboardings.partner_revoke_links(&id).await?))
}
