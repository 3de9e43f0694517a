//! `POST /api/solaris/webhooks`: Solaris' deliveries, answered as [`SolarisWebhooks`] decides.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

use super::AppState;
use crate::solaris_webhooks::{Receipt, SolarisWebhooks};

/// `POST /api/solaris/webhooks`.
pub async fn webhook_receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    match SolarisWebhooks::receive(&state.solaris_webhooks, header, &body).await {
        Receipt::Accepted => StatusCode::OK,
        Receipt::Unauthorized => StatusCode::UNAUTHORIZED,
        Receipt::Malformed => StatusCode::BAD_REQUEST,
        Receipt::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}
