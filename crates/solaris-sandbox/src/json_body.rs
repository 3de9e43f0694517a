//! Request bodies as JSON objects, with malformed bodies answered in Solaris' envelope
//! (400 `invalid_json`) instead of axum's plain-text rejections.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// A request body that must be a JSON object. An empty body counts as `{}`.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_json",
                    "Invalid JSON",
                    rejection.body_text(),
                )
            })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonObject(Map::new()));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(object)) => Ok(JsonObject(object)),
            Ok(_) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                "Invalid JSON",
                "the body must be a JSON object",
            )),
            Err(error) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                "Invalid JSON",
                format!("the body is not valid JSON: {error}"),
            )),
        }
    }
}

/// A required string field of a request, not blank.
pub fn required_str<'a>(body: &'a Map<String, Value>, field: &str) -> Result<&'a str, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Err(ApiError::invalid_model(field, "can't be blank")),
        Some(Value::String(text)) if text.trim().is_empty() => {
            Err(ApiError::invalid_model(field, "can't be blank"))
        }
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(ApiError::invalid_model(field, "must be a string")),
    }
}
