//! The app's API under `/api`:
//!
//! - `POST /api/identification` with the customer's answers: creates the person (once per
//!   onboarding), the mobile number and an identification session; answers with the webview
//!   URL. A repeated submit while a session is open answers with the same URL.
//! - `POST /api/identification/continue`: the open identification again, without answers.
//! - `GET /api/identification/outcome`: how the identification ended, from Solaris (webhooks
//!   only make a final state known sooner).
//! - `GET /api/onboarding/prefill`: what the partner already knew, and the mode.
//! - `POST /api/iban_lookups` with `{"iban"}`: the bank's name and BIC.
//!
//! Changing requests must be JSON and come from this site (`Sec-Fetch-Site`/`Origin`), which
//! together with the SameSite cookie makes them unforgeable from other sites.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use bankident_domain::{
    FieldErrorsResponse, IdentificationMode, OpenedIdentification, Outcome, PersonAnswers, Prefill,
};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{JsonBody, OpenQuery, webview_language};
use crate::error::ApiError;
use crate::onboarding::Browser;
use crate::onboarding::iban_lookup::IbanLookupAnswer;

/// The API routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/identification", post(identification_open))
        .route(
            "/api/identification/continue",
            post(identification_continue),
        )
        .route("/api/identification/outcome", get(outcome_show))
        .route("/api/onboarding/prefill", get(prefill_show))
        .route("/api/iban_lookups", post(iban_lookup_create))
        .route("/api/{*rest}", any(api_not_found))
}

/// Any other path under `/api/`: a JSON 404, never the app's page.
async fn api_not_found() -> ApiError {
    ApiError::UnknownEndpoint
}

/// Opens the identification with the customer's answers: creates the Solaris person (once per
/// onboarding, corrected when answers change), its mobile number and a session. A repeated
/// submit while a session is open answers with the same URL.
#[utoipa::path(
    post,
    path = "/api/identification",
    tag = "app",
    params(OpenQuery),
    request_body = PersonAnswers,
    responses(
        (status = 200, description = "Send the customer to `url`", body = OpenedIdentification),
        (status = 404, description = "`no_onboarding`: this browser opened no start link (not in the demo mode)"),
        (status = 409, description = "`already_identified`, `identification_not_possible` (with `error_code` and `category`) or `correction_not_possible`"),
        (status = 422, description = "Answers that break a rule", body = FieldErrorsResponse),
        (status = 429, description = "`too_many_requests`: more than 5 at once or 10 a minute for this onboarding; see `Retry-After`"),
        (status = 502, description = "`solaris_unavailable`: try again"),
        (status = 503, description = "`solaris_busy`: Solaris asked to wait; see `Retry-After`"),
    )
)]
pub async fn identification_open(
    State(state): State<AppState>,
    browser: Browser,
    headers: HeaderMap,
    query: Result<Query<OpenQuery>, QueryRejection>,
    JsonBody(answers): JsonBody<PersonAnswers>,
) -> Result<Response, ApiError> {
    let opened = state
        .onboardings
        .open(
            state.web.cookies.browser_key(&headers),
            browser.address,
            &answers,
            webview_language(query),
        )
        .await?;
    Ok(opened_answer(&state, opened.url, opened.new_key.as_deref()))
}

/// "Send the customer to `url`", with the cookie of a browser key that is new.
fn opened_answer(state: &AppState, url: String, new_key: Option<&str>) -> Response {
    let mut response = Json(OpenedIdentification { url }).into_response();
    if let Some(key) = new_key {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, state.web.cookies.set_cookie(key));
    }
    response
}

/// `POST /api/identification/continue`: the open session again, without answers (a customer
/// continuing on another device, whose answers are in the first one's tab). 409
/// `no_open_session` when there is none to continue.
#[utoipa::path(
    post,
    path = "/api/identification/continue",
    tag = "app",
    params(OpenQuery),
    responses(
        (status = 200, description = "Send the customer to `url`", body = OpenedIdentification),
        (status = 404, description = "`no_onboarding`"),
        (status = 409, description = "`no_open_session`: start from the first question"),
        (status = 429, description = "`too_many_requests`; see `Retry-After`"),
    )
)]
pub async fn identification_continue(
    State(state): State<AppState>,
    browser: Browser,
    query: Result<Query<OpenQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let url = state
        .onboardings
        .continue_open(&browser, webview_language(query))
        .await?;
    Ok(opened_answer(&state, url, None))
}

/// The answers the partner already knew.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PrefillAnswer {
    /// `null` when there are none (or the onboarding has ended).
    pub prefill: Option<Prefill>,
    /// How this customer identifies: `webview` or `api` (then the app shows its own steps and
    /// does not ask for the IBAN a second time).
    pub mode: IdentificationMode,
}

/// The answers the partner already knew, for the customer's screens.
#[utoipa::path(
    get,
    path = "/api/onboarding/prefill",
    tag = "app",
    responses((status = 200, body = PrefillAnswer))
)]
pub async fn prefill_show(
    State(state): State<AppState>,
    browser: Browser,
) -> Result<Json<PrefillAnswer>, ApiError> {
    let (prefill, mode) = state.onboardings.prefill_of_browser(&browser).await?;
    Ok(Json(PrefillAnswer { prefill, mode }))
}

/// How the identification of this browser stands, from Solaris (webhooks only make a final
/// state known sooner).
#[utoipa::path(
    get,
    path = "/api/identification/outcome",
    tag = "app",
    responses(
        (status = 200, body = Outcome),
        (status = 404, description = "`no_onboarding`: the partner closed this browser's identification"),
        (status = 502, description = "`solaris_unavailable`"),
    )
)]
pub async fn outcome_show(
    State(state): State<AppState>,
    browser: Browser,
) -> Result<Json<Outcome>, ApiError> {
    state
        .onboardings
        .outcome_of_browser(&browser)
        .await
        .map(Json)
}

/// The IBAN lookup's body (the IBAN travels in the body, never in a URL).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct IbanLookupRequest {
    /// The IBAN as typed.
    #[serde(default)]
    iban: String,
}

/// Checks an IBAN and names its bank.
#[utoipa::path(
    post,
    path = "/api/iban_lookups",
    tag = "app",
    request_body = IbanLookupRequest,
    responses(
        (status = 200, body = IbanLookupAnswer),
        (status = 422, description = "Not a valid German IBAN", body = FieldErrorsResponse),
        (status = 429, description = "`too_many_requests`: more than 20 at once or 60 a minute from this browser; see `Retry-After`"),
    )
)]
pub async fn iban_lookup_create(
    State(state): State<AppState>,
    browser: Browser,
    JsonBody(request): JsonBody<IbanLookupRequest>,
) -> Result<Json<IbanLookupAnswer>, ApiError> {
    state
        .onboardings
        .iban_lookup(&browser, &request.iban)
        .map(Json)
}
