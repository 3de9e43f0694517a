//! The partner backend: serves the built web app with strict security headers, offers the app's
//! API, holds the Solaris credentials and talks to Solaris, receives Solaris' webhooks, and keeps
//! each onboarding in a database. With no Solaris configuration a build with the
//! `embedded-sandbox` feature (the default) mounts the Sandbox emulator under `/solaris` and
//! uses it over loopback HTTP, so everything runs on one URL.
//!
//! [`AppState::new`] connects the parts; [`app`] builds the HTTP service (tests drive it with
//! `oneshot`); `main.rs` reads the configuration and serves it.

pub mod api;
pub mod api_mode;
pub mod app_shell;
pub mod brand;
pub mod browser;
pub mod config;
pub mod corrections;
pub mod documents;
#[cfg(feature = "embedded-sandbox")]
pub mod embedded_sandbox;
pub mod error;
mod health;
mod ids;
pub mod openapi;
pub mod outcomes;
pub mod partner_api;
pub mod partner_events;
pub mod rate_limits;
pub mod security;
pub mod serve;
pub mod solaris;
pub mod start_link;
pub mod start_page;
pub mod static_files;
pub mod store;
pub mod webhooks;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use config::Config;

use crate::solaris::SolarisClient;
use crate::store::Store;

/// How long an identification under way (`pending`), read from Solaris, answers further polls.
/// Other answers are shared only by the polls that waited for the read.
pub const OUTCOME_CACHE_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// Largest request body the API accepts (the answers are about 1 KB).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Everything the handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Settings.
    pub config: Arc<Config>,
    /// The database.
    pub store: Store,
    /// The Solaris client.
    pub solaris: Arc<SolarisClient>,
    /// The built app's index.html for each app page (see [`app_shell`]).
    pub app_shells: Arc<app_shell::AppShells>,
    /// The Content-Security-Policy header value.
    pub csp: Arc<str>,
    /// Rate limits of this instance.
    pub rate_limits: Arc<rate_limits::RateLimits>,
    /// How browser cookies are set and read (signed with the database's secret).
    pub cookies: browser::CookiePolicy,
    /// The HTTP client that delivers the partner's webhooks (no redirects followed).
    pub partner_http: reqwest::Client,
    /// Our webhook subscriptions' secrets as last read (see [`webhooks::WebhookSecrets`]).
    pub webhook_secrets: Arc<webhooks::WebhookSecrets>,
    locks: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    outcomes: Arc<Mutex<HashMap<String, (std::time::Instant, bankident_domain::Outcome)>>>,
}

impl AppState {
    /// Opens the database and reads the built app; fails with a message saying what to fix.
    pub async fn new(config: Config) -> Result<AppState, String> {
        let index_path = config.dist_dir.join("index.html");
        let index_html = std::fs::read(&index_path).map_err(|error| {
            format!("cannot read {} ({error}): build the app first (`cargo xtask run` does) or set BANKIDENT_DIST_DIR", index_path.display())
        })?;
        let index_html = security::with_head(
            &security::with_parent_origin(
                &String::from_utf8_lossy(&index_html),
                &config.frame_ancestors,
            ),
            &config.brand.data_html(),
        );
        let index_html = security::with_head_end(&index_html, &config.brand.style_html());
        let csp = security::content_security_policy(
            &index_html,
            &config.frame_ancestors,
            config.is_https(),
        );
        let preload_path = config.dist_dir.join(app_shell::PRELOAD_FILE);
        let preload_json = std::fs::read_to_string(&preload_path).ok();
        let app_shells = app_shell::AppShells::new(&index_html, preload_json.as_deref())
            .map_err(|error| format!("{}: {error}", preload_path.display()))?;
        let mut store = Store::open(&config.database_url).await?;
        if config.partner.webhook.is_some() {
            store = store.recording_partner_events();
        }
        let partner_http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(std::time::Duration::from_secs(5))
            .build()
            .expect("the HTTP client's TLS setup is static");
        let secret = store
            .cookie_secret()
            .await
            .map_err(|error| format!("cannot read the cookie secret from the database: {error}"))?;
        let cookies = config.cookie_policy(secret.into());
        let solaris = SolarisClient::new(config.solaris.clone());
        Ok(AppState {
            config: Arc::new(config),
            store,
            solaris: Arc::new(solaris),
            app_shells: Arc::new(app_shells),
            csp: csp.into(),
            cookies,
            rate_limits: Arc::default(),
            partner_http,
            webhook_secrets: Arc::default(),
            locks: Arc::default(),
            outcomes: Arc::default(),
        })
    }

