//! The webhook subscriptions' API (`/v1/webhooks`): URLs are checked as Solaris does before the
//! engine verifies and subscribes them.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use solaris_contract::WebhookSubscriptionRequest;
use solaris_contract::pages::PageQuery;

use super::json_body::SolarisJson;
use super::pages::page_response;
use crate::Sandbox;
use crate::error::{ApiError, ApiResult};

/// Webhook URLs must be https; plain http only to this machine (loopback), for local partners.
fn check_webhook_url(url: &str) -> Result<(), ApiError> {
    if crate::urls::is_https_or_loopback_http(url) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsafe_webhook_url",
            "Unsafe Webhook URL",
            "the webhook URL must use https (the emulator also accepts http to a loopback host)",
        ))
    }
}

/// `POST /v1/webhooks`.
pub async fn webhook_create(
    State(sandbox): State<Sandbox>,
    SolarisJson(body): SolarisJson<WebhookSubscriptionRequest>,
) -> ApiResult {
    let WebhookSubscriptionRequest {
        event_type: event,
        url,
    } = body;
    check_webhook_url(&url)?;
    let answer = sandbox.webhooks().subscribe(event, url).await?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `GET /v1/webhooks`: the subscriptions, without secrets, one page at a time.
pub async fn webhook_index(
    State(sandbox): State<Sandbox>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult {
    page_response(&sandbox.webhooks().subscriptions(), query)
}

/// `GET /v1/webhooks/{id}`.
pub async fn webhook_show(State(sandbox): State<Sandbox>, Path(id): Path<String>) -> ApiResult {
    Ok(Json(sandbox.webhooks().subscription(&id)?).into_response())
}

/// `DELETE /v1/webhooks/{id}`.
pub async fn webhook_delete(State(sandbox): State<Sandbox>, Path(id): Path<String>) -> ApiResult {
    Ok(Json(sandbox.webhooks().unsubscribe(&id)?).into_response())
}
