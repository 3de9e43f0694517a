//! "What is your name?": salutation, first names (all of them) and last name, as on the ID.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::texts::tr_signal;

use crate::components::binding::Binding;
use crate::components::question_page::QuestionPage;
use crate::components::radio_group::RadioGroup;
use crate::components::text_field::TextField;
use crate::language::use_i18n;
use crate::routing::Page;

/// The name page.
#[component]
pub fn NamePage() -> impl IntoView {
    let i18n = use_i18n();
    let salutation = Binding::new(
        |a| a.person.salutation.clone(),
        |a, v| a.person.salutation = v,
    );
    let first_name = Binding::new(
        |a| a.person.first_name.clone(),
        |a, v| a.person.first_name = v,
    );
    let last_name = Binding::new(
        |a| a.person.last_name.clone(),
        |a, v| a.person.last_name = v,
    );
    view! {
        <QuestionPage heading=tr_signal(|k| k.name().heading().inner()) page=Page::Name>
            <p class="bk-body">{move || i18n.keys().name().hint().inner()}</p>
            <RadioGroup
                field=Field::Salutation
                legend=tr_signal(|k| k.name().salutation_legend().inner())
                choices=vec![
                    ("MR", tr_signal(|k| k.name().salutation_mr().inner())),
                    ("MS", tr_signal(|k| k.name().salutation_ms().inner())),
                    ("NONE", tr_signal(|k| k.name().salutation_none().inner())),
                ]
                binding=salutation
            />
            <TextField
                field=Field::FirstName
                label=tr_signal(|k| k.name().first_name().inner())
                hint=tr_signal(|k| k.name().first_name_hint().inner())
                binding=first_name
                autocomplete="given-name"
                no_spellcheck=true
            />
            <TextField field=Field::LastName label=tr_signal(|k| k.name().last_name().inner()) binding=last_name autocomplete="family-name" no_spellcheck=true />
        </QuestionPage>
    }
}
