//! The OAuth2 API: `POST /oauth2/token` with the client credentials as HTTP Basic auth, and the
//! bearer check every `/v1` call passes (401 without a valid token).

use axum::Form;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Deserialize;

use crate::Sandbox;
use crate::error::{ApiError, ApiResult};

/// The token request's form body.
#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    grant_type: Option<String>,
}

/// `POST /oauth2/token`.
pub async fn token_create(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    form: Result<Form<TokenRequest>, axum::extract::rejection::FormRejection>,
) -> ApiResult {
    let grant_type = form.ok().and_then(|Form(request)| request.grant_type);
    if grant_type.as_deref() != Some("client_credentials") {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Unsupported Grant Type",
            "grant_type must be client_credentials",
        ));
    }
    let (client_id, client_secret) = basic_credentials(&headers).ok_or_else(|| {
        ApiError::unauthorized("client credentials are required as HTTP Basic auth")
    })?;
    let body = sandbox.issue_token(&client_id, &client_secret)?;
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Middleware for the API routes: a bearer token that exists and has not expired.
pub async fn require_bearer(
    State(sandbox): State<Sandbox>,
    request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim)
        .map(str::to_string);
    let Some(token) = token else {
        return ApiError::unauthorized("a bearer token is required").into_response();
    };
    let valid = sandbox.token_is_valid(&token);
    if !valid {
        return ApiError::unauthorized("the bearer token is unknown or expired").into_response();
    }
    next.run(request).await
}
