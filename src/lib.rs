//! The customer-facing Bankident onboarding app: a Leptos single-page app compiled to
//! WebAssembly. `App` sets up the language context and the routes; each page lives in `pages/`,
//! each reusable widget in `components/`.

pub mod api;
pub mod brand;
pub mod bridge;
pub mod components;
pub mod field_messages;
pub mod journey;
pub mod language;
pub mod lazy_pages;
pub mod pages;
pub mod routing;

/// The DE/EN message catalogs of `locales/`, compiled by `build.rs` into the module `i18n`.
/// Keys are checked at compile time and both catalogs must hold the same keys.
#[allow(missing_docs, clippy::all)]
mod catalogs {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use catalogs::i18n;

use leptos::prelude::*;

use crate::bridge::{BridgeEvent, post_event};
use crate::components::page_shell::PageShell;
use crate::i18n::I18nContextProvider;
use crate::journey::Journey;
use crate::language::LanguageFromUrl;
use crate::lazy_pages::lazy_page;
use crate::pages::{not_found::NotFoundPage, start::StartPage};
use crate::routing::{Page, provide_router};

/// The whole app: language context, page shell and the page for the current address.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <LanguageFromUrl />
            <PageShell>
                <CurrentPage />
            </PageShell>
        </I18nContextProvider>
    }
}

/// How long after the first frame the other pages' modules start downloading.
const PRELOAD_DELAY_MS: u64 = 500;

/// The page the address asks for.
#[component]
fn CurrentPage() -> impl IntoView {
    let router = provide_router();
    Journey::provide();
    // The host app hears of every page the customer reaches (paths only, no answers).
    Effect::new(move || {
        post_event(&BridgeEvent::Step {
            step: router.path(),
        });
    });
    // The other pages' modules are fetched in the background once the first page is painted
    // (not before: its text must not wait behind those downloads).
    request_animation_frame(|| {
        set_timeout(
            || leptos::task::spawn_local(crate::lazy_pages::preload_all()),
            std::time::Duration::from_millis(PRELOAD_DELAY_MS),
        )
    });
    move || {
        let page = router.page();
        lazy_page(page).unwrap_or_else(|| match page {
            Page::Start => view! { <StartPage /> }.into_any(),
            _ => view! { <NotFoundPage /> }.into_any(),
        })
    }
}
