//! A final outcome: Solaris' own words and the one next step of its category.

use bankident_domain::{ErrorCode, OutcomeCategory};
use leptos::prelude::*;

use crate::texts::tr;

use crate::components::fallback_link::FallbackLink;
use crate::components::support_contact::SupportContact;
use crate::language::language_of;
use crate::language::use_i18n;
use crate::routing::{JourneyQuery, Page};

/// A final outcome: the message and the next step of its category.
#[component]
pub fn FinalOutcome(
    /// The outcome's category.
    category: OutcomeCategory,
    /// Solaris' error code, when there is one.
    error_code: Option<ErrorCode>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = error_code.clone();
    let text = move || match &message {
        _ if category == OutcomeCategory::Success => i18n.keys().outcome().success_next().inner(),
        Some(code) => code.customer_message(language_of(i18n.get_locale())),
        None => ErrorCode::GenericError.customer_message(language_of(i18n.get_locale())),
    };
    let next_step = match category {
        OutcomeCategory::Success | OutcomeCategory::Stop => None,
        OutcomeCategory::RetryWithAnotherIban => Some(view! { <a class="bk-button" role="button" href=JourneyQuery::ANOTHER_IBAN.href(Page::Bank)>{tr(|k| k.outcome().retry_iban().inner())}</a> }.into_any()),
        OutcomeCategory::StartAgain => Some(view! { <a class="bk-button" role="button" href=Page::Opening.path()>{tr(|k| k.outcome().start_again().inner())}</a> }.into_any()),
        OutcomeCategory::MethodNotAvailable => Some(view! { <p class="bk-body">{tr(|k| k.outcome().video().inner())}</p> }.into_any()),
        OutcomeCategory::AlreadyIdentified => Some(view! { <p class="bk-body">{tr(|k| k.outcome().already().inner())}</p> }.into_any()),
        OutcomeCategory::FixDataAndRetry => Some(view! { <a class="bk-button" role="button" href=Page::Check.path()>{tr(|k| k.outcome().fix_data().inner())}</a> }.into_any()),
        OutcomeCategory::ContactSupport => Some(view! {
            <p class="bk-body">{tr(|k| k.outcome().support().inner())}</p>
            <SupportContact />
        }.into_any()),
    };
    view! {
        <p class="bk-body bk-outcome__message" data-category=format!("{category:?}")>{text}</p>
        {next_step}
        // Wherever the guide's text says to continue with video identification.
        {error_code.map(|code| view! { <FallbackLink code=code /> })}
    }
}
