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
use bankident_domain::{
    CustomerPlace, FieldError, FieldErrorsResponse, IdentificationMode, Language, Prefill,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::JsonBody;
use crate::error::ApiError;
use crate::outcomes::settle;
use crate::partner_events::EventRecord;
use crate::store::{Onboarding, OnboardingState};

/// Longest `customer_reference` accepted.
pub const MAX_REFERENCE_CHARS: usize = 128;

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

/// Why a partner API call failed.
#[derive(Debug)]
pub enum PartnerError {
    /// No valid API key: 401.
    Unauthorized,
    /// No such onboarding or document: 404.
    NotFound(&'static str),
    /// The request breaks a rule: 422 with what to fix.
    Invalid(String),
    /// The prefill breaks the screens' rules: 422 with the field errors.
    InvalidPrefill(Vec<FieldError>),
    /// Anything the app's API also answers (Solaris unavailable, database).
    Api(ApiError),
}

impl<E: Into<ApiError>> From<E> for PartnerError {
    fn from(error: E) -> PartnerError {
        PartnerError::Api(error.into())
    }
}

impl IntoResponse for PartnerError {
    fn into_response(self) -> Response {
        match self {
            PartnerError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                Json(json!({ "error": "unauthorized", "message": "send a valid API key as Authorization: Bearer <key>" })),
            )
                .into_response(),
            PartnerError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                Json(json!({ "error": "not_found", "message": format!("no such {what}") })),
            )
                .into_response(),
            PartnerError::Invalid(message) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "error": "invalid", "message": message })),
            )
                .into_response(),
            PartnerError::InvalidPrefill(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(FieldErrorsResponse { errors }),
            )
                .into_response(),
            PartnerError::Api(error) => error.into_response(),
        }
    }
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

/// `POST /partner/v1/onboardings`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OnboardingCreate {
    /// Your id for the customer (1 to 128 characters). The same reference always gets the same
    /// onboarding and the same Solaris person.
    pub customer_reference: String,
    /// The customer's language on our screens and Solaris' (`de` or `en`); otherwise their
    /// browser's.
    pub language: Option<String>,
    /// Answers you already know, shown in the fields for the customer to confirm or change.
    pub prefill: Option<Prefill>,
    /// `webview` (Solaris' hosted screens) or `api` (our screens through Solaris' API, with
    /// the IBAN the customer gave us); otherwise the backend's `BANKIDENT_MODE`. Changing it
    /// takes effect at the customer's next attempt.
    pub mode: Option<String>,
}

/// The onboarding and a fresh start link.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingCreated {
    /// The onboarding.
    pub onboarding: OnboardingView,
    /// Send the customer here (once; a new call gives a new link).
    pub start_link: StartLinkView,
}

/// A single-use start link.
#[derive(Debug, Serialize, ToSchema)]
pub struct StartLinkView {
    /// The link (it binds the first browser that opens it).
    pub url: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
}

/// An onboarding as the partner sees it: ids, state and outcome, no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingView {
    /// Our id.
    pub id: String,
    /// Your reference.
    pub customer_reference: Option<String>,
    /// `de` or `en` when you chose it.
    pub language: Option<String>,
    /// `webview` or `api`: how the customer identifies (see `mode` when creating).
    pub mode: String,
    /// `not_started`, `pending` (a session or, in the API mode, an identification is open) or
    /// `final`.
    pub state: String,
    /// Once final: `success`, `retry_with_another_iban`, `start_again`,
    /// `method_not_available`, `fix_data_and_retry`, `contact_support`, `already_identified`
    /// or `stop`.
    pub category: Option<String>,
    /// Once final with a failure: the Appendix III code of the Solaris guide.
    pub error_code: Option<String>,
    /// The Solaris person.
    pub person_id: Option<String>,
    /// The latest Solaris identification session.
    pub session_id: Option<String>,
    /// The identification that decided the outcome.
    pub identification_id: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
    /// When the latest session opened (RFC 3339).
    pub session_opened_at: Option<String>,
    /// When the outcome became final (RFC 3339).
    pub ended_at: Option<String>,
    /// The identification's documents (the signed KYC report once successful); `null` when
    /// Solaris could not be asked just now.
    pub documents: Option<Vec<DocumentView>>,
}

/// A document of the deciding identification.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// Solaris' document id.
    pub id: String,
    /// File name.
    pub name: String,
    /// `SIGNED_QES_DOCUMENT` for the signed KYC report.
    pub document_type: String,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Where to download it (this API, with your key).
    pub download_path: String,
}

/// `GET /partner/v1/onboardings?customer_reference=…`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferenceQuery {
    /// Your reference for the customer.
    pub customer_reference: String,
}

/// The events of an onboarding.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventsView {
    /// Oldest first, each with its delivery attempts.
    pub events: Vec<EventRecord>,
}

