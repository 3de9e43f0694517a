//! Liveness endpoint for load balancers and the run command.

use axum::Json;
use serde_json::{Value, json};

/// `GET /health`: the process is up and serving.
pub async fn health_show() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}
