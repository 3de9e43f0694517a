//! The page the address asks for, with the router, the journey's answers, the host app's step
//! events and the background download of the other pages' modules.

use leptos::prelude::*;

use crate::bridge::{BridgeEvent, post_event};
use crate::journey::Journey;
use crate::lazy_pages::lazy_page;
use crate::pages::{not_found::NotFoundPage, start::StartPage};
use crate::routing::{Page, provide_router};

/// How long after the first frame the other pages' modules start downloading.
const PRELOAD_DELAY_MS: u64 = 500;

/// The page the address asks for.
#[component]
pub fn CurrentPage() -> impl IntoView {
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
