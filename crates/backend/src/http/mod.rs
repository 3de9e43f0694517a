//! The transport: the HTTP service the backend serves. Handlers extract what a request says,
//! call a service ([`crate::onboarding`], [`crate::solaris_webhooks`]) and answer; they hold no
//! SQL, make no Solaris call and decide nothing. Errors answer through [`crate::error`] and are
//! logged once, by a middleware.
//!
//! - [`app_api`] and [`api_mode`]: the app's API (`/api`), bound to the browser's cookie;
//! - [`partner_api`]: the partner API (`/partner/v1`), with an API key;
//! - [`solaris_webhook`]: Solaris' deliveries (`/api/solaris/webhooks`);
//! - [`start_page`], [`start_link`], [`static_files`], [`app_shell`]: the built app and the way in;
//! - [`security`]: the headers on every answer; [`observe`]: the access log and request
//!   metrics of every answer; [`health`], [`openapi`]: for load balancers and integrators;
//! - [`management`]: the management port's routes (metrics, readiness, version).

pub mod api_mode;
pub mod app_api;
pub mod app_shell;
mod download;
pub mod extract;
mod health;
pub mod management;
mod observe;
pub mod openapi;
pub mod partner_api;
pub mod problem;
pub mod security;
mod solaris_webhook;
pub mod start_link;
pub mod start_page;
pub mod static_files;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::browser::CookiePolicy;
use crate::config::Config;
use crate::onboarding::Onboardings;
use crate::partner_events::PartnerDelivery;
use crate::rate_limits::RateLimits;
use crate::solaris::SolarisClient;
use crate::solaris_webhooks::SolarisWebhooks;
use crate::store::Store;

/// Largest request body the API accepts (the answers are about 1 KB).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What the handlers share: the configuration, the store and Solaris, the services, and the
/// transport's own parts. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Settings.
    pub config: Arc<Config>,
    /// The database.
    pub store: Store,
    /// The Solaris client.
    pub solaris: Arc<SolarisClient>,
    /// The onboarding service.
    pub onboardings: Arc<Onboardings>,
    /// Solaris' webhooks: deliveries in, subscriptions.
    pub solaris_webhooks: Arc<SolarisWebhooks>,
    /// The partner's webhooks out.
    pub partner_delivery: Arc<PartnerDelivery>,
    /// The built app, its headers, the cookie and the rate limits.
    pub web: Arc<Web>,
}

/// The transport's own parts.
pub struct Web {
    /// The built app's index.html for each app page (see [`app_shell`]).
    pub app_shells: app_shell::AppShells,
    /// The Content-Security-Policy header value.
    pub csp: String,
    /// How browser cookies are set and read (signed with the database's secret).
    pub cookies: CookiePolicy,
    /// Rate limits of this instance (shared with the onboarding service's per-onboarding ones).
    pub rate_limits: Arc<RateLimits>,
    /// Set once a stop was asked for: readiness turns false while the requests in flight end.
    pub draining: std::sync::atomic::AtomicBool,
}

impl AppState {
    /// Opens the database and reads the built app; fails with a message saying what to fix.
    pub async fn new(config: Config) -> Result<AppState, String> {
        // The process's metrics recorder, before anything is counted (once per process).
        crate::telemetry::metrics::install();
        let (app_shells, csp) = security::app_shells_and_policy(&config)?;
        let mut store = Store::connect(&config.database_url)
            .await?
            .with_default_mode(config.default_mode);
        if config.migrate_on_start {
            store.migrate().await?;
        } else {
            let status = store.schema_status().await?;
            if let Some(problem) = status.problem(store.schema_versions().await.1) {
                return Err(problem);
            }
        }
        if config.partner.webhook.is_some() {
            store = store.delivering_partner_events();
        }
        let secret = store
            .cookie_secret()
            .await
            .map_err(|error| format!("cannot read the cookie secret from the database: {error}"))?;
        let cookies = config.cookie_policy(secret.into());
        let config = Arc::new(config);
        let solaris = Arc::new(SolarisClient::new(config.solaris.clone()));
        let rate_limits = Arc::new(RateLimits::new(&config.rate_limits));
        let onboardings = Arc::new(Onboardings::new(
            config.clone(),
            store.clone(),
            solaris.clone(),
            rate_limits.clone(),
        ));
        let solaris_webhooks = Arc::new(SolarisWebhooks::new(
            config.clone(),
            store.clone(),
            solaris.clone(),
            onboardings.clone(),
        ));
        let partner_delivery = Arc::new(PartnerDelivery::new(
            store.clone(),
            config.partner.webhook.clone(),
        ));
        Ok(AppState {
            web: Arc::new(Web {
                app_shells,
                csp,
                cookies,
                rate_limits,
                draining: std::sync::atomic::AtomicBool::new(false),
            }),
            config,
            store,
            solaris,
            onboardings,
            solaris_webhooks,
            partner_delivery,
        })
    }
}

/// The backend's HTTP service.
pub fn app(state: AppState) -> Router {
    let api = app_api::routes()
        .merge(api_mode::routes())
        .layer(from_fn_with_state(
            state.clone(),
            extract::require_same_site,
        ))
        .route(
            "/api/solaris/webhooks",
            post(solaris_webhook::webhook_receive),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let partner = partner_api::routes()
        .layer(from_fn_with_state(
            state.clone(),
            partner_api::require_api_key,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(problem::complete_problems));
    let router = Router::new()
        .route("/health", get(health::health_show))
        .route("/", get(start_page::start_page_show))
        .route("/start", get(start_link::start_link_open))
        .route(crate::config::brand::LOGO_PATH, get(logo_show))
        .route(openapi::PARTNER_PATH, get(openapi::partner_show))
        .route(openapi::APP_PATH, get(openapi::app_show))
        .route(
            &format!("{}/{{code}}", crate::error::partner::PROBLEM_TYPES_PATH),
            get(problem::problem_type_show),
        )
        .merge(api)
        .merge(partner);
    #[cfg(feature = "embedded-sandbox")]
    let router = if state.config.solaris.embedded {
        router.nest_service(
            crate::config::EMULATOR_PATH,
            crate::embedded_sandbox::router(&state.config, crate::onboarding::pages::SIGN),
        )
    } else {
        router
    };
    router
        .fallback(start_page::app_page_show)
        .layer(axum::middleware::map_response(crate::error::log_errors))
        .layer(axum::middleware::from_fn(observe::observe))
        .layer(from_fn_with_state(state.clone(), security::add_security_headers))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or_default();
            let span = tracing::info_span!("request", otel.kind = "server", method = %request.method(), path = %request.uri().path(), request_id = %id);
            crate::telemetry::traces::continue_trace(&span, request.headers());
            span
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        // Request ids are ours: one a client sends is dropped before ours is set.
        .layer(axum::middleware::map_request(forget_client_request_id))
        .with_state(state)
}

/// Removes a client's `x-request-id`, so that logs only ever carry ids the backend made.
async fn forget_client_request_id(mut request: Request) -> Request {
    request.headers_mut().remove("x-request-id");
    request
}

/// `GET /brand/logo`: the partner's logo.
async fn logo_show(State(state): State<AppState>) -> Response {
    match &state.config.brand.logo {
        Some((bytes, content_type)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
