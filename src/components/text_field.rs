//! A labelled text input bound to the answers.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::components::binding::Binding;
use crate::components::form_group::{FieldState, FormGroup};

/// A labelled text input.
#[component]
pub fn TextField(
    /// The field; its id is the input's id.
    field: Field,
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// An optional hint below the label.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
    /// The bound value.
    binding: Binding,
    /// `autocomplete` token.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// `inputmode` (numeric keyboards where they fit).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// `type`, `text` unless given.
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// Width class modifier, e.g. `bk-input--width-10`.
    #[prop(optional)]
    width: Option<&'static str>,
    /// Spellcheck off for names, codes and addresses.
    #[prop(optional)]
    no_spellcheck: bool,
) -> impl IntoView {
    let state = FieldState::new(field, hint.is_some());
    let id = state.id;
    let class = move || {
        let mut class = String::from("bk-input");
        if let Some(width) = width {
            class.push(' ');
            class.push_str(width);
        }
        if state.error.get().is_some() {
            class.push_str(" bk-input--error");
        }
        class
    };
    view! {
        <FormGroup state=state label=label hint=hint>
            <input
                class=class
                id=id
                name=id
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck=if no_spellcheck { Some("false") } else { None }
                aria-describedby=move || state.described_by.get()
                aria-invalid=state.invalid()
                prop:value=move || binding.value.get()
                on:input=move |event| binding.set.run(event_target_value(&event))
            />
        </FormGroup>
    }
}
