//! Which language the app speaks: the host app's `?lang=de|en` wins, then the customer's own
//! choice earlier in this tab (remembered in `sessionStorage`, so it survives the trip to the
//! bank, whose return address carries no `?lang=`), then the browser's preferred languages
//! (leptos_i18n reads `navigator.languages`), then German. A switch also writes the choice to
//! `?lang=` so a reload keeps it.

use bankident_domain::Language;
use leptos::prelude::*;

use crate::i18n::{Locale, use_i18n};

/// The catalog locale of a domain language.
pub fn locale_of(language: Language) -> Locale {
    match language {
        Language::De => Locale::de,
        Language::En => Locale::en,
    }
}

/// The domain language of a catalog locale (for texts that live in the domain crate).
pub fn language_of(locale: Locale) -> Language {
    match locale {
        Locale::de => Language::De,
        Locale::en => Language::En,
    }
}

/// The language the page URL asks for with `?lang=`, if any.
pub fn language_from_url() -> Option<Language> {
    let search = window().location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    Language::from_tag(&params.get("lang")?)
}

/// The `sessionStorage` key of the customer's language choice.
const STORAGE_KEY: &str = "bankident.lang";

fn remembered_language() -> Option<Language> {
    let storage = window().session_storage().ok().flatten()?;
    Language::from_tag(&storage.get_item(STORAGE_KEY).ok().flatten()?)
}

fn remember(language: Language) {
    if let Some(storage) = window().session_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, language.tag());
    }
}

/// Switches the app to `language`, remembers it for this tab and records it in `?lang=`
/// without a new history entry.
pub fn switch_language(language: Language) {
    use_i18n().set_locale(locale_of(language));
    remember(language);
    remember_in_url(language);
}

fn remember_in_url(language: Language) {
    let location = window().location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    params.set("lang", language.tag());
    let url = format!("{path}?{}", String::from(params.to_string()));
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Applies `?lang=` once at start-up. It must be an effect: the i18n provider applies the
/// browser's languages in an effect of its own after the first render, and effects run in the
/// order they were created, so this one, created inside the provider, runs after it and wins.
#[component]
pub fn LanguageFromUrl() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move || {
        if let Some(language) = language_from_url() {
            remember(language);
            i18n.set_locale(locale_of(language));
        } else if let Some(language) = remembered_language() {
            i18n.set_locale(locale_of(language));
        }
    });
}
