//! The partner backend: serves the built web app and, as later work lands, the app's API, the
//! Solaris client and the webhook receiver. `app` builds the whole HTTP service so tests can
//! drive it with `oneshot`; `main.rs` only reads the configuration and serves it.

pub mod config;
mod health;
mod static_files;

use axum::Router;
use axum::routing::get;

pub use config::Config;

/// The backend's HTTP service.
pub fn app(config: &Config) -> Router {
    Router::new()
        .route("/health", get(health::health_show))
        .fallback_service(static_files::service(&config.dist_dir))
}
