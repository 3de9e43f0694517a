//! The partner API's errors, in one shape everywhere: RFC 9457 problem details
//! (`application/problem+json`) with `type`, `title`, `status`, `detail`, and our `code` (one of
//! [`ProblemCode`]), `request_id` (the `x-request-id` of the answer, for support) and, for a
//! request that breaks rules, `errors[]` naming each field or parameter.
//!
//! [`ProblemCode`] is the one catalog of problems: status, title and what to do come from it,
//! for the answers, for the documentation served at each problem's `type`
//! (`/problems/{code}`) and for the OpenAPI document's enum.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bankident_domain::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, LoggedError, STORAGE_RETRY_AFTER, logged};

/// The media type of every partner API error.
pub const PROBLEM_JSON: &str = "application/problem+json";
/// Where a problem type's documentation is served: `{PROBLEM_TYPES_PATH}/{code}`.
pub const PROBLEM_TYPES_PATH: &str = "/problems";

/// Every problem the partner API answers with, as its `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// 401: no valid API key.
    Unauthorized,
    /// 404: no such onboarding, event, document or endpoint.
    NotFound,
    /// 405: the endpoint does not take this method.
    MethodNotAllowed,
    /// 400: the body is not readable JSON of the expected shape.
    BadRequest,
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// 413: the body is larger than 16 KB.
    PayloadTooLarge,
    /// 408: the body did not arrive in time.
    RequestTimeout,
    /// 422: a field or parameter breaks a rule (`errors[]` names each).
    Invalid,
    /// 410: the onboarding was erased.
    Erased,
    /// 409: no webhook URL is configured.
    NoWebhook,
    /// 409: the event is being delivered right now.
    BeingDelivered,
    /// 409: the onboarding was cancelled; ask for a new identification.
    Cancelled,
    /// 409: the onboarding has its final outcome already.
    AlreadyFinal,
    /// 409: the customer's onboarding is not finished, so it cannot be identified anew.
    NotFinal,
    /// 409: a request with this `Idempotency-Key` is still being processed.
    IdempotencyKeyInUse,
    /// 422: this `Idempotency-Key` was used with another request body.
    IdempotencyKeyReused,
    /// 429: too many requests.
    TooManyRequests,
    /// 502: Solaris did not answer.
    SolarisUnavailable,
    /// 503: Solaris asks to wait.
    SolarisBusy,
    /// 503: the database cannot take requests now.
    StorageUnavailable,
    /// 500: something unexpected.
    Internal,
}

impl ProblemCode {
    /// Every problem, for its documentation.
    pub const ALL: [ProblemCode; 21] = [
        ProblemCode::Unauthorized,
        ProblemCode::NotFound,
        ProblemCode::MethodNotAllowed,
        ProblemCode::BadRequest,
        ProblemCode::UnsupportedMediaType,
        ProblemCode::PayloadTooLarge,
        ProblemCode::RequestTimeout,
        ProblemCode::Invalid,
        ProblemCode::Erased,
        ProblemCode::NoWebhook,
        ProblemCode::BeingDelivered,
        ProblemCode::Cancelled,
        ProblemCode::AlreadyFinal,
        ProblemCode::NotFinal,
        ProblemCode::IdempotencyKeyInUse,
        ProblemCode::IdempotencyKeyReused,
        ProblemCode::TooManyRequests,
        ProblemCode::SolarisUnavailable,
        ProblemCode::SolarisBusy,
        ProblemCode::StorageUnavailable,
        ProblemCode::Internal,
    ];

