//! Radios in a fieldset, bound to the answers.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::components::binding::Binding;
use crate::components::form_group::{FieldState, FormGroup, Grouping};

/// One choice of a radio group: value and label.
pub type Choice = (&'static str, Signal<&'static str>);

/// A fieldset of radios; the first radio carries the field's id (error links focus it).
#[component]
pub fn RadioGroup(
    /// The field.
    field: Field,
    /// The legend.
    #[prop(into)]
    legend: Signal<&'static str>,
    /// The choices.
    choices: Vec<Choice>,
    /// The bound value.
    binding: Binding,
    /// A hint below the legend.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
) -> impl IntoView {
    let state = FieldState::new(field, hint.is_some());
    let id = state.id;
    view! {
        <FormGroup state=state label=legend hint=hint grouping=Grouping::Fieldset>
            <div class="bk-radios">
                {choices
                    .into_iter()
                    .enumerate()
                    .map(|(index, (value, label))| {
                        let input_id = if index == 0 { id.to_string() } else { format!("{id}-{index}") };
                        view! {
                            <div class="bk-radios__item">
                                <input
                                    class="bk-radios__input"
                                    type="radio"
                                    id=input_id.clone()
                                    name=id
                                    value=value
                                    prop:checked=move || binding.value.get() == value
                                    on:change=move |_| binding.set.run(value.to_string())
                                />
                                <label class="bk-label bk-radios__label" for=input_id>{move || label.get()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </FormGroup>
    }
}
