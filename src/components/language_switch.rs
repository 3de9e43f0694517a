//! The DE/EN switch in the header. It offers the other language, named in that language and
//! marked with its `lang` so screen readers pronounce it right. Answers stay where they are:
//! only the texts change.

use bankident_domain::Language;
use leptos::prelude::*;

use crate::texts::tr;

use crate::language::use_i18n;
use crate::language::{language_of, switch_language};

/// A button that switches to the language not currently shown.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || match language_of(i18n.get_locale()) {
        Language::De => Language::En,
        Language::En => Language::De,
    };
    view! {
        <nav class="bk-language-switch" aria-label=move || i18n.keys().language_switch().label().inner()>
            <button
                type="button"
                class="bk-language-switch__button"
                lang=move || i18n.keys().language_switch().other_language_tag().inner()
                on:click=move |_| switch_language(other())
            >
                {tr(|k| k.language_switch().other_language().inner())}
            </button>
        </nav>
    }
}
