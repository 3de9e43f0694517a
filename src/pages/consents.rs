//! The consents: whether the customer is liable to pay tax in the USA (Solaris'
//! `fatca_relevant`; a yes does not shut anyone out), then four unticked checkboxes; ticking one
//! records the UTC moment, unticking forgets it. Solaris receives these timestamps.

use bankident_domain::{ConsentKind, Field};
use leptos::prelude::*;

use crate::texts::tr_signal;

use crate::components::binding::Binding;
use crate::components::consent_checkbox::ConsentCheckbox;
use crate::components::consent_documents::ConsentDocuments;
use crate::components::question_page::QuestionPage;
use crate::components::radio_group::RadioGroup;
use crate::language::use_i18n;
use crate::routing::Page;

/// The consents page.
#[component]
pub fn ConsentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let fatca_relevant = Binding::new(
        |a| a.person.fatca_relevant.clone(),
        |a, v| a.person.fatca_relevant = v,
    );
    view! {
        <QuestionPage heading=tr_signal(|k| k.consents().heading().inner()) page=Page::Consents>
            <RadioGroup
                field=Field::FatcaRelevant
                legend=tr_signal(|k| k.consents().fatca_legend().inner())
                hint=tr_signal(|k| k.consents().fatca_hint().inner())
                choices=vec![
                    ("yes", tr_signal(|k| k.consents().fatca_yes().inner())),
                    ("no", tr_signal(|k| k.consents().fatca_no().inner())),
                ]
                binding=fatca_relevant
            />
            <ConsentDocuments />
            <fieldset class="bk-fieldset" aria-describedby="consents-hint">
                <legend class="bk-fieldset__legend">{move || i18n.keys().consents().legend().inner()}</legend>
                <div class="bk-hint" id="consents-hint">{move || i18n.keys().consents().hint().inner()}</div>
                <div class="bk-checkboxes">
                    {ConsentKind::ALL.into_iter().map(|kind| view! { <ConsentCheckbox kind=kind /> }).collect_view()}
                </div>
            </fieldset>
        </QuestionPage>
    }
}
