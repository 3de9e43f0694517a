//! The error types of the two APIs: [`ApiError`] (the app's, and the service's own) and
//! [`PartnerError`] (the partner API's, which wraps it; RFC 9457 problem details, see
//! [`partner`]). Each variant answers with a status and a small JSON body; internal details go
//! to the log, never to the client.
//!
//! Answering has no side effects: an error that operators must see travels in the response's
//! extensions ([`LoggedError`]) and [`log_errors`], a middleware, writes its one log line inside
//! the request's span (axum's `error-handling` example).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bankident_domain::{ErrorCode, FieldError, FieldErrorsResponse};
use serde_json::json;

use crate::solaris::SolarisError;

pub mod partner;

pub use partner::{InvalidField, PartnerError, Problem, ProblemCode};

/// Why an API call failed.
#[derive(Debug)]
pub enum ApiError {
    /// The answers break the rules: 422 with the field errors.
    Invalid(Vec<FieldError>),
    /// The request itself is wrong (bad JSON, wrong type): 400.
    BadRequest(String),
    /// Not JSON: 415.
    UnsupportedMediaType,
    /// Larger than the API accepts: 413.
    PayloadTooLarge,
    /// The body did not arrive in time: 408.
    BodyTimeout,
    /// Sent from another site: 403.
    CrossSite,
    /// Over a rate limit: 429 with `Retry-After` (seconds).
    TooManyRequests(u64),
    /// Nothing to act on for this browser: 404.
    NoOnboarding,
    /// No such API endpoint: 404.
    UnknownEndpoint,
    /// No open identification session to continue: 409.
    NoOpenSession,
    /// Already identified: 409.
    AlreadyIdentified,
    /// Solaris refused the identification: 409 with the Appendix III code.
    NotPossible(ErrorCode),
    /// The customer changed answers Solaris cannot change any more (names, birth data,
    /// nationality after an identification attempt, or a change Solaris wants authorised by
    /// the customer): 409.
    CorrectionNotPossible,
    /// API mode: the SMS code is not six digits: 422 `code_format`.
    CodeFormat,
    /// API mode: Solaris refused the SMS code (wrong, expired, or replaced by a newer one):
    /// 422 `code_invalid`.
    CodeInvalid,
    /// API mode: a new code was asked for too soon: 429 `code_cooldown` with `Retry-After`.
    CodeCooldown(u64),
    /// API mode: the customer did not accept the signature terms: 422 `consent_missing`.
    ConsentMissing,
    /// API-mode call for an onboarding in the webview mode, or a step that is not open now:
    /// 409 `wrong_step`.
    WrongStep,
    /// Solaris returned a webview URL whose host is not allowed: 502.
    RedirectNotAllowed,
    /// Solaris is unreachable, slow or failing: 502, try again.
    SolarisUnavailable,
    /// Solaris asked for a pause: 503 with its `Retry-After`.
    SolarisBusy(u64),
    /// The database cannot take requests now (disk full, read-only, unreachable): 503, try
    /// again in a while.
    StorageUnavailable(String),
    /// Something unexpected (database, Solaris rejecting valid data): 500.
    Internal(String),
}

/// What a 503 `storage_unavailable` asks the client to wait, in seconds.
const STORAGE_RETRY_AFTER: u64 = 30;

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> ApiError {
        if crate::store::is_unavailable(&error) {
            ApiError::StorageUnavailable(error.to_string())
        } else {
            ApiError::Internal(format!("database: {error}"))
        }
    }
}

