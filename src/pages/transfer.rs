//! API mode: the bank step. The customer sees the bank account they gave us, accepts the
//! signature terms and goes to their bank (the payment wizard) to log in and confirm a 5-cent
//! transfer; the wizard sends them back to `/sign`. A refusal of the IBAN shows on the outcome
//! page with the guide's text and next step.

use bankident_domain::{BankStepKind, Iban};
use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::api::bank_steps::{CodeProblem, bank_step, open_bank_identification};
use crate::bridge::{BridgeEvent, post_event};
use crate::components::error_message::ErrorMessage;
use crate::components::error_summary::ProblemSummary;
use crate::components::form_group::FieldState;
use crate::components::page_title::PageTitle;
use crate::components::step_lost::StepLost;
use crate::journey::use_journey;
use crate::language::language_of;
use crate::language::use_i18n;
use crate::page_alive::PageAlive;
use crate::routing::{JourneyQuery, Page, use_router};
use crate::texts::{tr, tr_signal};

/// What went wrong on this page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TransferError {
    TermsMissing,
    Failed,
    Lost,
}

/// The bank step page.
#[component]
pub fn TransferPage() -> impl IntoView {
    let i18n = use_i18n();
    let journey = use_journey();
    let router = use_router();
    let accepted = RwSignal::new(false);
    let error = RwSignal::new(None::<TransferError>);
    let busy = RwSignal::new(false);
    let page = PageAlive::new();
    // Already past this step (the Back button from the bank, a reload): where it stands.
    leptos::task::spawn_local(async move {
        if let Ok(step) = bank_step(page).await
            && page.is_alive()
        {
            match step.step {
                BankStepKind::Verify => router.replace(Page::Verify.path()),
                BankStepKind::Sign | BankStepKind::Code | BankStepKind::Confirming => {
                    router.replace(Page::Sign.path())
                }
                // Not yet at the bank, still there, or a new attempt after an ended one.
                BankStepKind::Transfer | BankStepKind::Bank | BankStepKind::Done => {}
            }
        }
    });
    let iban = move || journey.answers.with(|answers| answers.iban.clone());
    let formatted = move || Iban::parse(&iban()).map_or_else(|_| iban(), |iban| iban.to_string());
    let go = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if !accepted.get_untracked() {
            error.set(Some(TransferError::TermsMissing));
            return;
        }
        error.set(None);
        busy.set(true);
        let iban = iban();
        let language = language_of(i18n.get_locale_untracked());
        leptos::task::spawn_local(async move {
            let result = open_bank_identification(&iban, language, page).await;
            if !page.is_alive() {
                return;
            }
            busy.set(false);
            match result {
                Ok(url) if url.starts_with('/') => router.replace(&url),
                Ok(url) => {
                    post_event(&BridgeEvent::SessionOpened);
                    // A history entry of its own: Back from the bank returns here.
                    let _ = window().location().assign(&url);
                }
                // Solaris refused the IBAN or the person: the outcome page has it.
                Err(CodeProblem::Other(
                    ApiProblem::NotPossible(_) | ApiProblem::AlreadyIdentified,
                )) => router.replace(Page::Outcome.path()),
                Err(CodeProblem::Other(ApiProblem::NoOpenSession | ApiProblem::NoOnboarding)) => {
                    error.set(Some(TransferError::Lost))
                }
                Err(_) => error.set(Some(TransferError::Failed)),
            }
        });
    };
    let heading = tr_signal(|k| k.transfer().heading().inner());
    let terms_error = move || error.get() == Some(TransferError::TermsMissing);
    let terms = FieldState::of(
        "signature_terms",
        Signal::derive(move || {
            terms_error().then(|| {
                i18n.get_locale()
                    .get_keys_const()
                    .transfer()
                    .terms_missing()
                    .inner()
            })
        }),
        false,
    );
    view! {
        <PageTitle heading=heading />
        <ProblemSummary
            shown=Signal::derive(terms_error)
            problems=Signal::derive(move || vec![(terms.id, i18n.get_locale().get_keys_const().transfer().terms_missing().inner())])
        />
        <h1 class="bk-heading-l">{move || heading.get()}</h1>
        <Show when=move || error.get() != Some(TransferError::Lost) fallback=|| view! { <StepLost /> }>
            <Show
                when=move || !iban().is_empty()
                fallback=|| view! {
                    <p class="bk-body">{tr(|k| k.transfer().no_iban().inner())}</p>
                    <a class="bk-button" role="button" href=JourneyQuery::CHANGE.href(Page::Bank)>{tr(|k| k.transfer().enter_iban().inner())}</a>
                }
            >
                <p class="bk-body">{tr(|k| k.transfer().intro().inner())}</p>
                <dl class="bk-summary-list">
                    <div class="bk-summary-list__row">
                        <dt class="bk-summary-list__key">{tr(|k| k.transfer().account().inner())}</dt>
                        <dd class="bk-summary-list__value bk-iban" id="transfer-iban">{formatted}</dd>
                        <dd class="bk-summary-list__actions">
                            <a class="bk-link" href=JourneyQuery::CHANGE.href(Page::Bank)>{tr(|k| k.transfer().change().inner())}</a>
                        </dd>
                    </div>
                </dl>
                <p class="bk-body">{tr(|k| k.transfer().ten_minutes().inner())}</p>
                <form novalidate on:submit=go>
                    <div class="bk-form-group" class:bk-form-group--error=terms_error>
                        <div class="bk-checkboxes__item">
                            <input
                                class="bk-checkboxes__input"
                                type="checkbox"
                                id=terms.id
                                name=terms.id
                                aria-describedby=move || terms.described_by.get()
                                aria-invalid=terms.invalid()
                                prop:checked=move || accepted.get()
                                on:change=move |event| accepted.set(event_target_checked(&event))
                            />
                            <div>
                                <label class="bk-label bk-checkboxes__label" for=terms.id>{tr(|k| k.transfer().terms().inner())}</label>
                                <ErrorMessage id=terms.id error=terms.error />
                            </div>
                        </div>
                    </div>
                    {move || (error.get() == Some(TransferError::Failed)).then(|| view! {
                        <p class="bk-body" role="status">{tr(|k| k.code().failed().inner())}</p>
                    })}
                    <button type="submit" class="bk-button" aria-disabled=move || busy.get().then_some("true")>{tr(|k| k.transfer().submit().inner())}</button>
                </form>
            </Show>
        </Show>
    }
}
