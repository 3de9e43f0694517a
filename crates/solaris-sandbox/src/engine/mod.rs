//! The engine: what the emulator does, as methods on [`crate::Sandbox`] over the model, each
//! answering in `solaris-contract`'s types or an [`crate::error::ApiError`] as Solaris words it.
//! The API's handlers, the hosted screens and the test controls call it; it calls none of them.

pub mod auth;
pub mod identifications;
pub mod lookups;
pub mod mobile_numbers;
pub mod persons;
pub mod sessions;
pub mod webhooks;
pub mod webview;
