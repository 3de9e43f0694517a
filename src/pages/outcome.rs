//! The callback page Solaris sends the customer back to. It never trusts the address: it asks
//! the backend, polls politely while the result is not final (saying so in a live region), and
//! then shows Solaris' own words for the outcome with one clear next step.

use bankident_domain::{DocumentView, IdentificationMode, Outcome, OutcomeCategory, OutcomeState};
use leptos::prelude::*;

use crate::texts::tr;

use crate::api::bank_steps::bank_step;
use crate::api::outcome;
use crate::bridge::{BridgeEvent, post_event};
use crate::components::documents_list::DocumentsList;
use crate::components::final_outcome::FinalOutcome;
use crate::components::page_title::PageTitle;
use crate::journey::use_journey;
use crate::language::use_i18n;
use crate::page_alive::PageAlive;
use crate::polling::{Polled, Schedule, poll};
use crate::routing::Page;

/// Quick at first, then every 10 seconds; about 10 minutes (the bank connection's limit) of
/// asks before the page stops asking by itself.
const POLLING: Schedule = Schedule {
    waits: &[1000, 2000, 3000, 5000, 8000, 10000],
    max_asks: 70,
    wait_first: false,
};

/// What the page knows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Known {
    Asking,
    Unavailable,
    Result(Outcome),
}

/// The outcome page.
#[component]
pub fn OutcomePage() -> impl IntoView {
    let i18n = use_i18n();
    let journey = use_journey();
    let known = RwSignal::new(Known::Asking);
    let signed = RwSignal::new(Vec::<DocumentView>::new());
    poll(PageAlive::new(), POLLING, move |alive| async move {
        let asked = outcome(alive).await;
        if !alive.is_alive() {
            return Polled::Done;
        }
        match asked {
            Ok(result) if result.state == OutcomeState::Pending => {
                known.set(Known::Result(result));
                Polled::Again
            }
            // Nothing is under way at Solaris: only the customer can go on.
            Ok(result) if result.state == OutcomeState::Unfinished => {
                known.set(Known::Result(result));
                Polled::Done
            }
            Ok(result) => {
                if result.category == Some(OutcomeCategory::Success) {
                    // API mode: the signed contract, for the customer to keep.
                    let api_mode = journey.answers.with_untracked(|answers| answers.mode)
                        == IdentificationMode::Api;
                    if api_mode && let Ok(step) = bank_step(alive).await {
                        signed.set(
                            step.documents
                                .into_iter()
                                .filter(DocumentView::is_signed)
                                .collect(),
                        );
                    }
                    journey.clear();
                }
                post_event(&BridgeEvent::Completed {
                    category: result.category,
                    error_code: result.error_code.clone(),
                });
                known.set(Known::Result(result));
                Polled::Done
            }
            Err(_) => {
                known.set(Known::Unavailable);
                Polled::Again
            }
        }
    });
    let heading = Signal::derive(move || match known.get() {
        Known::Result(Outcome {
            state: OutcomeState::Final,
            category: Some(OutcomeCategory::Success),
            ..
        }) => i18n.keys().outcome().success_heading().inner(),
        Known::Result(Outcome {
            state: OutcomeState::Final,
            ..
        }) => i18n.keys().outcome().failed_heading().inner(),
        Known::Result(Outcome {
            state: OutcomeState::NotStarted,
            ..
        }) => i18n.keys().outcome().not_started_heading().inner(),
        Known::Result(Outcome {
            state: OutcomeState::Unfinished,
            ..
        }) => i18n.keys().outcome().unfinished_heading().inner(),
        _ => i18n.keys().outcome().pending_heading().inner(),
    });
    view! {
        <PageTitle heading=heading />
        <h1 class="bk-heading-l">{move || heading.get()}</h1>
        <div role="status" aria-live="polite">
            {move || match known.get() {
                Known::Asking => view! { <p class="bk-body">{tr(|k| k.outcome().pending().inner())}</p> }.into_any(),
                Known::Result(Outcome { state: OutcomeState::Pending, .. }) => view! {
                    <p class="bk-body">{tr(|k| k.outcome().pending().inner())}</p>
                    <a class="bk-button bk-button--secondary" role="button" href=Page::Opening.path()>{tr(|k| k.outcome().continue_identification().inner())}</a>
                }.into_any(),
                Known::Result(Outcome { state: OutcomeState::Unfinished, .. }) => view! {
                    <p class="bk-body">{move || {
                        let keys = i18n.get_locale().get_keys_const();
                        // Only the webview mode leaves for Solaris' screens.
                        if journey.answers.with(|answers| answers.mode) == IdentificationMode::Api {
                            keys.outcome().unfinished_api().inner()
                        } else {
                            keys.outcome().unfinished().inner()
                        }
                    }}</p>
                    <a class="bk-button" role="button" href=Page::Opening.path()>{tr(|k| k.outcome().continue_identification().inner())}</a>
                }.into_any(),
                Known::Unavailable => view! { <p class="bk-body">{tr(|k| k.outcome().unavailable().inner())}</p> }.into_any(),
                Known::Result(Outcome { state: OutcomeState::NotStarted, .. }) => view! {
                    <p class="bk-body">{tr(|k| k.outcome().not_started().inner())}</p>
                    <a class="bk-button" role="button" href=Page::Start.path()>{tr(|k| k.outcome().home().inner())}</a>
                }.into_any(),
                Known::Result(Outcome { category, error_code, .. }) => view! {
                    <FinalOutcome category=category.unwrap_or(OutcomeCategory::ContactSupport) error_code=error_code />
                    {move || (!signed.with(Vec::is_empty)).then(|| view! { <DocumentsList heading=|k| k.sign().signed_documents().inner() documents=signed.get() /> })}
                }.into_any(),
            }}
        </div>
    }
}
