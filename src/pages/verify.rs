//! API mode: the customer confirms their mobile number with the SMS code (Solaris identifies
//! only with a verified number). Wrong and expired codes say so; a new code can be asked for
//! after a short cool-down, and only the newest works.

use leptos::prelude::*;

use crate::api::bank_steps::{confirm_mobile_number, send_mobile_code};
use crate::components::code_form::{CodeForm, CodeNotice, CodeState};
use crate::components::page_title::PageTitle;
use crate::components::step_lost::StepLost;
use crate::journey::use_journey;
use crate::language::use_i18n;
use crate::page_alive::PageAlive;
use crate::routing::{JourneyQuery, Page, use_router};
use crate::texts::{fill, tr, tr_signal};

/// The mobile number's code page.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let journey = use_journey();
    let router = use_router();
    let state = CodeState::new();
    let lost = RwSignal::new(false);
    let number = move || {
        journey
            .answers
            .with(|answers| answers.person.mobile_number.clone())
    };
    let intro = move || {
        let keys = i18n.get_locale().get_keys_const();
        let number = number();
        if number.trim().is_empty() {
            keys.verify().intro_no_number().inner().to_string()
        } else {
            fill(keys.verify().intro().inner(), number.trim())
        }
    };
    let page = PageAlive::new();
    let submit = Callback::new(move |code: String| {
        state.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = confirm_mobile_number(&code, page).await;
            if !page.is_alive() {
                return;
            }
            state.busy.set(false);
            match result {
                Ok(next) => router.replace(&next),
                Err(problem) => {
                    if state.show(problem).is_err() {
                        lost.set(true);
                    }
                }
            }
        });
    });
    let resend = Callback::new(move |()| {
        state.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = send_mobile_code(page).await;
            if !page.is_alive() {
                return;
            }
            state.busy.set(false);
            match result {
                Ok(step) if step.step == bankident_domain::BankStepKind::Transfer => {
                    router.replace(Page::Transfer.path())
                }
                Ok(_) => {
                    state.error.set(None);
                    state.notice.set(Some(CodeNotice::Resent));
                }
                Err(problem) => {
                    if state.show(problem).is_err() {
                        lost.set(true);
                    }
                }
            }
        });
    });
    let heading = tr_signal(|k| k.verify().heading().inner());
    view! {
        <PageTitle heading=heading />
        <h1 class="bk-heading-l">{move || heading.get()}</h1>
        <Show when=move || !lost.get() fallback=|| view! { <StepLost /> }>
            <p class="bk-body">{intro}</p>
            <CodeForm state=state submit_label=tr_signal(|k| k.verify().submit().inner()) on_submit=submit on_resend=resend />
            <p class="bk-body">
                <a class="bk-link" href=JourneyQuery::CHANGE.href(Page::Contact)>{tr(|k| k.verify().wrong_number().inner())}</a>
            </p>
        </Show>
    }
}
