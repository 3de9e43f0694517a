//! "When and where were you born?": date of birth, place and country of birth, nationality.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::texts::tr_signal;

use crate::components::binding::Binding;
use crate::components::country_select::CountrySelect;
use crate::components::date_field::DateField;
use crate::components::question_page::QuestionPage;
use crate::components::text_field::TextField;
use crate::routing::Page;

/// The birth page.
#[component]
pub fn BirthPage() -> impl IntoView {
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
        <QuestionPage heading=tr_signal(|k| k.birth().heading().inner()) page=Page::Birth>
            <DateField
                field=Field::BirthDate
                legend=tr_signal(|k| k.birth().date_legend().inner())
                hint=tr_signal(|k| k.birth().date_hint().inner())
                labels=[tr_signal(|k| k.birth().day().inner()), tr_signal(|k| k.birth().month().inner()), tr_signal(|k| k.birth().year().inner())]
                parts=parts
                birthday=true
            />
            <TextField field=Field::BirthCity label=tr_signal(|k| k.birth().city().inner()) binding=city no_spellcheck=true />
            <CountrySelect field=Field::BirthCountry label=tr_signal(|k| k.birth().country().inner()) placeholder=tr_signal(|k| k.birth().choose().inner()) binding=country />
            <CountrySelect field=Field::Nationality label=tr_signal(|k| k.birth().nationality().inner()) placeholder=tr_signal(|k| k.birth().choose().inner()) binding=nationality />
        </QuestionPage>
    }
}