    /// The code as it is sent.
    pub fn code(self) -> &'static str {
        self.about().0
    }

    /// The HTTP status it answers with.
    pub fn status(self) -> StatusCode {
        self.about().1
    }

    /// Its title: the same for every occurrence (RFC 9457).
    pub fn title(self) -> &'static str {
        self.about().2
    }

    /// What a partner's program or engineer does about it.
    pub fn what_to_do(self) -> &'static str {
        self.about().3
    }

    /// The problem by its code.
    pub fn named(code: &str) -> Option<ProblemCode> {
        ProblemCode::ALL
            .into_iter()
            .find(|problem| problem.code() == code)
    }

    /// Code, status, title and what to do.
    fn about(self) -> (&'static str, StatusCode, &'static str, &'static str) {
        use ProblemCode as P;
        match self {
            P::Unauthorized => (
                "unauthorized",
                StatusCode::UNAUTHORIZED,
                "No valid API key",
                "Send one of the configured API keys as `Authorization: Bearer <key>`. Nothing was changed.",
            ),
            P::NotFound => (
                "not_found",
                StatusCode::NOT_FOUND,
                "Not found",
                "Check the id or the path: there is no such onboarding, event, document or endpoint.",
            ),
            P::MethodNotAllowed => (
                "method_not_allowed",
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed",
                "Use one of the methods the `Allow` header lists.",
            ),
            P::BadRequest => (
                "bad_request",
                StatusCode::BAD_REQUEST,
                "The body could not be read",
                "Send JSON of the documented shape, without unknown fields; `detail` says what was wrong.",
            ),
            P::UnsupportedMediaType => (
                "unsupported_media_type",
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "The body is not JSON",
                "Send the body as JSON with `Content-Type: application/json`.",
            ),
            P::PayloadTooLarge => (
                "payload_too_large",
                StatusCode::PAYLOAD_TOO_LARGE,
                "The body is too large",
                "Keep request bodies under 16 KB.",
            ),
            P::RequestTimeout => (
                "request_timeout",
                StatusCode::REQUEST_TIMEOUT,
                "The body did not arrive in time",
                "Send the request again.",
            ),
            P::Invalid => (
                "invalid",
                StatusCode::UNPROCESSABLE_ENTITY,
                "The request breaks a rule",
                "Fix each field or parameter that `errors[]` names (`field`, `problem`); `detail` says it in words. Nothing was changed.",
            ),
            P::Erased => (
                "erased",
                StatusCode::GONE,
                "The onboarding was erased",
                "Only the onboarding's id is kept (`erased_at`, `erased_by`). Nothing more can be read or changed; a new onboarding for the same customer reference starts afresh.",
            ),
            P::NoWebhook => (
                "no_webhook",
                StatusCode::CONFLICT,
                "No webhook URL is configured",
                "Configure BANKIDENT_PARTNER_WEBHOOK_URL and its secret, or read the events with GET /partner/v1/events.",
            ),
            P::BeingDelivered => (
                "being_delivered",
                StatusCode::CONFLICT,
                "The event is being delivered right now",
                "Look at the event's delivery again in a few seconds.",
            ),
            P::Cancelled => (
                "cancelled",
                StatusCode::CONFLICT,
                "The onboarding was cancelled",
                "A cancelled onboarding gives no more start links. Create the customer's onboarding with `\"reidentify\": true` to start a new one.",
            ),
            P::AlreadyFinal => (
                "already_final",
                StatusCode::CONFLICT,
                "The onboarding has its final outcome",
                "A finished onboarding cannot be cancelled. Erase it, or start a new one with `\"reidentify\": true`.",
            ),
            P::NotFinal => (
                "not_final",
                StatusCode::CONFLICT,
                "The customer's onboarding is not finished",
                "Send the customer a start link to continue it, or cancel it first, then ask again with `\"reidentify\": true`.",
            ),
            P::IdempotencyKeyInUse => (
                "idempotency_key_in_use",
                StatusCode::CONFLICT,
                "A request with this Idempotency-Key is being processed",
                "Wait for the first request's answer, then send the request again with the same key: it gets that answer.",
            ),
            P::IdempotencyKeyReused => (
                "idempotency_key_reused",
                StatusCode::UNPROCESSABLE_ENTITY,
                "The Idempotency-Key was used with another request",
                "Use a new key for a new request; a key stays tied to its first body for 24 hours.",
            ),
            P::TooManyRequests => (
                "too_many_requests",
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                "Wait the seconds `Retry-After` says, then send the request again.",
            ),
            P::SolarisUnavailable => (
                "solaris_unavailable",
                StatusCode::BAD_GATEWAY,
                "Solaris did not answer",
                "Send the request again in a moment.",
            ),
            P::SolarisBusy => (
                "solaris_busy",
                StatusCode::SERVICE_UNAVAILABLE,
                "Solaris asks to wait",
                "Wait the seconds `Retry-After` says, then send the request again.",
            ),
            P::StorageUnavailable => (
                "storage_unavailable",
                StatusCode::SERVICE_UNAVAILABLE,
                "We cannot save anything right now",
                "Wait the seconds `Retry-After` says, then send the request again. Operators are alerted.",
            ),
            P::Internal => (
                "internal",
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side",
                "Send the request again later; if it keeps failing, give support the `request_id`.",
            ),
        }
    }
}

/// A field of the body, a query parameter or a header that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InvalidField {
    /// Where: a body field (`customer_reference`, `prefill.first_name`), a query parameter
    /// (`limit`) or a header (`Idempotency-Key`).
    #[schema(example = "limit")]
    pub field: String,
    /// What is wrong, for programs: for the prefill the screens' own problem codes
    /// (`required`, `too_long`, …); otherwise `out_of_range`, `not_a_time`, `unknown_value`,
    /// `unknown_cursor`, `malformed` or `order`.
    #[schema(example = "out_of_range")]
    pub problem: String,
}

