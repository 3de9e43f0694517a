//! Which language the app speaks, and the context every component reads it from
//! ([`use_i18n`]). At start-up: the host app's `?lang=de|en` wins, then the customer's own
//! choice earlier in this tab (remembered in `sessionStorage`, so it survives the trip to the
//! bank, whose return address carries no `?lang=`), then the browser's preferred languages
//! (`navigator.languages`, the first that is German or English), then German. A switch also
//! writes the choice to `?lang=` so a reload keeps it.
//!
//! The context is ours, not leptos_i18n's: the catalogs stay leptos_i18n's (compiled, checked
//! keys), but its context brought ICU's locale parser (to match `navigator.languages`), a
//! cookie, leptos_meta and leptos-use into the first download: without them the first load
//! fell from 113.4 to 93.9 KB gzip (docs/benchmarks.md, "Size work of issue 25"). The domain's
//! [`Language::from_tag`] is the one rule for a language tag.

use bankident_domain::Language;
use leptos::prelude::*;

use crate::i18n::{I18nKeys, Locale};

/// The language the app speaks now.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The current catalog locale (tracked: a view reading it follows a switch).
    pub fn get_locale(self) -> Locale {
        self.locale.get()
    }

    /// The current catalog locale, without tracking.
    pub fn get_locale_untracked(self) -> Locale {
        self.locale.get_untracked()
    }

    /// Switches the language of every view.
    pub fn set_locale(self, locale: Locale) {
        self.locale.set(locale);
    }

    /// The catalog in the current language (tracked).
    pub fn keys(self) -> I18nKeys {
        self.get_locale().get_keys_const()
    }
}

/// The language context [`provide_language`] set up.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Sets up the language context with the start-up language (see the module's text) and keeps
/// `<html lang>` in step with it, for screen readers and the browser's own texts.
pub fn provide_language() -> I18n {
    let language = language_from_url()
        .inspect(|language| remember(*language))
        .or_else(remembered_language)
        .or_else(browser_language)
        .unwrap_or(Language::De);
    let i18n = I18n {
        locale: RwSignal::new(locale_of(language)),
    };
    provide_context(i18n);
    Effect::new(move || {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", language_of(i18n.get_locale()).tag());
        }
    });
    i18n
}

/// The first of the browser's preferred languages that the app speaks.
fn browser_language() -> Option<Language> {
    window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .find_map(|tag| Language::from_tag(&tag))
}

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
