//! The customer-facing Bankident onboarding app: a Leptos single-page app compiled to
//! WebAssembly. `App` sets up the language context and the routes; each page lives in `pages/`,
//! each reusable widget in `components/`.

pub mod api;
pub mod brand;
pub mod bridge;
pub mod components;
pub mod current_page;
pub mod field_messages;
pub mod journey;
pub mod language;
pub mod lazy_pages;
pub mod page_alive;
pub mod pages;
pub mod polling;
pub mod routing;
pub mod texts;

/// The DE/EN message catalogs of `locales/`, compiled by `build.rs` into the module `i18n`.
/// Keys are checked at compile time and both catalogs must hold the same keys.
#[allow(missing_docs, clippy::all)]
mod catalogs {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use catalogs::i18n;

use leptos::prelude::*;

use crate::components::page_shell::PageShell;
use crate::current_page::CurrentPage;
use crate::language::provide_language;

/// The whole app: language context, page shell and the page for the current address.
#[component]
pub fn App() -> impl IntoView {
    provide_language();
    view! {
        <PageShell>
            <CurrentPage />
        </PageShell>
    }
}
