//! The management port (`BANKIDENT_MANAGEMENT_LISTEN`, loopback by default): what operators
//! and their platform read, kept off the public port.
//!
//! - `GET /metrics`: Prometheus text (see [`crate::telemetry::metrics`]), with the partner
//!   events' backlog and the database pool read at the scrape;
//! - `GET /health/live`: the process serves;
//! - `GET /health/ready`: 503 while draining after SIGTERM, while the database refuses writes
//!   or lacks this build's migrations, and while no Solaris access token can be had; otherwise
//!   200 with the webhooks not yet subscribed and the partner events' backlog;
//! - `GET /version`: this build's version and its schema.

use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::json;

use super::AppState;
use crate::telemetry::metrics;

/// The management port's routes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics_show))
        .route("/health/live", get(live_show))
        .route("/health/ready", get(ready_show))
        .route("/version", get(version_show))
        .with_state(state)
}

/// `GET /metrics`.
async fn metrics_show(State(state): State<AppState>) -> Response {
    let (size, idle) = state.store.pool_connections();
    metrics::db_connections(size, idle);
    match state.store.partner_event_backlog().await {
        Ok(backlog) => {
            metrics::set_gauge(metrics::PARTNER_EVENTS_PENDING, backlog.pending as f64);
            metrics::set_gauge(metrics::PARTNER_EVENTS_FAILED, backlog.failed as f64);
            metrics::set_gauge(
                metrics::PARTNER_EVENTS_OLDEST_PENDING_AGE,
                backlog.oldest_pending_age_seconds as f64,
            );
        }
        // The backlog keeps its last figures; the failure shows in the log and in readiness.
        Err(error) => tracing::warn!(%error, "partner event backlog not read for /metrics"),
    }
    let handle = metrics::install();
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

/// `GET /health/live`.
async fn live_show() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /health/ready`.
async fn ready_show(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let unready = |status: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": status })),
        )
    };
    if state.web.draining.load(Ordering::Relaxed) {
        return unready("draining");
    }
    if let Err((status, detail)) = state.store.check_ready().await {
        tracing::error!(status, %detail, "not ready");
        return unready(status);
    }
    if let Err(error) = state.solaris.check_token().await {
        tracing::error!(?error, "not ready: no Solaris access token");
        return unready("solaris token unavailable");
    }
    let missing = state.solaris_webhooks.missing_subscriptions().await;
    let backlog = state.store.partner_event_backlog().await;
    match (missing, backlog) {
        (Ok(missing), Ok(backlog)) => {
            let names: Vec<&str> = missing.iter().map(|event| event.name()).collect();
            (
                StatusCode::OK,
                Json(json!({
                    "status": "ready",
                    "missing_webhooks": names,
                    "partner_events": {
                        "pending": backlog.pending,
                        "failed": backlog.failed,
                        "oldest_pending_age_seconds": backlog.oldest_pending_age_seconds,
                    },
                })),
            )
        }
        _ => unready("database unavailable"),
    }
}

/// `GET /version`.
async fn version_show(State(state): State<AppState>) -> Json<serde_json::Value> {
    let (applied, latest) = state.store.schema_versions().await;
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "schema": { "applied": applied, "this_build": latest },
        "embedded_emulator": state.config.solaris.embedded,
    }))
}
