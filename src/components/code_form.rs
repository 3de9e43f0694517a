//! The form for a 6-digit SMS code (the mobile number's, the signature's): the field with its
//! error, an error summary that takes focus, the submit button and "Send a new code" with the
//! resend notice. The page decides what submitting and resending do.

use leptos::prelude::*;

use crate::api::bank_steps::CodeProblem;
use crate::components::error_message::ErrorMessage;
use crate::components::error_summary::ProblemSummary;
use crate::components::form_group::FieldState;
use crate::i18n::I18nKeys;
use crate::language::use_i18n;
use crate::texts::{fill, tr};

/// The field's id.
const CODE_ID: &str = "code";

/// What went wrong with a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// Nothing, or not six digits, was entered.
    Missing,
    /// Solaris refused it (wrong, expired, replaced by a newer code).
    Invalid,
    /// The service failed: try again.
    Failed,
}

impl CodeError {
    fn text(self, keys: &I18nKeys) -> &'static str {
        match self {
            CodeError::Missing => keys.code().missing().inner(),
            CodeError::Invalid => keys.code().invalid().inner(),
            CodeError::Failed => keys.code().failed().inner(),
        }
    }
}

/// What the customer is told about new codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeNotice {
    /// A new code was sent.
    Resent,
    /// Too soon: a new code can be asked for in this many seconds.
    Cooldown(u64),
}

/// The state a page shares with its code form.
#[derive(Clone, Copy)]
pub struct CodeState {
    /// The code as typed.
    pub code: RwSignal<String>,
    /// The current error.
    pub error: RwSignal<Option<CodeError>>,
    /// The latest notice about new codes.
    pub notice: RwSignal<Option<CodeNotice>>,
    /// A request is under way (buttons do nothing meanwhile).
    pub busy: RwSignal<bool>,
}

impl CodeState {
    /// An empty form.
    pub fn new() -> CodeState {
        CodeState {
            code: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The six digits typed (spaces aside), or the "missing" error.
    pub fn digits(&self) -> Option<String> {
        let digits: String = self
            .code
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let valid = digits.len() == 6 && digits.bytes().all(|byte| byte.is_ascii_digit());
        if !valid {
            self.error.set(Some(CodeError::Missing));
        }
        valid.then_some(digits)
    }

    /// Shows what a refused code or resend means; `Err` with the problem for the page when it
    /// is about the step itself.
    pub fn show(&self, problem: CodeProblem) -> Result<(), CodeProblem> {
        match problem {
            CodeProblem::Format => self.error.set(Some(CodeError::Missing)),
            CodeProblem::Invalid => {
                self.code.set(String::new());
                self.error.set(Some(CodeError::Invalid));
            }
            CodeProblem::Cooldown(seconds) => self.notice.set(Some(CodeNotice::Cooldown(seconds))),
            CodeProblem::Other(crate::api::ApiProblem::Unavailable) => {
                self.error.set(Some(CodeError::Failed))
            }
            other => return Err(other),
        }
        Ok(())
    }
}

impl Default for CodeState {
    fn default() -> Self {
        CodeState::new()
    }
}

/// The code form.
#[component]
pub fn CodeForm(
    /// Shared with the page.
    state: CodeState,
    /// The submit button's text.
    #[prop(into)]
    submit_label: Signal<&'static str>,
    /// Runs with the six digits.
    on_submit: Callback<String>,
    /// Asks for a new code.
    on_resend: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        state
            .error
            .get()
            .map(|error| error.text(&i18n.get_locale().get_keys_const()))
    };
    let field = FieldState::of(CODE_ID, Signal::derive(message), true);
    let notice = move || {
        let keys = i18n.get_locale().get_keys_const();
        state.notice.get().map(|notice| match notice {
            CodeNotice::Resent => keys.code().resent().inner().to_string(),
            CodeNotice::Cooldown(seconds) => {
                fill(keys.code().cooldown().inner(), &seconds.to_string())
            }
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if state.busy.get_untracked() {
            return;
        }
        state.notice.set(None);
        if let Some(digits) = state.digits() {
            state.error.set(None);
            on_submit.run(digits);
        }
    };
    view! {
        <ProblemSummary
            shown=Signal::derive(move || state.error.get().is_some())
            problems=Signal::derive(move || message().map(|message| vec![(CODE_ID, message)]).unwrap_or_default())
        />
        <form novalidate on:submit=submit>
            <div class="bk-form-group" class:bk-form-group--error=move || state.error.get().is_some()>
                <label class="bk-label" for=CODE_ID>{tr(|k| k.code().label().inner())}</label>
                <div class="bk-hint" id="code-hint">{tr(|k| k.code().hint().inner())}</div>
                <ErrorMessage id=CODE_ID error=field.error />
                <input
                    class="bk-input bk-input--width-10"
                    class:bk-input--error=move || state.error.get().is_some()
                    id=CODE_ID
                    name=CODE_ID
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    spellcheck="false"
                    aria-describedby=move || field.described_by.get()
                    aria-invalid=field.invalid()
                    prop:value=move || state.code.get()
                    on:input=move |event| state.code.set(event_target_value(&event))
                />
            </div>
            <button type="submit" class="bk-button" aria-disabled=move || state.busy.get().then_some("true")>{move || submit_label.get()}</button>
        </form>
        <div role="status" aria-live="polite">
            {move || notice().map(|notice| view! { <p class="bk-body bk-notice">{notice}</p> })}
        </div>
        <p class="bk-body bk-resend">
            <button
                type="button"
                class="bk-button bk-button--secondary"
                id="resend"
                on:click=move |_| {
                    if !state.busy.get_untracked() {
                        on_resend.run(());
                    }
                }
            >{tr(|k| k.code().resend().inner())}</button>
        </p>
    }
}
