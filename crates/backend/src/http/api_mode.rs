//! The API mode's calls (the guide's Appendix II flow with our own screens), under `/api`:
//!
//! - `POST /api/mobile_number/code`: sends (again) the SMS code that verifies the mobile number.
//! - `POST /api/mobile_number/confirm` with `{"code"}`: verifies the mobile number.
//! - `POST /api/bank_identification` with `{"iban", "signature_terms_accepted"}`: creates the
//!   bank identification with the IBAN the customer gave us, requests it and answers with the
//!   payment wizard's URL (allow-listed host).
//! - `GET /api/bank_identification`: where the identification stands ([`BankStep`]).
//! - `POST /api/bank_identification/authorize`: starts the signature (Solaris sends a code; each
//!   new code replaces the previous one).
//! - `POST /api/bank_identification/confirm` with `{"code"}`: signs.
//! - `GET /api/bank_identification/documents/{document_id}`: a contract document, streamed from
//!   Solaris to the browser bound to the onboarding only.
//!
//! Every call is bound to the browser's cookie; the changing ones run one at a time per
//! onboarding within its rate limit, like opening the identification
//! ([`crate::onboarding::bank_step`] decides).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use bankident_domain::{BankStep, NextUrl};
use serde::Deserialize;

use super::AppState;
use super::download::document_download_answer;
use super::extract::{JsonBody, OpenQuery, webview_language};
use crate::error::ApiError;
use crate::onboarding::Browser;

/// The API mode's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/mobile_number/code", post(mobile_code_send))
        .route("/api/mobile_number/confirm", post(mobile_number_confirm))
        .route(
            "/api/bank_identification",
            get(bank_step_show).post(bank_identification_create),
        )
        .route(
            "/api/bank_identification/authorize",
            post(signature_authorize),
        )
        .route("/api/bank_identification/confirm", post(signature_confirm))
        .route(
            "/api/bank_identification/documents/{document_id}",
            get(document_download),
        )
}

/// A code the customer typed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CodeRequest {
    /// The six digits from the SMS (spaces are ignored).
    #[serde(default)]
    code: String,
}

impl CodeRequest {
    /// The six digits, or `code_format`.
    fn digits(&self) -> Result<String, ApiError> {
        let digits: String = self.code.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 6 && digits.bytes().all(|byte| byte.is_ascii_digit()) {
            Ok(digits)
        } else {
            Err(ApiError::CodeFormat)
        }
    }
}

/// `POST /api/bank_identification`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BankIdentificationRequest {
    /// The IBAN the customer gave (validated again here).
    #[serde(default)]
    iban: String,
    /// The customer accepted Swisscom's terms for the qualified electronic signature; the
    /// moment this request arrives is recorded as when.
    #[serde(default)]
    signature_terms_accepted: bool,
}

/// Sends a new SMS code for the mobile number (after the cool-down).
#[utoipa::path(
    post,
    path = "/api/mobile_number/code",
    tag = "app",
    responses(
        (status = 200, description = "Sent; the next may be asked for after `resend_after_seconds`", body = BankStep),
        (status = 409, description = "`wrong_step`: not the API mode, or no person yet"),
        (status = 429, description = "`code_cooldown`: too soon; see `Retry-After`"),
    )
)]
pub async fn mobile_code_send(
    State(state): State<AppState>,
    browser: Browser,
) -> Result<Json<BankStep>, ApiError> {
    state.onboardings.mobile_code_send(&browser).await.map(Json)
}

