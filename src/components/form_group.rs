//! One form group the GOV.UK way, for every kind of field: a label (or a fieldset's legend for
//! radios and dates), an optional hint with id `{id}-hint`, the error with id `{id}-error`, and
//! the field's state ([`FieldState`]: its error and `aria-describedby`) for the controls.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::components::error_message::ErrorMessage;
use crate::components::form_errors::use_form_errors;

/// A field's id, its current error and what describes it (hint, error).
#[derive(Clone, Copy)]
pub struct FieldState {
    /// The field's id: the control's (or its first control's) id.
    pub id: &'static str,
    /// The error message while the field is wrong.
    pub error: Signal<Option<&'static str>>,
    /// `aria-describedby`: the hint's and the error's ids, when there are any.
    pub described_by: Signal<Option<String>>,
}

impl FieldState {
    /// The state of `field` on the current question page.
    pub fn new(field: Field, has_hint: bool) -> FieldState {
        FieldState::of(field.id(), use_form_errors().message(field), has_hint)
    }

    /// The state of a field outside the question pages (the SMS code, the signature terms),
    /// whose error comes from its own form.
    pub fn of(id: &'static str, error: Signal<Option<&'static str>>, has_hint: bool) -> FieldState {
        let described_by = Signal::derive(move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(format!("{id}-hint"));
            }
            if error.get().is_some() {
                ids.push(format!("{id}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        });
        FieldState {
            id,
            error,
            described_by,
        }
    }

    /// `aria-invalid` for the field's controls.
    pub fn invalid(&self) -> Signal<Option<&'static str>> {
        let error = self.error;
        Signal::derive(move || error.get().map(|_| "true"))
    }
}

/// How a group holds its controls.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// One control with a label.
    Label,
    /// Choices (radios) in a fieldset with a legend.
    Fieldset,
    /// Parts of one answer (day, month, year) in a fieldset that is a `group`.
    Parts,
}

/// A form group: label or legend, hint, error, then the controls.
#[component]
pub fn FormGroup(
    /// The field's state.
    state: FieldState,
    /// The label (or legend).
    #[prop(into)]
    label: Signal<&'static str>,
    /// An optional hint below the label.
    #[prop(optional_no_strip)]
    hint: Option<Signal<&'static str>>,
    /// How the controls are grouped; one labelled control unless given.
    #[prop(optional)]
    grouping: Option<Grouping>,
    /// The controls.
    children: Children,
) -> impl IntoView {
    let id = state.id;
    let hint = hint.map(
        |hint| view! { <div class="bk-hint" id=format!("{id}-hint")>{move || hint.get()}</div> },
    );
    let error = view! { <ErrorMessage id=id error=state.error /> };
    let inner = match grouping.unwrap_or(Grouping::Label) {
        Grouping::Label => view! {
            <label class="bk-label" for=id>{move || label.get()}</label>
            {hint}
            {error}
            {children()}
        }
        .into_any(),
        grouping => view! {
            <fieldset
                class="bk-fieldset"
                role=(grouping == Grouping::Parts).then_some("group")
                aria-describedby=move || state.described_by.get()
            >
                <legend class="bk-fieldset__legend">{move || label.get()}</legend>
                {hint}
                {error}
                {children()}
            </fieldset>
        }
        .into_any(),
    };
    view! {
        <div class="bk-form-group" class:bk-form-group--error=move || state.error.get().is_some()>
            {inner}
        </div>
    }
}
