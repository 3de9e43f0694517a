//! A date as three inputs (day, month, year), bound to the answers.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::components::binding::Binding;
use crate::components::form_group::{FieldState, FormGroup, Grouping};

/// A date as three inputs (day, month, year) in a fieldset; the day input carries the id.
#[component]
pub fn DateField(
    /// The field.
    field: Field,
    /// The legend.
    #[prop(into)]
    legend: Signal<&'static str>,
    /// The hint.
    #[prop(into)]
    hint: Signal<&'static str>,
    /// Labels of day, month and year.
    labels: [Signal<&'static str>; 3],
    /// Bound day, month and year.
    parts: [Binding; 3],
    /// Whether this is the date of birth (autocomplete bday-*).
    #[prop(optional)]
    birthday: bool,
) -> impl IntoView {
    let state = FieldState::new(field, true);
    let id = state.id;
    let autocomplete = ["bday-day", "bday-month", "bday-year"];
    let suffixes = ["", "-month", "-year"];
    let widths = [
        "bk-input--width-2",
        "bk-input--width-2",
        "bk-input--width-4",
    ];
    view! {
        <FormGroup state=state label=legend hint=Some(hint) grouping=Grouping::Parts>
            <div class="bk-date-input">
                {(0..3)
                    .map(|index| {
                        let input_id = format!("{id}{}", suffixes[index]);
                        let binding = parts[index];
                        let label = labels[index];
                        view! {
                            <div class="bk-date-input__item">
                                <label class="bk-label bk-date-input__label" for=input_id.clone()>{move || label.get()}</label>
                                <input
                                    class=move || format!("bk-input {}{}", widths[index], if state.error.get().is_some() { " bk-input--error" } else { "" })
                                    id=input_id
                                    type="text"
                                    inputmode="numeric"
                                    autocomplete=birthday.then_some(autocomplete[index])
                                    aria-invalid=state.invalid()
                                    prop:value=move || binding.value.get()
                                    on:input=move |event| binding.set.run(event_target_value(&event))
                                />
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </FormGroup>
    }
}
