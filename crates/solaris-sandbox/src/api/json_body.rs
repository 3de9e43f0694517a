//! Request bodies as JSON objects, with malformed bodies answered in Solaris' envelope
//! (400 `invalid_json`) instead of axum's plain-text rejections.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
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

/// A request body read into one of the contract's request types and validated as Solaris
/// validates (`invalid_model` naming the field): an absent or `null` field and a blank string
/// "can't be blank", a value of the wrong type says what was expected, a value outside a list
/// says so. What each field must hold beyond its type is the handler's to check.
pub struct SolarisJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Serialize> FromRequest<S> for SolarisJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonObject(object) = JsonObject::from_request(request, state).await?;
        read_request(Value::Object(object)).map(SolarisJson)
    }
}

/// Reads `body` into `T`, with Solaris' field errors.
fn read_request<T: DeserializeOwned + Serialize>(body: Value) -> Result<T, ApiError> {
    let request: T = serde_path_to_error::deserialize(&body).map_err(|error| {
        let message = error.inner().to_string();
        let path = error.path().to_string();
        if let Some(missing) = backticked(&message).filter(|_| message.starts_with("missing field"))
        {
            let field = if path == "." {
                missing.to_string()
            } else {
                format!("{path}.{missing}")
            };
            return ApiError::invalid_model(&field, "can't be blank");
        }
        let given = path.split(['.', '[']).try_fold(&body, |value, key| {
            let key = key.trim_end_matches(']');
            match key.parse::<usize>() {
                Ok(index) => value.get(index),
                Err(_) => value.get(key),
            }
        });
        if matches!(given, Some(Value::Null)) {
            return ApiError::invalid_model(&path, "can't be blank");
        }
        let expected = message.rsplit_once("expected ").map(|(_, what)| what);
        let detail = match expected {
            Some(list) if message.starts_with("unknown variant") => {
                format!("is not included in the list ({list})")
            }
            Some(what) => format!("must be {what}"),
            None => format!("is invalid: {message}"),
        };
        ApiError::invalid_model(&path, &detail)
    })?;
    let read_back = serde_json::to_value(&request).unwrap_or_default();
    if let Some((field, _)) = read_back
        .as_object()
        .into_iter()
        .flatten()
        .find(|(_, value)| value.as_str().is_some_and(|text| text.trim().is_empty()))
    {
        return Err(ApiError::invalid_model(field, "can't be blank"));
    }
    Ok(request)
}

/// The first `…`-quoted word of serde's message.
fn backticked(message: &str) -> Option<&str> {
    message.split('`').nth(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use solaris_contract::{SessionRequest, TokenRequest, WebhookSubscriptionRequest};

    fn field_error<T: DeserializeOwned + Serialize>(body: Value) -> (String, String) {
        let error = read_request::<T>(body).err().expect("refused");
        (
            error.field.expect("names a field"),
            error.detail.split_once(' ').expect("detail").1.to_string(),
        )
    }

    #[test]
    fn absent_null_and_blank_fields_cannot_be_blank() {
        for body in [json!({}), json!({"token": null}), json!({"token": "  "})] {
            assert_eq!(
                field_error::<TokenRequest>(body),
                ("token".to_string(), "can't be blank".to_string())
            );
        }
    }

    #[test]
    fn wrong_types_and_unknown_values_name_the_field_and_what_was_expected() {
        assert_eq!(
            field_error::<TokenRequest>(json!({"token": 212212})),
            ("token".to_string(), "must be a string".to_string())
        );
        let (field, detail) = field_error::<SessionRequest>(
            json!({"callback_url": "https://x.test", "identification_methods": "bank"}),
        );
        assert_eq!(
            (field.as_str(), detail.as_str()),
            ("identification_methods", "must be a sequence")
        );
        let (field, detail) = field_error::<SessionRequest>(
            json!({"callback_url": "https://x.test", "identification_methods": [7]}),
        );
        assert_eq!(
            (field.as_str(), detail.as_str()),
            ("identification_methods[0]", "must be a string")
        );
        let (field, detail) = field_error::<WebhookSubscriptionRequest>(
            json!({"event_type": "ACCOUNT_BLOCK", "url": "https://x.test/hook"}),
        );
        assert_eq!(field, "event_type");
        assert!(
            detail.starts_with("is not included in the list") && detail.contains("IDENTIFICATION"),
            "{detail}"
        );
    }

    #[test]
    fn optional_fields_may_be_absent_and_extra_fields_are_ignored() {
        let request: TokenRequest =
            read_request(json!({"token": "212212", "note": ""})).expect("read");
        assert_eq!(request.token, "212212");
        assert_eq!(request.number, None);
    }
}
