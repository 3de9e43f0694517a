//! Solaris' error envelope: `{"errors":[{id,status,code,title,detail,source}]}`. Every error
//! the emulator answers with has this shape, bad requests of every kind included.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use solaris_contract::{ErrorBody, ErrorObject, ErrorSource};

use crate::ids::new_id;

/// One API error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine code, e.g. `invalid_model` or `MATCH_FOR_PERSON_DATA_NOT_FOUND`.
    pub code: String,
    /// Generic title.
    pub title: String,
    /// What exactly is wrong.
    pub detail: String,
    /// The request field at fault, if one is.
    pub field: Option<String>,
}

impl ApiError {
    /// An error without a field.
    pub fn new(status: StatusCode, code: &str, title: &str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_string(),
            title: title.to_string(),
            detail: detail.into(),
            field: None,
        }
    }

    /// 400 `invalid_model` for a field, as Solaris answers validation failures.
    pub fn invalid_model(field: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_model".into(),
            title: "Invalid Model".into(),
            detail: format!("{field} {message}"),
            field: Some(field.to_string()),
        }
    }

    /// 404 `model_not_found`.
    pub fn not_found(model: &str, id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "model_not_found",
            "Model Not Found",
            format!("Couldn't find 'Solaris::{model}' for id '{id}'."),
        )
    }

    /// 401 for a missing, unknown or expired bearer token.
    pub fn unauthorized(detail: &str) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "Invalid Token",
            detail,
        )
    }

    /// 409 `expectation_mismatch`: the resource is not in the state the call needs.
    pub fn expectation_mismatch(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::CONFLICT,
            "expectation_mismatch",
            "Expectation Mismatch",
            detail,
        )
    }

    /// A Bankident failure of the guide's Appendix III (412, or 422 when already identified).
    pub fn bankident(code: &bankident_domain::ErrorCode) -> ApiError {
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::PRECONDITION_FAILED);
        ApiError::new(
            status,
            code.code(),
            "Identification Not Possible",
            code.customer_message(bankident_domain::Language::En),
        )
    }

    /// The body in Solaris' envelope.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            errors: vec![ErrorObject {
                id: new_id("ex"),
                status: self.status.as_u16(),
                code: self.code.clone(),
                title: self.title.clone(),
                detail: self.detail.clone(),
                source: self.field.as_ref().map(|field| ErrorSource {
                    field: field.clone(),
                    message: self.detail.clone(),
                }),
            }],
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// The result of an API handler.
pub type ApiResult<T = Response> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_every_field() {
        let error = ApiError::invalid_model("last_name", "is too long (maximum is 50 characters)");
        let body = serde_json::to_value(error.body()).unwrap();
        let error = &body["errors"][0];
        assert_eq!(error["status"], 400);
        assert_eq!(error["code"], "invalid_model");
        assert_eq!(error["title"], "Invalid Model");
        assert_eq!(
            error["detail"],
            "last_name is too long (maximum is 50 characters)"
        );
        assert_eq!(error["source"]["field"], "last_name");
        assert!(error["id"].as_str().unwrap().ends_with("ex"));
    }
}