fn check_reference(reference: &str) -> Result<&str, PartnerError> {
    let reference = reference.trim();
    if reference.is_empty()
        || reference.chars().count() > MAX_REFERENCE_CHARS
        || reference.chars().any(char::is_control)
    {
        return Err(PartnerError::Invalid(format!(
            "customer_reference must be 1 to {MAX_REFERENCE_CHARS} characters without control characters"
        )));
    }
    Ok(reference)
}

fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
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
    let reference = check_reference(&request.customer_reference)?;
    let language = match request.language.as_deref() {
        None => None,
        Some(tag) => Some(
            Language::from_tag(tag)
                .ok_or_else(|| PartnerError::Invalid("language must be de or en".into()))?,
        ),
    };
    let prefill = match &request.prefill {
        Some(prefill) => {
            prefill.validate().map_err(PartnerError::InvalidPrefill)?;
            Some(serde_json::to_string(prefill).expect("a prefill serializes"))
        }
        None => None,
    };
    let mode = match request.mode.as_deref() {
        None => None,
        Some(text) => Some(
            IdentificationMode::parse(text)
                .ok_or_else(|| PartnerError::Invalid("mode must be webview or api".into()))?,
        ),
    };
    let (mut onboarding, created) = state
        .store
        .customer_onboarding(reference, language.map(Language::tag), prefill.as_deref())
        .await?;
    if let Some(mode) = mode {
        state.store.set_mode(&onboarding.id, mode).await?;
        onboarding.mode = Some(mode);
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let link = state
        .store
        .create_start_link(&onboarding.id, now, state.config.partner.start_link_seconds)
        .await?;
    tracing::info!(onboarding_id = %onboarding.id, created, "start link made");
    let body = OnboardingCreated {
        start_link: StartLinkView {
            url: format!("{}/start?token={}", state.config.public_url, link.token),
            expires_at: rfc3339(link.expires_at),
        },
        onboarding: view(&state, onboarding).await,
    };
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
    let onboarding = state
        .store
        .onboarding(&id)
        .await?
        .ok_or(PartnerError::NotFound("onboarding"))?;
    Ok(Json(view(&state, onboarding).await))
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
    let reference = check_reference(&query.customer_reference)?;
    let onboarding = state
        .store
        .onboarding_by_reference(reference)
        .await?
        .ok_or(PartnerError::NotFound("onboarding"))?;
    Ok(Json(view(&state, onboarding).await))
}

/// The onboarding brought up to date from Solaris while pending, and its documents.
async fn view(state: &AppState, onboarding: Onboarding) -> OnboardingView {
    let onboarding = if onboarding.outcome_state == OnboardingState::Pending {
        match settle(state, &onboarding, CustomerPlace::MayBeInWebview).await {
            Ok(_) => state
                .store
                .onboarding(&onboarding.id)
                .await
                .ok()
                .flatten()
                .unwrap_or(onboarding),
            Err(_) => onboarding,
        }
    } else {
        onboarding
    };
    let documents = match (&onboarding.person_id, &onboarding.identification_id) {
        (Some(person_id), Some(identification_id)) => state
            .solaris
            .identification(person_id, identification_id)
            .await
            .ok()
            .map(|identification| {
                identification
                    .documents
                    .into_iter()
                    .map(|document| DocumentView {
                        download_path: format!(
                            "/partner/v1/onboardings/{}/documents/{}",
                            onboarding.id, document.id
                        ),
                        id: document.id,
                        name: document.name,
                        document_type: document.document_type,
                        content_type: document.content_type,
                        size: document.size,
                        created_at: document.created_at,
                    })
                    .collect()
            }),
        _ => Some(Vec::new()),
    };
    OnboardingView {
        mode: state.config.mode_of(&onboarding).as_str().to_string(),
        id: onboarding.id,
        customer_reference: onboarding.customer_reference,
        language: onboarding.language,
        state: onboarding.outcome_state.as_str().to_string(),
        category: onboarding
            .outcome_category
            .map(|category| category.code().to_string()),
        error_code: onboarding.error_code,
        person_id: onboarding.person_id,
        session_id: onboarding.session_id,
        identification_id: onboarding.identification_id,
        created_at: onboarding.created_at,
        updated_at: onboarding.updated_at,
        session_opened_at: onboarding.session_opened_at,
        ended_at: onboarding.ended_at,
        documents,
    }
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
    let onboarding = state
        .store
        .onboarding(&id)
        .await?
        .ok_or(PartnerError::NotFound("onboarding"))?;
    let (Some(person_id), Some(identification_id)) =
        (&onboarding.person_id, &onboarding.identification_id)
    else {
        return Err(PartnerError::NotFound("document"));
    };
    crate::documents::listed_document(&state, person_id, identification_id, &document_id)
        .await?
        .ok_or(PartnerError::NotFound("document"))
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
    state
        .store
        .onboarding(&id)
        .await?
        .ok_or(PartnerError::NotFound("onboarding"))?;
    Ok(Json(EventsView {
        events: state.store.events_of(&id).await?,
    }))
}
