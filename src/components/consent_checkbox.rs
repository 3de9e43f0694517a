//! One consent checkbox: unticked at first; ticking it records the UTC moment, unticking forgets
//! it.

use bankident_domain::ConsentKind;
use leptos::prelude::*;

use crate::components::error_message::ErrorMessage;
use crate::components::form_group::FieldState;
use crate::i18n::I18nKeys;
use crate::journey::use_journey;
use crate::language::use_i18n;

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
pub fn ConsentCheckbox(
    /// Which consent.
    kind: ConsentKind,
) -> impl IntoView {
    let i18n = use_i18n();
    let answers = use_journey().answers;
    let field = FieldState::new(kind.field(), false);
    let (id, error) = (field.id, field.error);
    view! {
        <div class="bk-checkboxes__item" class:bk-form-group--error=move || error.get().is_some()>
            <input
                class="bk-checkboxes__input"
                type="checkbox"
                id=id
                name=id
                aria-describedby=move || field.described_by.get()
                aria-invalid=field.invalid()
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
