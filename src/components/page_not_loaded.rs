//! "This page could not be loaded": a page module that did not arrive.

use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};

/// "This page could not be loaded", with a button that tries again (answers are kept in the
/// tab's storage, so reloading loses nothing).
#[component]
pub fn PageNotLoaded() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle heading=Signal::derive(move || t_string!(i18n, not_loaded.heading)) />
        <h1 class="bk-heading-l">{t!(i18n, not_loaded.heading)}</h1>
        <p class="bk-body">{t!(i18n, not_loaded.text)}</p>
        <button type="button" class="bk-button" on:click=|_| {
            let _ = window().location().reload();
        }>{t!(i18n, not_loaded.retry)}</button>
    }
}
