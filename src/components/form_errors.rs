//! The errors of the form on screen, shared through context by the question page with its
//! fields and its error summary.

use bankident_domain::{Field, FieldError};
use leptos::prelude::*;

use crate::field_messages::field_error_message;
use crate::language::use_i18n;

/// The errors of the form on screen.
#[derive(Clone, Copy)]
pub struct FormErrors(pub RwSignal<Vec<FieldError>>);

impl FormErrors {
    /// The message of `field`'s first error in the current language.
    pub fn message(&self, field: Field) -> Signal<Option<&'static str>> {
        let errors = self.0;
        let i18n = use_i18n();
        Signal::derive(move || {
            let locale = i18n.get_locale();
            errors.with(|errors| {
                errors
                    .iter()
                    .find(|error| error.field == field)
                    .and_then(|error| field_error_message(locale, *error))
            })
        })
    }
}

/// The errors of the nearest question page.
pub fn use_form_errors() -> FormErrors {
    expect_context::<FormErrors>()
}
