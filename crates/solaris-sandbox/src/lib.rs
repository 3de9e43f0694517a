//! An emulator of the Solaris Sandbox, as the Bankident webview guide describes it: the API
//! (OAuth2, persons, mobile numbers, identifications, identification sessions, webhooks), signed
//! webhook deliveries, and the hosted webview screens. The real Sandbox is out of reach from
//! development machines and CI; this lets the whole journey run anywhere.
//!
//! [`router`] builds the HTTP service; the partner backend mounts it as its embedded default,
//! and `main.rs` serves it alone. Test controls live under `/_sandbox/`, apart from the API.
//! `README.md` lists every choice made where the guide is silent.

pub mod api;
pub mod clock;
pub mod config;
pub mod controls;
pub mod engine;
pub mod error;
pub mod ids;
pub mod mocked_ibans;
pub mod model;
pub mod pdf;
mod screens;
pub mod urls;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get, post};
use time::OffsetDateTime;

pub use config::SandboxConfig;
pub use screens::SAMPLE_DOCUMENTS_PATH;

use crate::clock::Clock;
use crate::engine::webhooks::Webhooks;
use crate::model::State;

/// One emulator instance: its settings, clock, data and webhooks. Cheap to clone.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    config: SandboxConfig,
    clock: Clock,
    state: Mutex<State>,
    webhooks: Webhooks,
}

impl Sandbox {
    /// A fresh emulator with no data.
    pub fn new(config: SandboxConfig) -> Sandbox {
        let documented_fields_only = config.documented_fields_only;
        let webhooks = Webhooks::new(
            config.webhook_retry_base,
            config.webhook_max_attempts,
            config.documented_fields_only,
        );
        Sandbox {
            inner: Arc::new(Inner {
                config,
                clock: Clock::default(),
                state: Mutex::new(State {
                    documented_fields_only,
                    ..State::default()
                }),
                webhooks,
            }),
        }
    }

    /// The settings.
    pub fn config(&self) -> &SandboxConfig {
        &self.inner.config
    }

    /// The emulator's current time.
    pub fn now(&self) -> OffsetDateTime {
        self.inner.clock.now()
    }

    /// Moves the emulator's clock forward; `false` (nothing moves) beyond 10 years ahead.
    pub fn advance_clock(&self, by: time::Duration) -> bool {
        self.inner.clock.advance(by)
    }

    /// The data, locked. Never held across an `.await`.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Webhook subscriptions and deliveries.
    pub fn webhooks(&self) -> &Webhooks {
        &self.inner.webhooks
    }
}

/// The emulator's HTTP service.
pub fn router(sandbox: Sandbox) -> Router {
    let controls = Router::new()
        .route(
            "/_sandbox/clock",
            get(controls::clock_show).post(controls::clock_advance),
        )
        .route("/_sandbox/sms", get(controls::sms_index))
        .route(
            "/_sandbox/webhook_deliveries",
            get(controls::webhook_deliveries_index),
        )
        .route(
            "/_sandbox/faults",
            post(controls::fault_create).delete(controls::fault_delete_all),
        )
        .route("/_sandbox/persons/{id}", delete(controls::person_delete))
        .route_layer(from_fn_with_state(
            sandbox.clone(),
            controls::require_same_origin_json,
        ));
    api::routes(sandbox.clone())
        .layer(from_fn_with_state(sandbox.clone(), controls::apply_faults))
        .merge(screens::routes())
        .merge(controls)
        .with_state(sandbox)
}
