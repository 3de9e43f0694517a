//! An API-mode step that has nothing to continue (another browser, an ended identification):
//! the way back to the start.

use leptos::prelude::*;

use crate::routing::Page;
use crate::texts::tr;

/// "Nothing to continue here", with a link to the start page.
#[component]
pub fn StepLost() -> impl IntoView {
    view! {
        <p class="bk-body">{tr(|k| k.code().lost().inner())}</p>
        <a class="bk-button" role="button" href=Page::Start.path()>{tr(|k| k.outcome().home().inner())}</a>
    }
}
