//! The page for addresses the app does not know.

use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};

/// "Page not found", with a way back to the start.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle heading=Signal::derive(move || t_string!(i18n, not_found.heading)) />
        <h1 class="bk-heading-xl">{t!(i18n, not_found.heading)}</h1>
        <p class="bk-body">{t!(i18n, not_found.text)}</p>
        <p class="bk-body"><a class="bk-link" href="/">{t!(i18n, not_found.link)}</a></p>
    }
}