impl From<SolarisError> for ApiError {
    fn from(error: SolarisError) -> ApiError {
        if let Some(code) = error.bankident_code() {
            return match code {
                ErrorCode::AlreadyIdentifiedSuccessfully => ApiError::AlreadyIdentified,
                code => ApiError::NotPossible(code),
            };
        }
        match error {
            SolarisError::Unavailable(_) | SolarisError::NoAnswer(_) => {
                ApiError::SolarisUnavailable
            }
            SolarisError::Busy(seconds) => ApiError::SolarisBusy(seconds),
            SolarisError::Rejected { status, code, .. } => {
                ApiError::Internal(format!("Solaris rejected the call: {status} {code}"))
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Invalid(errors) => {
                return (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(FieldErrorsResponse { errors }),
                )
                    .into_response();
            }
            ApiError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                json!({ "error": "bad_request", "message": message }),
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                json!({ "error": "unsupported_media_type", "message": "send JSON with Content-Type: application/json" }),
            ),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({ "error": "payload_too_large", "message": "the request body is too large" }),
            ),
            ApiError::TooManyRequests(seconds) => {
                return asking_to_wait(
                    StatusCode::TOO_MANY_REQUESTS,
                    seconds,
                    json!({ "error": "too_many_requests", "message": "too many requests; try again in a moment" }),
                );
            }
            ApiError::BodyTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                json!({ "error": "request_timeout", "message": "the request body did not arrive in time" }),
            ),
            ApiError::CrossSite => (
                StatusCode::FORBIDDEN,
                json!({ "error": "cross_site", "message": "requests must come from this site" }),
            ),
            ApiError::NoOnboarding => (
                StatusCode::NOT_FOUND,
                json!({ "error": "no_onboarding", "message": "this browser has no identification" }),
            ),
            ApiError::UnknownEndpoint => (
                StatusCode::NOT_FOUND,
                json!({ "error": "not_found", "message": "there is no such API endpoint" }),
            ),
            ApiError::NoOpenSession => (
                StatusCode::CONFLICT,
                json!({ "error": "no_open_session", "message": "there is no open identification to continue" }),
            ),
            ApiError::AlreadyIdentified => (
                StatusCode::CONFLICT,
                json!({ "error": "already_identified", "error_code": ErrorCode::AlreadyIdentifiedSuccessfully.code() }),
            ),
            ApiError::NotPossible(code) => (
                StatusCode::CONFLICT,
                json!({ "error": "identification_not_possible", "error_code": code.code(), "category": code.category() }),
            ),
            ApiError::CorrectionNotPossible => (
                StatusCode::CONFLICT,
                json!({ "error": "correction_not_possible", "message": "these answers can no longer be changed online" }),
            ),
            ApiError::CodeFormat => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": "code_format", "message": "the code is six digits" }),
            ),
            ApiError::CodeInvalid => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": "code_invalid", "message": "the code is wrong or no longer valid" }),
            ),
            ApiError::CodeCooldown(seconds) => {
                return asking_to_wait(
                    StatusCode::TOO_MANY_REQUESTS,
                    seconds,
                    json!({ "error": "code_cooldown", "message": "a new code can be sent in a moment", "retry_after_seconds": seconds }),
                );
            }
            ApiError::ConsentMissing => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": "consent_missing", "message": "accept the signature terms first" }),
            ),
            ApiError::WrongStep => (
                StatusCode::CONFLICT,
                json!({ "error": "wrong_step", "message": "this step is not open for this identification" }),
            ),
            ApiError::RedirectNotAllowed => {
                return logged(
                    (
                        StatusCode::BAD_GATEWAY,
                        Json(json!({ "error": "redirect_not_allowed" })),
                    )
                        .into_response(),
                    LoggedError::redirect_not_allowed(),
                );
            }
            ApiError::SolarisBusy(seconds) => {
                return asking_to_wait(
                    StatusCode::SERVICE_UNAVAILABLE,
                    seconds,
                    json!({ "error": "solaris_busy", "message": "the identification service asks to wait; try again later" }),
                );
            }
            ApiError::SolarisUnavailable => (
                StatusCode::BAD_GATEWAY,
                json!({ "error": "solaris_unavailable", "message": "the identification service did not answer; try again" }),
            ),
            ApiError::StorageUnavailable(detail) => {
                return logged(
                    asking_to_wait(
                        StatusCode::SERVICE_UNAVAILABLE,
                        STORAGE_RETRY_AFTER,
                        json!({ "error": "storage_unavailable", "message": "we cannot save anything right now; try again in a few minutes" }),
                    ),
                    LoggedError::storage_unavailable(detail),
                );
            }
            ApiError::Internal(detail) => {
                return logged(
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        Json(json!({ "error": "internal", "message": "something went wrong; try again later" })),
                    )
                        .into_response(),
                    LoggedError::internal(detail),
                );
            }
        };
        (status, Json(body)).into_response()
    }
}

/// A failure operators must see, carried from [`ApiError::into_response`] to [`log_errors`] in
/// the response's extensions. Never sent to the client.
#[derive(Debug, Clone)]
pub struct LoggedError {
    /// The kind of failure, for the metrics (`bankident_failures_total{kind}`).
    pub kind: &'static str,
    /// What went wrong, for alerts (fixed text, no personal data).
    pub message: &'static str,
    /// The underlying error's own words (a database or Solaris message).
    pub detail: Option<String>,
}

impl LoggedError {
    /// The database cannot take requests (full, read-only, unreachable).
    pub fn storage_unavailable(detail: String) -> LoggedError {
        LoggedError {
            kind: "storage_unavailable",
            message: "the database cannot take requests",
            detail: Some(detail),
        }
    }

    /// Something unexpected.
    pub fn internal(detail: String) -> LoggedError {
        LoggedError {
            kind: "internal",
            message: "internal error",
            detail: Some(detail),
        }
    }

    /// Solaris gave a webview URL whose host is not allowed.
    pub fn redirect_not_allowed() -> LoggedError {
        LoggedError {
            kind: "redirect_not_allowed",
            message: "Solaris returned a webview URL whose host is not on the allow-list",
            detail: None,
        }
    }
}

/// `response` with the error to log attached.
fn logged(mut response: Response, error: LoggedError) -> Response {
    response.extensions_mut().insert(error);
    response
}

/// Middleware: writes the one log line of an answer that carries a [`LoggedError`], and counts
/// it by its message (a fixed text) for the operators' alerts.
pub async fn log_errors(mut response: Response) -> Response {
    if let Some(error) = response.extensions_mut().remove::<LoggedError>() {
        crate::telemetry::metrics::failure(error.kind);
        match error.detail {
            Some(detail) => {
                tracing::error!(%detail, status = %response.status(), "{}", error.message)
            }
            None => tracing::error!(status = %response.status(), "{}", error.message),
        }
    }
    response
}

/// An answer that asks the client to come back after `seconds` (`Retry-After`).
fn asking_to_wait(status: StatusCode, seconds: u64, body: serde_json::Value) -> Response {
    (
        status,
        [(axum::http::header::RETRY_AFTER, seconds.to_string())],
        Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_internal_error_travels_to_the_log_not_to_the_client() {
        let response =
            ApiError::Internal("database: disk I/O error at row 7".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let logged = response
            .extensions()
            .get::<LoggedError>()
            .expect("an internal error is to be logged");
        assert_eq!(logged.message, "internal error");
        assert_eq!(
            logged.detail.as_deref(),
            Some("database: disk I/O error at row 7")
        );
        let response = log_errors(response).await;
        assert!(response.extensions().get::<LoggedError>().is_none());
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("row 7"));
    }

    #[test]
    fn a_refusal_of_the_customer_is_not_an_operator_error() {
        let response = ApiError::CodeInvalid.into_response();
        assert!(response.extensions().get::<LoggedError>().is_none());
    }
}