    /// An outcome read from Solaris that a poll which `arrived` then may answer with: one read
    /// while it waited (concurrent polls share a read), or an identification under way read
    /// less than [`OUTCOME_CACHE_FOR`] ago. An answer that stops the outcome page's polling
    /// (unfinished, final) is never served from before the poll arrived.
    fn cached_outcome(
        &self,
        onboarding_id: &str,
        arrived: std::time::Instant,
    ) -> Option<bankident_domain::Outcome> {
        let mut outcomes = self
            .outcomes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        outcomes.retain(|_, (at, _)| at.elapsed() < OUTCOME_CACHE_FOR);
        let (at, outcome) = outcomes.get(onboarding_id)?;
        let under_way = outcome.state == bankident_domain::OutcomeState::Pending;
        (*at >= arrived || under_way).then(|| outcome.clone())
    }

    /// Forgets a kept outcome: the customer went on (a session handed out again or anew).
    fn forget_outcome(&self, onboarding_id: &str) {
        self.outcomes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(onboarding_id);
    }

    /// Keeps an outcome for [`OUTCOME_CACHE_FOR`].
    fn cache_outcome(&self, onboarding_id: &str, outcome: &bankident_domain::Outcome) {
        self.outcomes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(
                onboarding_id.to_string(),
                (std::time::Instant::now(), outcome.clone()),
            );
    }

    /// The lock that serializes one onboarding's requests (from any of its browsers).
    fn lock_for(&self, onboarding_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        locks.entry(onboarding_id.to_string()).or_default().clone()
    }
}

/// The backend's HTTP service.
pub fn app(state: AppState) -> Router {
    let api = api::routes()
        .merge(api_mode::routes())
        .layer(from_fn_with_state(state.clone(), api::require_same_site))
        .route("/api/solaris/webhooks", post(webhooks::webhook_receive))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let dist_dir = state.config.dist_dir.clone();
    let app_shells = state.app_shells.clone();
    let cookies = state.cookies.clone();
    let partner = partner_api::routes()
        .layer(from_fn_with_state(
            state.clone(),
            partner_api::require_api_key,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let router = Router::new()
        .route("/health", get(health::health_show))
        .route("/ready", get(health::ready_show))
        .route("/", get(start_page::start_page_show))
        .route("/start", get(start_link::start_link_open))
        .route(brand::LOGO_PATH, get(brand::logo_show))
        .route(openapi::PARTNER_PATH, get(openapi::partner_show))
        .route(openapi::APP_PATH, get(openapi::app_show))
        .merge(api)
        .merge(partner);
    #[cfg(feature = "embedded-sandbox")]
    let router = if state.config.solaris.embedded {
        router.nest_service(
            embedded_sandbox::EMULATOR_PATH,
            embedded_sandbox::router(&state.config, api_mode::pages::SIGN),
        )
    } else {
        router
    };
    router
        .fallback(move |request: Request| {
            let dist_dir = dist_dir.clone();
            let app_shells = app_shells.clone();
            let cookies = cookies.clone();
            async move { static_files::serve(&dist_dir, &app_shells, &cookies, request).await }
        })
        .layer(axum::middleware::map_response(error::log_errors))
        .layer(from_fn_with_state(state.clone(), security::add_security_headers))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
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
