//! "When and where were you born?": date of birth, place and country of birth, nationality.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::components::binding::Binding;
use crate::components::country_select::CountrySelect;
use crate::components::date_field::DateField;
use crate::components::question_page::QuestionPage;
use crate::components::text_field::TextField;
use crate::i18n::{t_string, use_i18n};
use crate::routing::Page;

/// The birth page.
#[component]
pub fn BirthPage() -> impl IntoView {
    let i18n = use_i18n();
    let text = move |get: fn(&crate::i18n::I18nKeys) -> &'static str| {
        Signal::derive(move || get(&i18n.get_locale().get_keys_const()))
    };
    let parts = [
        Binding::new(
            |a| a.person.birth_day.clone(),
            |a, v| a.person.birth_day = v,
        ),
        Binding::new(
            |a| a.person.birth_month.clone(),
            |a, v| a.person.birth_month = v,
        ),
        Binding::new(
            |a| a.person.birth_year.clone(),
            |a, v| a.person.birth_year = v,
        ),
    ];
    let city = Binding::new(
        |a| a.person.birth_city.clone(),
        |a, v| a.person.birth_city = v,
    );
    let country = Binding::new(
        |a| a.person.birth_country.clone(),
        |a, v| a.person.birth_country = v,
    );
    let nationality = Binding::new(
        |a| a.person.nationality.clone(),
        |a, v| a.person.nationality = v,
    );
    view! {
        <QuestionPage heading=Signal::derive(move || t_string!(i18n, birth.heading)) page=Page::Birth>
            <DateField
                field=Field::BirthDate
                legend=text(|k| k.birth().date_legend().inner())
                hint=text(|k| k.birth().date_hint().inner())
                labels=[text(|k| k.birth().day().inner()), text(|k| k.birth().month().inner()), text(|k| k.birth().year().inner())]
                parts=parts
                birthday=true
            />
            <TextField field=Field::BirthCity label=text(|k| k.birth().city().inner()) binding=city no_spellcheck=true />
            <CountrySelect field=Field::BirthCountry label=text(|k| k.birth().country().inner()) placeholder=text(|k| k.birth().choose().inner()) binding=country />
            <CountrySelect field=Field::Nationality label=text(|k| k.birth().nationality().inner()) placeholder=text(|k| k.birth().choose().inner()) binding=nationality />
        </QuestionPage>
    }
}
