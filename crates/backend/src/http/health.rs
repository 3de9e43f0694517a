//! Liveness and readiness endpoints for load balancers and the run command.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::AppState;

/// `GET /health`: the process is up and serving.
pub async fn health_show() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /ready`: the database takes writes and is migrated (503 otherwise, with the reason). Webhook subscriptions still missing
/// are named (`missing_webhooks`) without making the backend unready: outcomes are also read
/// from Solaris directly. So are the partner's webhook events still waiting for a delivery
/// and those that failed for good (`partner_events`), for the operations team's alerts.
pub async fn ready_show(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if let Err((status, detail)) = state.store.check_ready().await {
        tracing::error!(status, %detail, "not ready");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": status })),
        );
    }
    let missing = state.solaris_webhooks.missing_subscriptions().await;
    let backlog = state.store.partner_event_backlog().await;
    match (missing, backlog) {
        (Ok(missing), Ok((pending, failed))) => {
            let names: Vec<&str> = missing.iter().map(|event| event.name()).collect();
            (
                StatusCode::OK,
                Json(json!({
                    "status": "ready",
                    "missing_webhooks": names,
                    "partner_events": { "pending": pending, "failed": failed },
                })),
            )
        }
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "database unavailable" })),
        ),
    }
}
