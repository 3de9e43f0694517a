//! The frame of every page: skip link, header with the service name and language switch, and
//! the main landmark the page content goes into.

use leptos::prelude::*;

use crate::texts::tr;

use crate::brand::{brand_text, has_logo};
use crate::components::language_switch::LanguageSwitch;
use crate::language::use_i18n;

/// Wraps a page in the skip link, header and `<main>`.
#[component]
pub fn PageShell(
    /// The page content.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    // The partner's name (a proper name, the same in both languages) replaces the catalogs'.
    let partner_name = brand_text("name");
    let logo = has_logo().then(|| {
        view! { <img class="bk-header__logo" src="/brand/logo" alt="" height="32" /> }
    });
    view! {
        <a href="#main-content" class="bk-skip-link">{tr(|k| k.skip_link().inner())}</a>
        <header class="bk-header">
            <div class="bk-width-container bk-header__inner">
                <span class="bk-header__service">
                    {logo}
                    {move || partner_name.clone().unwrap_or_else(|| i18n.keys().service_name().inner().to_string())}
                </span>
                <LanguageSwitch />
            </div>
        </header>
        <div class="bk-width-container">
            <main class="bk-main" id="main-content" tabindex="-1">
                {children()}
            </main>
        </div>
    }
}
