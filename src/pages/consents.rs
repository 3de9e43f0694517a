//! The consents: whether the customer is liable to pay tax in the USA (Solaris'
//! `fatca_relevant`; a yes does not shut anyone out), then four unticked checkboxes; ticking one
//! records the UTC moment, unticking forgets it. Solaris receives these timestamps.

use bankident_domain::{ConsentKind, Field};
use leptos::prelude::*;

use crate::brand::brand_text;
use crate::components::binding::Binding;
use crate::components::error_message::ErrorMessage;
use crate::components::form_errors::use_form_errors;
use crate::components::question_page::QuestionPage;
use crate::components::radio_group::RadioGroup;
use crate::i18n::{I18nKeys, t_string, use_i18n};
use crate::journey::use_journey;
use crate::routing::Page;

/// Links to the documents the consents refer to, as the partner configured them (nothing when
/// none are configured).
#[component]
fn ConsentDocuments() -> impl IntoView {
    let i18n = use_i18n();
    let links: Vec<(&'static str, String)> = ["data_terms_url", "terms_url", "privacy_url"]
        .into_iter()
        .filter_map(|key| brand_text(key).map(|url| (key, url)))
        .collect();
    (!links.is_empty()).then(|| {
        view! {
            <h2 class="bk-heading-m">{move || t_string!(i18n, consents.documents)}</h2>
            <ul class="bk-list">
                {links
                    .into_iter()
                    .map(|(key, url)| {
                        let label = move || match key {
                            "data_terms_url" => t_string!(i18n, consents.data_terms_link),
                            "terms_url" => t_string!(i18n, consents.terms_link),
                            _ => t_string!(i18n, consents.privacy_link),
                        };
                        view! { <li><a class="bk-link" href=url>{label}</a></li> }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

fn consent_text(keys: &I18nKeys, kind: ConsentKind) -> &'static str {
    let c = keys.consents();
    match kind {
        ConsentKind::DataTerms => c.data_terms().inner(),
        ConsentKind::TermsConditions => c.terms_conditions().inner(),
        ConsentKind::OwnEconomicInterest => c.own_economic_interest().inner(),
        ConsentKind::FatcaCrs => c.fatca_crs().inner(),
    }
}

/// One consent checkbox with its error.
#[component]
fn ConsentCheckbox(kind: ConsentKind) -> impl IntoView {
    let i18n = use_i18n();
    let answers = use_journey().answers;
    let id = kind.field().id();
    let error = use_form_errors().message(kind.field());
    view! {
        <div class="bk-checkboxes__item" class:bk-form-group--error=move || error.get().is_some()>
            <input
                class="bk-checkboxes__input"
                type="checkbox"
                id=id
                name=id
                aria-describedby=move || error.get().map(|_| format!("{id}-error"))
                aria-invalid=move || error.get().map(|_| "true")
                prop:checked=move || answers.with(|a| a.person.consents.signed_at(kind).is_some())
                on:change=move |event| {
                    let ticked = event_target_checked(&event);
                    answers.update(|a| {
                        if ticked {
                            a.person.consents.tick(kind, time::OffsetDateTime::now_utc());
                        } else {
                            a.person.consents.untick(kind);
                        }
                    });
                }
            />
            <div>
                <label class="bk-label bk-checkboxes__label" for=id>{move || consent_text(&i18n.get_locale().get_keys_const(), kind)}</label>
                <ErrorMessage id=id error=error />
            </div>
        </div>
    }
}

/// The consents page.
#[component]
pub fn ConsentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let text = move |get: fn(&I18nKeys) -> &'static str| {
        Signal::derive(move || get(&i18n.get_locale().get_keys_const()))
    };
    let fatca_relevant = Binding::new(
        |a| a.person.fatca_relevant.clone(),
        |a, v| a.person.fatca_relevant = v,
    );
    view! {
        <QuestionPage heading=Signal::derive(move || t_string!(i18n, consents.heading)) page=Page::Consents>
            <RadioGroup
                field=Field::FatcaRelevant
                legend=text(|k| k.consents().fatca_legend().inner())
                hint=text(|k| k.consents().fatca_hint().inner())
                choices=vec![
                    ("yes", text(|k| k.consents().fatca_yes().inner())),
                    ("no", text(|k| k.consents().fatca_no().inner())),
                ]
                binding=fatca_relevant
            />
            <ConsentDocuments />
            <fieldset class="bk-fieldset" aria-describedby="consents-hint">
                <legend class="bk-fieldset__legend">{move || t_string!(i18n, consents.legend)}</legend>
                <div class="bk-hint" id="consents-hint">{move || t_string!(i18n, consents.hint)}</div>
                <div class="bk-checkboxes">
                    {ConsentKind::ALL.into_iter().map(|kind| view! { <ConsentCheckbox kind=kind /> }).collect_view()}
                </div>
            </fieldset>
        </QuestionPage>
    }
}
