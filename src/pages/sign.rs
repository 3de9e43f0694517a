//! API mode: the return page from the bank, and the signature. It asks the backend where the
//! identification stands (never the address): still at the bank (with the way back there), the
//! contract to read and sign with an SMS code (each new code replaces the previous one; a code
//! works for 10 minutes, or until the identification's own limit), Solaris finishing, or ended,
//! when the outcome page takes over.

use bankident_domain::{BankStep, BankStepKind};
use leptos::prelude::*;

use crate::api::bank_steps::{authorize_signature, bank_step, confirm_signature};
use crate::components::code_form::{CodeForm, CodeNotice, CodeState};
use crate::components::documents_list::DocumentsList;
use crate::components::error_summary::focus_field;
use crate::components::page_title::PageTitle;
use crate::components::step_lost::StepLost;
use crate::language::use_i18n;
use crate::page_alive::PageAlive;
use crate::polling::{Polled, Schedule, poll};
use crate::routing::{Page, use_router};
use crate::texts::{fill, tr, tr_signal};

/// Waits between asks while the bank or Solaris works, in milliseconds.
const WAITS: &[i32] = &[1000, 2000, 3000, 5000, 8000];
/// How often the code's remaining time is counted down, in seconds.
const TICK_SECONDS: i64 = 15;
/// Asks before the page stops asking by itself (beyond the 10-minute limit).
const MAX_ASKS: usize = 90;

/// What the page knows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Known {
    Asking,
    Lost,
    Step(BankStep),
}

