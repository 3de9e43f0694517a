//! "What is your address?": street, optional second line, postcode, town, federal state (for
//! German addresses, which Solaris wants with their state), country.

use bankident_domain::Field;
use bankident_domain::address::GERMAN_STATES;
use leptos::prelude::*;

use crate::texts::tr_signal;

use crate::components::binding::Binding;
use crate::components::country_select::CountrySelect;
use crate::components::question_page::QuestionPage;
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::i18n::I18nKeys;
use crate::language::use_i18n;
use crate::routing::Page;

/// A German federal state's name, by its code.
pub fn state_name(keys: &I18nKeys, code: &str) -> &'static str {
    let s = keys.address().states();
    match code {
        "BW" => s.bw().inner(),
        "BY" => s.by().inner(),
        "BE" => s.be().inner(),
        "BB" => s.bb().inner(),
        "HB" => s.hb().inner(),
        "HH" => s.hh().inner(),
        "HE" => s.he().inner(),
        "MV" => s.mv().inner(),
        "NI" => s.ni().inner(),
        "NW" => s.nw().inner(),
        "RP" => s.rp().inner(),
        "SL" => s.sl().inner(),
        "SN" => s.sn().inner(),
        "ST" => s.st().inner(),
        "SH" => s.sh().inner(),
        "TH" => s.th().inner(),
        _ => "",
    }
}

/// The address page. The country starts as Germany, the common case.
#[component]
pub fn AddressPage() -> impl IntoView {
    let i18n = use_i18n();
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
    let state = Binding::new(
        |a| a.person.address.state.clone(),
        |a, v| a.person.address.state = v,
    );
    let country = Binding::new(
        |a| a.person.address.country.clone(),
        |a, v| a.person.address.country = v,
    );
    let german = Signal::derive(move || country.value.get() == "DE");
    let states = Signal::derive(move || {
        let keys = i18n.get_locale().get_keys_const();
        GERMAN_STATES
            .into_iter()
            .map(|code| (code, state_name(&keys, code)))
            .collect::<Vec<_>>()
    });
    view! {
        <QuestionPage heading=tr_signal(|k| k.address().heading().inner()) page=Page::Address>
            <TextField field=Field::AddressLine1 label=tr_signal(|k| k.address().line_1().inner()) binding=line_1 autocomplete="address-line1" />
            <TextField field=Field::AddressLine2 label=tr_signal(|k| k.address().line_2().inner()) binding=line_2 autocomplete="address-line2" />
            <TextField field=Field::PostalCode label=tr_signal(|k| k.address().postal_code().inner()) binding=postal_code autocomplete="postal-code" width="bk-input--width-10" no_spellcheck=true />
            <TextField field=Field::City label=tr_signal(|k| k.address().city().inner()) binding=city autocomplete="address-level2" />
            <Show when=move || german.get()>
                <SelectField field=Field::AddressState label=tr_signal(|k| k.address().state().inner()) placeholder=tr_signal(|k| k.address().state_choose().inner()) options=states binding=state autocomplete=Some("address-level1") />
            </Show>
            <CountrySelect field=Field::AddressCountry label=tr_signal(|k| k.address().country().inner()) placeholder=tr_signal(|k| k.birth().choose().inner()) binding=country autocomplete="country" />
        </QuestionPage>
    }
}
