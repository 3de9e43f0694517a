//! Liveness on the public port, for load balancers in front of it. Readiness, with its
//! figures, is on the management port ([`super::management`]).

use axum::Json;
use serde_json::{Value, json};

/// `GET /health`: the process is up and serving.
pub async fn health_show() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}
