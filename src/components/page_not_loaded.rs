//! "This page could not be loaded": a page module that did not arrive.

use leptos::prelude::*;

use crate::texts::{tr, tr_signal};

use crate::components::page_title::PageTitle;

/// "This page could not be loaded", with a button that tries again (answers are kept in the
/// tab's storage, so reloading loses nothing).
#[component]
pub fn PageNotLoaded() -> impl IntoView {
    view! {
        <PageTitle heading=tr_signal(|k| k.not_loaded().heading().inner()) />
        <h1 class="bk-heading-l">{tr(|k| k.not_loaded().heading().inner())}</h1>
        <p class="bk-body">{tr(|k| k.not_loaded().text().inner())}</p>
        <button type="button" class="bk-button" on:click=|_| {
            let _ = window().location().reload();
        }>{tr(|k| k.not_loaded().retry().inner())}</button>
    }
}
