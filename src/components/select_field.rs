//! A labelled select with a fixed list of options, bound to the answers.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::components::binding::Binding;
use crate::components::form_group::{FieldState, FormGroup};

/// A labelled select with a fixed list of options (value, label), the first one empty.
#[component]
pub fn SelectField(
    /// The field.
    field: Field,
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The text of the empty first option.
    #[prop(into)]
    placeholder: Signal<&'static str>,
    /// The options: value and label.
    #[prop(into)]
    options: Signal<Vec<(&'static str, &'static str)>>,
    /// The bound value.
    binding: Binding,
    /// `autocomplete` token.
    #[prop(optional_no_strip)]
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let state = FieldState::new(field, false);
    let id = state.id;
    view! {
        <FormGroup state=state label=label>
            <select
                class="bk-select"
                class:bk-select--error=move || state.error.get().is_some()
                id=id
                name=id
                autocomplete=autocomplete
                aria-describedby=move || state.described_by.get()
                aria-invalid=state.invalid()
                on:change=move |event| binding.set.run(event_target_value(&event))
            >
                <option value="" selected=move || binding.value.get().is_empty()>{move || placeholder.get()}</option>
                {move || {
                    let selected = binding.value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| view! { <option value=value selected=selected == value>{text}</option> })
                        .collect_view()
                }}
            </select>
        </FormGroup>
    }
}