/// The signature page.
#[component]
pub fn SignPage() -> impl IntoView {
    let i18n = use_i18n();
    let router = use_router();
    let known = RwSignal::new(Known::Asking);
    let code = CodeState::new();
    // Seconds the current code still works, counted down here from what the backend said.
    let seconds_left = RwSignal::new(None::<i64>);
    let countdown = set_interval_with_handle(
        move || {
            let _ = seconds_left.try_update(|left| {
                if let Some(left) = left {
                    *left = (*left - TICK_SECONDS).max(0);
                }
            });
        },
        std::time::Duration::from_secs(TICK_SECONDS.unsigned_abs()),
    );
    on_cleanup(move || {
        if let Ok(countdown) = countdown {
            countdown.clear();
        }
    });
    // Shows a step, or leaves for the page that has it.
    let show = move |step: BankStep| match step.step {
        BankStepKind::Done => router.replace(Page::Outcome.path()),
        BankStepKind::Verify => router.replace(Page::Verify.path()),
        BankStepKind::Transfer => router.replace(Page::Transfer.path()),
        _ => {
            seconds_left.set(step.code_valid_for_seconds);
            known.set(Known::Step(step));
        }
    };
    // Asks while the bank or Solaris is working; stops once the customer has to act.
    let schedule = Schedule {
        waits: WAITS,
        max_asks: MAX_ASKS,
        wait_first: false,
    };
    let page = PageAlive::new();
    poll(page, schedule, move |alive| async move {
        let asked = bank_step(alive).await;
        if !alive.is_alive() {
            return Polled::Done;
        }
        match asked {
            Ok(step) => {
                let waiting = matches!(step.step, BankStepKind::Bank | BankStepKind::Confirming);
                show(step);
                if waiting { Polled::Again } else { Polled::Done }
            }
            Err(problem) => {
                if code.show(problem).is_err() {
                    known.set(Known::Lost);
                    return Polled::Done;
                }
                Polled::Again
            }
        }
    });
    // After signing, Solaris finishes: ask until it has (its first answer is "confirming").
    let wait_for_result = move || {
        poll(
            page,
            Schedule {
                wait_first: true,
                ..schedule
            },
            move |alive| async move {
                let asked = bank_step(alive).await;
                if !alive.is_alive() {
                    return Polled::Done;
                }
                match asked {
                    Ok(step) if step.step == BankStepKind::Confirming => Polled::Again,
                    Ok(step) => {
                        show(step);
                        Polled::Done
                    }
                    Err(_) => Polled::Again,
                }
            },
        );
    };
    let send_code = Callback::new(move |()| {
        code.busy.set(true);
        let resending = matches!(
            known.get_untracked(),
            Known::Step(BankStep {
                step: BankStepKind::Code,
                ..
            })
        );
        leptos::task::spawn_local(async move {
            let result = authorize_signature(page).await;
            if !page.is_alive() {
                return;
            }
            code.busy.set(false);
            match result {
                Ok(step) => {
                    code.error.set(None);
                    code.code.set(String::new());
                    let code_asked_for = step.step == BankStepKind::Code;
                    if resending {
                        code.notice.set(Some(CodeNotice::Resent));
                    }
                    show(step);
                    if code_asked_for && !resending {
                        // The button is gone; the customer goes on at the code field.
                        request_animation_frame(|| focus_field("code"));
                    }
                }
                Err(problem) => {
                    if code.show(problem).is_err() {
                        known.set(Known::Lost);
                    }
                }
            }
        });
    });
    let submit = Callback::new(move |digits: String| {
        code.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = confirm_signature(&digits, page).await;
            if !page.is_alive() {
                return;
            }
            code.busy.set(false);
            match result {
                Ok(step) => {
                    let confirming = step.step == BankStepKind::Confirming;
                    show(step);
                    if confirming {
                        wait_for_result();
                    }
                }
                Err(problem) => {
                    if code.show(problem).is_err() {
                        known.set(Known::Lost);
                    }
                }
            }
        });
    });
    let heading = Signal::derive(move || {
        let keys = i18n.get_locale().get_keys_const();
        match known.get() {
            Known::Step(BankStep {
                step: BankStepKind::Bank,
                ..
            }) => keys.sign().bank_heading().inner(),
            Known::Step(BankStep {
                step: BankStepKind::Sign | BankStepKind::Code,
                ..
            }) => keys.sign().heading().inner(),
            Known::Step(BankStep {
                step: BankStepKind::Confirming,
                ..
            }) => keys.sign().confirming_heading().inner(),
            _ => keys.sign().checking_heading().inner(),
        }
    });
    view! {
        <PageTitle heading=heading />
        <h1 class="bk-heading-l">{move || heading.get()}</h1>
        {move || match known.get() {
            Known::Asking => view! { <p class="bk-body" role="status">{tr(|k| k.sign().checking().inner())}</p> }.into_any(),
            Known::Lost => view! { <StepLost /> }.into_any(),
            Known::Step(step) => match step.step {
                BankStepKind::Bank => view! {
                    <p class="bk-body" role="status">{tr(|k| k.sign().bank().inner())}</p>
                    {step.wizard_url.map(|url| view! { <a class="bk-button bk-button--secondary" role="button" href=url>{tr(|k| k.sign().to_bank().inner())}</a> })}
                }.into_any(),
                BankStepKind::Sign => view! {
                    <p class="bk-body">{tr(|k| k.sign().intro().inner())}</p>
                    <DocumentsList heading=|k| k.sign().documents().inner() documents=step.documents />
                    <button type="button" class="bk-button" id="send-code" aria-disabled=move || code.busy.get().then_some("true") on:click=move |_| {
                        if !code.busy.get_untracked() {
                            send_code.run(());
                        }
                    }>{tr(|k| k.sign().send_code().inner())}</button>
                }.into_any(),
                BankStepKind::Code => {
                    let reference = step.reference.clone();
                    view! {
                        <DocumentsList heading=|k| k.sign().documents().inner() documents=step.documents />
                        <p class="bk-body">{tr(|k| k.sign().code_sent().inner())}</p>
                        {reference.map(|reference| view! {
                            <p class="bk-body">{move || fill(i18n.get_locale().get_keys_const().sign().reference().inner(), &reference)}</p>
                        })}
                        <p class="bk-body" id="code-validity">{move || {
                            let keys = i18n.get_locale().get_keys_const();
                            seconds_left.get().map(|seconds| match (seconds + 59) / 60 {
                                0 => keys.sign().expired().inner().to_string(),
                                minutes => fill(keys.sign().valid_for().inner(), &minutes.to_string()),
                            })
                        }}</p>
                        <CodeForm state=code submit_label=tr_signal(|k| k.sign().submit().inner()) on_submit=submit on_resend=send_code />
                    }.into_any()
                }
                _ => view! { <p class="bk-body" role="status">{tr(|k| k.sign().confirming().inner())}</p> }.into_any(),
            },
        }}
    }
}