/// An error of the partner API (RFC 9457 problem details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/invalid", "title": "The request breaks a rule", "status": 422,
    "detail": "limit must be a whole number from 1 to 100", "code": "invalid",
    "request_id": "5f0c2a8e-8a35-4a57-9d0c-3b1f6e3c1a2b",
    "errors": [{"field": "limit", "problem": "out_of_range"}]
}))]
pub struct Problem {
    /// The problem type: a URI reference (relative to the API's address) whose page says what
    /// the problem means and what to do.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The problem type's title, the same every time.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// This occurrence in words.
    pub detail: String,
    /// The problem, for programs.
    pub code: ProblemCode,
    /// The answer's `x-request-id`: give it to support.
    pub request_id: String,
    /// `invalid`: each field or parameter that breaks a rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InvalidField>,
    /// `erased`: when.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::timestamps::stored_opt"
    )]
    #[schema(format = DateTime)]
    pub erased_at: Option<String>,
    /// `erased`: at whose request.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::store::erasure::ErasedBy>)]
    pub erased_by: Option<String>,
    /// `too_many_requests`, `solaris_busy`, `storage_unavailable`: the seconds to wait (also in
    /// `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

impl Problem {
    /// A problem of `code` with this occurrence's `detail`.
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Problem {
        Problem {
            problem_type: format!("{PROBLEM_TYPES_PATH}/{}", code.code()),
            title: code.title().to_string(),
            status: code.status().as_u16(),
            detail: detail.into(),
            code,
            request_id: String::new(),
            errors: Vec::new(),
            erased_at: None,
            erased_by: None,
            retry_after_seconds: None,
        }
    }

