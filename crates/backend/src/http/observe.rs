//! Middleware that makes every answer visible to operators: one access-log line per request at
//! `info` (method, route, status, duration; never the query string, which could carry a
//! token), and the request metrics by route. The route is the matched route's template, or
//! `app` for the app's pages and files (the fallback), so neither names an id.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

use crate::telemetry::metrics;

/// The route label of the app's pages and files.
const APP_ROUTE: &str = "app";

/// Middleware: logs and counts the request once it is answered.
pub async fn observe(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(APP_ROUTE, MatchedPath::as_str)
        .to_string();
    let method = request.method().clone();
    let response = next.run(request).await;
    let took = started.elapsed();
    let status = response.status().as_u16();
    tracing::info!(
        %method,
        %route,
        status,
        duration_ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
        "request"
    );
    metrics::http_request(&route, method.as_str(), status, took);
    response
}
