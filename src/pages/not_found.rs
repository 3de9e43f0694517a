//! The page for addresses the app does not know.

use leptos::prelude::*;

use crate::texts::{tr, tr_signal};

use crate::components::page_title::PageTitle;

/// "Page not found", with a way back to the start.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <PageTitle heading=tr_signal(|k| k.not_found().heading().inner()) />
        <h1 class="bk-heading-xl">{tr(|k| k.not_found().heading().inner())}</h1>
        <p class="bk-body">{tr(|k| k.not_found().text().inner())}</p>
        <p class="bk-body"><a class="bk-link" href="/">{tr(|k| k.not_found().link().inner())}</a></p>
    }
}
