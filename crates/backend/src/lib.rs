//! The partner backend: serves the built web app with strict security headers, offers the app's
//! API and the partner API, holds the Solaris credentials and talks to Solaris, receives
//! Solaris' webhooks and delivers the partner's, and keeps each onboarding in a database. With
//! no Solaris configuration a build with the `embedded-sandbox` feature (the default) mounts
//! the Sandbox emulator under `/solaris` and uses it over loopback HTTP, so everything runs on
//! one URL.
//!
//! Layers, each using only those below it:
//!
//! - [`http`]: the transport (handlers, extractors, headers); [`serve`]: the server;
//! - [`onboarding`], [`solaris_webhooks`], [`partner_events`]: the services, which decide;
//! - [`store`] (all SQL), [`solaris`] (the Solaris client), [`rate_limits`], [`browser`];
//! - [`config`] (plain data), [`error`] (the error types both APIs answer with).
//!
//! [`AppState::new`] connects the parts; [`app`] builds the HTTP service (tests drive it with
//! `oneshot`); `main.rs` reads the configuration and serves it.

pub mod browser;
pub mod commands;
pub mod config;
#[cfg(feature = "embedded-sandbox")]
pub mod embedded_sandbox;
pub mod error;
pub mod http;
mod ids;
pub mod onboarding;
pub mod partner_events;
pub mod rate_limits;
pub mod retention;
pub mod serve;
pub mod solaris;
pub mod solaris_webhooks;
pub mod store;
pub mod telemetry;
pub mod timestamps;

pub use config::Config;
pub use http::{AppState, MAX_BODY_BYTES, app};
