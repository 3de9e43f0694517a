//! A country list in the current language.

use bankident_domain::{Country, Field};
use leptos::prelude::*;

use crate::components::binding::Binding;
use crate::components::select_field::SelectField;
use crate::language::language_of;
use crate::language::use_i18n;

/// A country list in the current language, sorted by name.
#[component]
pub fn CountrySelect(
    /// The field.
    field: Field,
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The text of the empty first option.
    #[prop(into)]
    placeholder: Signal<&'static str>,
    /// The bound value (alpha-2 code).
    binding: Binding,
    /// `autocomplete` token (`country` for the address).
    #[prop(optional)]
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = Signal::derive(move || {
        let language = language_of(i18n.get_locale());
        Country::sorted_by_name(language)
            .into_iter()
            .map(|country| (country.code(), country.name(language)))
            .collect::<Vec<_>>()
    });
    view! { <SelectField field=field label=label placeholder=placeholder options=options binding=binding autocomplete=autocomplete /> }
}