    /// The answer: the problem as `application/problem+json`, and in the response's
    /// extensions, where the partner API's middleware adds the request id.
    pub fn into_response_with(self, logged_error: Option<LoggedError>) -> Response {
        let status = self.code.status();
        let mut response = (status, Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.code == ProblemCode::Unauthorized {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(self);
        match logged_error {
            Some(error) => logged(response, error),
            None => response,
        }
    }
}

/// Why a partner API call failed.
#[derive(Debug)]
pub enum PartnerError {
    /// No valid API key: 401.
    Unauthorized,
    /// No such onboarding, event, document or endpoint: 404.
    NotFound(&'static str),
    /// Fields or parameters break rules: 422 with each of them.
    Invalid {
        /// What is wrong, in words.
        detail: String,
        /// Each field or parameter.
        errors: Vec<InvalidField>,
    },
    /// The request cannot be carried out as things stand (a 409, or a reused idempotency key).
    Refused {
        /// What stands in the way.
        code: ProblemCode,
        /// In words.
        detail: String,
    },
    /// The onboarding was erased: 410, with when and at whose request.
    Erased {
        /// When (RFC 3339).
        erased_at: String,
        /// At whose request (`partner`, `solaris`, `retention`).
        erased_by: String,
    },
    /// Anything the app's API also answers (Solaris unavailable, database, unreadable bodies).
    Api(ApiError),
}

impl PartnerError {
    /// One field or parameter breaks a rule: `detail` says it in words.
    pub fn invalid(field: &str, problem: &str, detail: impl Into<String>) -> PartnerError {
        PartnerError::Invalid {
            detail: detail.into(),
            errors: vec![InvalidField {
                field: field.to_string(),
                problem: problem.to_string(),
            }],
        }
    }

    /// The prefill breaks the screens' rules: each field, under `prefill.`.
    pub fn invalid_prefill(errors: Vec<FieldError>) -> PartnerError {
        PartnerError::Invalid {
            detail: "the prefill breaks the screens' rules (see errors)".into(),
            errors: errors
                .into_iter()
                .map(|error| InvalidField {
                    field: format!("prefill.{}", error.field.id()),
                    problem: error.problem.code().to_string(),
                })
                .collect(),
        }
    }

    /// A refusal of `code`, in words.
    pub fn refused(code: ProblemCode, detail: impl Into<String>) -> PartnerError {
        PartnerError::Refused {
            code,
            detail: detail.into(),
        }
    }

    /// The problem this error answers with, and what operators must see of it.
    fn problem(self) -> (Problem, Option<LoggedError>) {
        let simple = |code, detail: &str| (Problem::new(code, detail), None);
        let waiting = |code, seconds, detail: &str| {
            let mut problem = Problem::new(code, detail);
            problem.retry_after_seconds = Some(seconds);
            problem
        };
        match self {
            PartnerError::Unauthorized => simple(
                ProblemCode::Unauthorized,
                "send a valid API key as Authorization: Bearer <key>",
            ),
            PartnerError::NotFound(what) => {
                simple(ProblemCode::NotFound, &format!("there is no such {what}"))
            }
            PartnerError::Invalid { detail, errors } => {
                let mut problem = Problem::new(ProblemCode::Invalid, detail);
                problem.errors = errors;
                (problem, None)
            }
            PartnerError::Refused { code, detail } => (Problem::new(code, detail), None),
            PartnerError::Erased {
                erased_at,
                erased_by,
            } => {
                let mut problem = Problem::new(
                    ProblemCode::Erased,
                    "this onboarding was erased; only its id is kept",
                );
                problem.erased_at = Some(erased_at);
                problem.erased_by = Some(erased_by);
                (problem, None)
            }
            PartnerError::Api(error) => match error {
                ApiError::BadRequest(detail) => simple(ProblemCode::BadRequest, &detail),
                ApiError::UnsupportedMediaType => simple(
                    ProblemCode::UnsupportedMediaType,
                    "send JSON with Content-Type: application/json",
                ),
                ApiError::PayloadTooLarge => simple(
                    ProblemCode::PayloadTooLarge,
                    "the request body is larger than 16 KB",
                ),
                ApiError::BodyTimeout => simple(
                    ProblemCode::RequestTimeout,
                    "the request body did not arrive in time",
                ),
                ApiError::TooManyRequests(seconds) => (
                    waiting(
                        ProblemCode::TooManyRequests,
                        seconds,
                        "too many requests with this API key; try again after Retry-After",
                    ),
                    None,
                ),
                ApiError::NoOnboarding => {
                    simple(ProblemCode::NotFound, "there is no such onboarding")
                }
                ApiError::UnknownEndpoint => simple(
                    ProblemCode::NotFound,
                    "there is no such endpoint in the partner API",
                ),
                ApiError::SolarisUnavailable => simple(
                    ProblemCode::SolarisUnavailable,
                    "Solaris did not answer; try again",
                ),
                ApiError::SolarisBusy(seconds) => (
                    waiting(
                        ProblemCode::SolarisBusy,
                        seconds,
                        "Solaris asks to wait; try again after Retry-After",
                    ),
                    None,
                ),
                ApiError::StorageUnavailable(detail) => (
                    waiting(
                        ProblemCode::StorageUnavailable,
                        STORAGE_RETRY_AFTER,
                        "we cannot save anything right now; try again in a few minutes",
                    ),
                    Some(LoggedError::storage_unavailable(detail)),
                ),
                ApiError::Internal(detail) => internal(detail),
                // The app's own refusals never arise from a partner call; one that does is a
                // defect to see in the log.
                other => internal(format!("an app error in the partner API: {other:?}")),
            },
        }
    }
}

/// A 500 whose `detail` goes to the log only.
fn internal(detail: String) -> (Problem, Option<LoggedError>) {
    (
        Problem::new(
            ProblemCode::Internal,
            "something went wrong on our side; try again later",
        ),
        Some(LoggedError::internal(detail)),
    )
}

impl<E: Into<ApiError>> From<E> for PartnerError {
    fn from(error: E) -> PartnerError {
        PartnerError::Api(error.into())
    }
}

impl IntoResponse for PartnerError {
    fn into_response(self) -> Response {
        let (problem, logged_error) = self.problem();
        problem.into_response_with(logged_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn an_error_is_a_problem_document_of_rfc_9457() {
        let response = PartnerError::invalid(
            "limit",
            "out_of_range",
            "limit must be a whole number from 1 to 100",
        )
        .into_response();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        let body = body_of(response).await;
        assert_eq!(body["type"], "/problems/invalid");
        assert_eq!(body["status"], 422);
        assert_eq!(body["code"], "invalid");
        assert_eq!(body["title"], "The request breaks a rule");
        assert_eq!(
            body["errors"],
            serde_json::json!([{"field": "limit", "problem": "out_of_range"}])
        );
    }

    #[tokio::test]
    async fn waiting_problems_say_how_long_in_the_header_and_the_body() {
        let response = PartnerError::Api(ApiError::TooManyRequests(7)).into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "7");
        assert_eq!(body_of(response).await["retry_after_seconds"], 7);
    }

    #[tokio::test]
    async fn an_internal_error_is_logged_and_not_told() {
        let response = PartnerError::Api(ApiError::Internal("database: row 7 is corrupt".into()))
            .into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.extensions().get::<LoggedError>().is_some());
        assert!(!body_of(response).await.to_string().contains("row 7"));
    }

    #[test]
    fn every_code_is_named_once_and_found_by_its_name() {
        for problem in ProblemCode::ALL {
            assert_eq!(ProblemCode::named(problem.code()), Some(problem));
            let serialized = serde_json::to_value(problem).unwrap();
            assert_eq!(serialized, problem.code(), "serde and the catalog agree");
            assert!(problem.status().is_client_error() || problem.status().is_server_error());
        }
    }
}
