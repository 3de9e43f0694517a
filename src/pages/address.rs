//! "What is your address?": street, optional second line, postcode, town, country.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::components::fields::{Binding, CountrySelect, TextField};
use crate::components::form::QuestionPage;
use crate::i18n::{I18nKeys, t_string, use_i18n};

/// The fields of this page.
pub const FIELDS: &[Field] = &[
    Field::AddressLine1,
    Field::AddressLine2,
    Field::PostalCode,
    Field::City,
    Field::AddressCountry,
];

/// The address page. The country starts as Germany, the common case.
#[component]
pub fn AddressPage() -> impl IntoView {
    let i18n = use_i18n();
    let text = move |get: fn(&I18nKeys) -> &'static str| {
        Signal::derive(move || get(&i18n.get_locale().get_keys_const()))
    };
    let answers = crate::journey::use_journey().answers;
    if answers.with_untracked(|a| a.person.address.country.is_empty()) {
        answers.update(|a| a.person.address.country = "DE".into());
    }
    let line_1 = Binding::new(
        |a| a.person.address.line_1.clone(),
        |a, v| a.person.address.line_1 = v,
    );
    let line_2 = Binding::new(
        |a| a.person.address.line_2.clone(),
        |a, v| a.person.address.line_2 = v,
    );
    let postal_code = Binding::new(
        |a| a.person.address.postal_code.clone(),
        |a, v| a.person.address.postal_code = v,
    );
    let city = Binding::new(
        |a| a.person.address.city.clone(),
        |a, v| a.person.address.city = v,
    );
    let country = Binding::new(
        |a| a.person.address.country.clone(),
        |a, v| a.person.address.country = v,
    );
    view! {
        <QuestionPage heading=Signal::derive(move || t_string!(i18n, address.heading)) fields=FIELDS back="/birth" next="/contact">
            <TextField field=Field::AddressLine1 label=text(|k| k.address().line_1().inner()) binding=line_1 autocomplete="address-line1" />
            <TextField field=Field::AddressLine2 label=text(|k| k.address().line_2().inner()) binding=line_2 autocomplete="address-line2" />
            <TextField field=Field::PostalCode label=text(|k| k.address().postal_code().inner()) binding=postal_code autocomplete="postal-code" width="bk-input--width-10" no_spellcheck=true />
            <TextField field=Field::City label=text(|k| k.address().city().inner()) binding=city autocomplete="address-level2" />
            <CountrySelect field=Field::AddressCountry label=text(|k| k.address().country().inner()) placeholder=text(|k| k.birth().choose().inner()) binding=country autocomplete="country" />
        </QuestionPage>
    }
}
