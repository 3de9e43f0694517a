//! "What is your employment status?", with Solaris' twelve statuses.

use bankident_domain::{EmploymentStatus, Field};
use leptos::prelude::*;

use crate::texts::tr_signal;

use crate::components::binding::Binding;
use crate::components::question_page::QuestionPage;
use crate::components::radio_group::RadioGroup;
use crate::i18n::I18nKeys;
use crate::language::use_i18n;
use crate::routing::Page;

/// The catalog text of an employment status.
pub fn status_label(keys: &I18nKeys, status: EmploymentStatus) -> &'static str {
    let e = keys.employment();
    match status {
        EmploymentStatus::Employed => e.EMPLOYED().inner(),
        EmploymentStatus::Unemployed => e.UNEMPLOYED().inner(),
        EmploymentStatus::PublicSectorEmployee => e.PUBLIC_SECTOR_EMPLOYEE().inner(),
        EmploymentStatus::ProfessionalSoldier => e.PROFESSIONAL_SOLDIER().inner(),
        EmploymentStatus::Freelancer => e.FREELANCER().inner(),
        EmploymentStatus::Housework => e.HOUSEWORK().inner(),
        EmploymentStatus::Apprentice => e.APPRENTICE().inner(),
        EmploymentStatus::Management => e.MANAGEMENT().inner(),
        EmploymentStatus::Retired => e.RETIRED().inner(),
        EmploymentStatus::Student => e.STUDENT().inner(),
        EmploymentStatus::SelfEmployed => e.SELF_EMPLOYED().inner(),
        EmploymentStatus::MilitaryOrCommunityService => e.MILITARY_OR_COMMUNITY_SERVICE().inner(),
    }
}

/// The employment page.
#[component]
pub fn EmploymentPage() -> impl IntoView {
    let i18n = use_i18n();
    let status = Binding::new(
        |a| a.person.employment_status.clone(),
        |a, v| a.person.employment_status = v,
    );
    let choices = EmploymentStatus::ALL
        .into_iter()
        .map(|status| {
            (
                status.code(),
                Signal::derive(move || status_label(&i18n.get_locale().get_keys_const(), status)),
            )
        })
        .collect();
    view! {
        <QuestionPage heading=tr_signal(|k| k.employment().heading().inner()) page=Page::Employment>
            <RadioGroup field=Field::EmploymentStatus legend=tr_signal(|k| k.employment().heading().inner()) choices=choices binding=status />
        </QuestionPage>
    }
}
