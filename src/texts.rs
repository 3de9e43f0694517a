//! Catalog texts in views. Every text of the app renders through [`tr`], so the code that
//! keeps a text in the current language exists once in the wasm, not once per text (leptos_i18n's
//! `t!` makes a closure of its own type for each use).

use leptos::prelude::*;

use crate::i18n::I18nKeys;
use crate::language::use_i18n;

/// The text `key` picks from the catalog, in the current language.
pub fn tr(key: fn(&I18nKeys) -> &'static str) -> impl IntoView + Copy + use<> {
    let i18n = use_i18n();
    move || key(&i18n.get_locale().get_keys_const())
}

/// The text `key` picks from the catalog, as a signal that follows the language (for labels,
/// headings and titles given to components).
pub fn tr_signal(key: fn(&I18nKeys) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || key(&i18n.get_locale().get_keys_const()))
}

/// A catalog text with its `{n}` replaced by `value` (a number, a phone number, a name).
pub fn fill(text: &str, value: &str) -> String {
    text.replacen("{n}", value, 1)
}
