//! The error line of a field (GOV.UK: id `{id}-error`, "Error:" for screen readers).

use leptos::prelude::*;

use crate::language::use_i18n;

/// The error line of the field `id`, shown while it has one.
#[component]
pub fn ErrorMessage(
    /// The field's id.
    id: &'static str,
    /// The message, while there is one.
    error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|message| {
            view! {
                <p class="bk-error-message" id=format!("{id}-error")>
                    <span class="bk-visually-hidden">{i18n.keys().form().error_prefix().inner()}</span>
                    {message}
                </p>
            }
        })
    }
}
