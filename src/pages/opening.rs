//! "Opening your identification": asks the backend to open it and sends the customer to the
//! Solaris webview. Failures say what happened and offer the one useful next step.

use bankident_domain::{ErrorCode, OutcomeCategory};
use leptos::prelude::*;

use crate::texts::tr;

use bankident_domain::PersonAnswers;

use crate::api::{ApiProblem, continue_identification, open_identification};
use crate::bridge::{BridgeEvent, post_event};
use crate::components::fallback_link::FallbackLink;
use crate::components::page_title::PageTitle;
use crate::journey::use_journey;
use crate::language::language_of;
use crate::language::use_i18n;
use crate::page_alive::PageAlive;
use crate::routing::{JourneyQuery, Page, use_router};

/// Where the opening stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Opening {
    Working,
    Failed(ApiProblem),
}

/// The opening page.
#[component]
pub fn OpeningPage() -> impl IntoView {
    let i18n = use_i18n();
    let journey = use_journey();
    let router = use_router();
    let state = RwSignal::new(Opening::Working);
    let page = PageAlive::new();
    let open = move || {
        state.set(Opening::Working);
        let answers = journey.answers.get_untracked().person;
        let language = language_of(i18n.get_locale_untracked());
        leptos::task::spawn_local(async move {
            // Without answers in this tab (another device, or a new tab) only an open
            // identification can go on.
            let opened = if answers == PersonAnswers::default() {
                continue_identification(language, page).await
            } else {
                open_identification(&answers, language, page).await
            };
            if !page.is_alive() {
                return;
            }
            match opened {
                // API mode: our own next page (the SMS code, the bank step, the signature).
                Ok(url) if url.starts_with('/') => router.replace(&url),
                Ok(url) => {
                    post_event(&BridgeEvent::SessionOpened);
                    // Replace this page in the history: the Back button on Solaris' screens
                    // then returns to "Check your answers", not to a page that sends the
                    // customer straight back to Solaris.
                    let _ = window().location().replace(&url);
                }
                // Nothing to continue: the journey starts from its first question.
                Err(ApiProblem::NoOpenSession) => router.navigate(Page::Start.path()),
                Err(problem) => state.set(Opening::Failed(problem)),
            }
        });
    };
    open();
    let heading = Signal::derive(move || match state.get() {
        Opening::Working => i18n.keys().opening().heading().inner(),
        Opening::Failed(_) => i18n.keys().opening().failed_heading().inner(),
    });
    view! {
        <PageTitle heading=heading />
        <h1 class="bk-heading-l">{heading}</h1>
        <div role="status" aria-live="polite">
            {move || match state.get() {
                Opening::Working => view! { <p class="bk-body">{tr(|k| k.opening().wait().inner())}</p> }.into_any(),
                Opening::Failed(ApiProblem::Unavailable) => view! {
                    <p class="bk-body">{tr(|k| k.opening().failed().inner())}</p>
                    <button type="button" class="bk-button" on:click=move |_| open()>{tr(|k| k.opening().retry().inner())}</button>
                }.into_any(),
                Opening::Failed(ApiProblem::NoOnboarding | ApiProblem::NoOpenSession) => view! {
                    <p class="bk-body">{tr(|k| k.link().missing().inner())}</p>
                }.into_any(),
                Opening::Failed(ApiProblem::Invalid(_)) => view! {
                    <p class="bk-body">{tr(|k| k.opening().invalid().inner())}</p>
                    <a class="bk-button" role="button" href=Page::Check.path()>{tr(|k| k.opening().check().inner())}</a>
                }.into_any(),
                Opening::Failed(ApiProblem::CorrectionNotPossible) => view! {
                    <p class="bk-body">{tr(|k| k.opening().correction_not_possible().inner())}</p>
                    <a class="bk-button" role="button" href=Page::Check.path()>{tr(|k| k.opening().check().inner())}</a>
                }.into_any(),
                Opening::Failed(ApiProblem::AlreadyIdentified) => {
                    let code = ErrorCode::AlreadyIdentifiedSuccessfully;
                    view! { <p class="bk-body">{move || code.customer_message(language_of(i18n.get_locale()))}</p> }.into_any()
                }
                Opening::Failed(ApiProblem::NotPossible(code)) => {
                    let code = ErrorCode::parse(&code);
                    let retry = code.category() == OutcomeCategory::RetryWithAnotherIban;
                    let message = code.clone();
                    view! {
                        <p class="bk-body">{move || message.customer_message(language_of(i18n.get_locale()))}</p>
                        {retry.then(|| view! { <a class="bk-button" role="button" href=JourneyQuery::ANOTHER_IBAN.href(Page::Bank)>{tr(|k| k.outcome().retry_iban().inner())}</a> })}
                        <FallbackLink code=code />
                    }.into_any()
                }
            }}
        </div>
    }
}