/// Verifies the mobile number with the SMS code.
#[utoipa::path(
    post,
    path = "/api/mobile_number/confirm",
    tag = "app",
    request_body = CodeRequest,
    responses(
        (status = 200, description = "Verified: go on to `url`", body = NextUrl),
        (status = 422, description = "`code_format` (not six digits) or `code_invalid` (wrong or expired)"),
        (status = 409, description = "`wrong_step`"),
    )
)]
pub async fn mobile_number_confirm(
    State(state): State<AppState>,
    browser: Browser,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<Json<NextUrl>, ApiError> {
    let code = request.digits()?;
    state
        .onboardings
        .mobile_number_confirm(&browser, &code)
        .await
        .map(Json)
}

/// Creates and requests the bank identification; answers with the payment wizard's URL.
#[utoipa::path(
    post,
    path = "/api/bank_identification",
    tag = "app",
    params(OpenQuery),
    request_body = BankIdentificationRequest,
    responses(
        (status = 200, description = "Send the customer to the payment wizard at `url`", body = NextUrl),
        (status = 409, description = "`identification_not_possible` with the guide's `error_code` and `category` (the outcome page shows it), `already_identified` or `wrong_step`"),
        (status = 422, description = "`consent_missing`, or the IBAN's field error"),
        (status = 502, description = "`solaris_unavailable` or `redirect_not_allowed`"),
    )
)]
pub async fn bank_identification_create(
    State(state): State<AppState>,
    browser: Browser,
    query: Result<Query<OpenQuery>, QueryRejection>,
    JsonBody(request): JsonBody<BankIdentificationRequest>,
) -> Result<Json<NextUrl>, ApiError> {
    let language = webview_language(query);
    state
        .onboardings
        .bank_identification_create(
            &browser,
            &request.iban,
            request.signature_terms_accepted,
            language,
        )
        .await
        .map(Json)
}

/// Where the identification stands, for the signature page.
#[utoipa::path(
    get,
    path = "/api/bank_identification",
    tag = "app",
    responses(
        (status = 200, body = BankStep),
        (status = 409, description = "`wrong_step`: not the API mode, or no person yet"),
    )
)]
pub async fn bank_step_show(
    State(state): State<AppState>,
    browser: Browser,
) -> Result<Json<BankStep>, ApiError> {
    state.onboardings.bank_step_show(&browser).await.map(Json)
}

/// Starts the signature, or sends a new code (after the cool-down): Solaris sends an SMS code,
/// and every new one replaces the previous.
#[utoipa::path(
    post,
    path = "/api/bank_identification/authorize",
    tag = "app",
    responses(
        (status = 200, description = "The code was sent (`step` `code`), or the identification has ended (`done`)", body = BankStep),
        (status = 409, description = "`wrong_step`"),
        (status = 429, description = "`code_cooldown`; see `Retry-After`"),
    )
)]
pub async fn signature_authorize(
    State(state): State<AppState>,
    browser: Browser,
) -> Result<Json<BankStep>, ApiError> {
    state
        .onboardings
        .signature_authorize(&browser)
        .await
        .map(Json)
}

/// Signs with the SMS code.
#[utoipa::path(
    post,
    path = "/api/bank_identification/confirm",
    tag = "app",
    request_body = CodeRequest,
    responses(
        (status = 200, description = "Signed (`confirming`, then `done`), or the identification has ended (`done`)", body = BankStep),
        (status = 422, description = "`code_format` or `code_invalid` (wrong, expired, or replaced by a newer code)"),
        (status = 409, description = "`wrong_step`"),
    )
)]
pub async fn signature_confirm(
    State(state): State<AppState>,
    browser: Browser,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<Json<BankStep>, ApiError> {
    let code = request.digits()?;
    state
        .onboardings
        .signature_confirm(&browser, &code)
        .await
        .map(Json)
}

/// A contract document of this browser's identification, streamed from Solaris.
#[utoipa::path(
    get,
    path = "/api/bank_identification/documents/{document_id}",
    tag = "app",
    params(("document_id" = String, Path, description = "A document id from `GET /api/bank_identification`")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 404, description = "`no_onboarding`, or not a document of this browser's identification"),
    )
)]
pub async fn document_download(
    State(state): State<AppState>,
    browser: Browser,
    Path(document_id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .onboardings
        .document_of_browser(&browser, &document_id)
        .await?
        .map(document_download_answer)
        .ok_or(ApiError::UnknownEndpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_digits_spaces_aside() {
        let code = |text: &str| CodeRequest { code: text.into() }.digits();
        assert_eq!(code("212 212").unwrap(), "212212");
        assert!(matches!(code("21221"), Err(ApiError::CodeFormat)));
        assert!(matches!(code("21221a"), Err(ApiError::CodeFormat)));
        assert!(matches!(code("2122123"), Err(ApiError::CodeFormat)));
    }
}
