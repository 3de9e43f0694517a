//! Form fields wired the GOV.UK way: a label (never a placeholder), an optional hint with id
//! `{id}-hint`, the error with id `{id}-error`, both referenced by `aria-describedby`, and
//! `aria-invalid` while the field is wrong. Values are bound to the journey's answers.

use bankident_domain::{Country, Field};
use leptos::prelude::*;

use crate::components::form::use_form_errors;
use crate::i18n::use_i18n;
use crate::language::language_of;

/// A value of the answers and the way to change it.
#[derive(Clone, Copy)]
pub struct Binding {
    /// The current value.
    pub value: Signal<String>,
    /// Stores a new value.
    pub set: Callback<String>,
}

impl Binding {
    /// Binds to a string inside the journey's answers.
    pub fn new(
        get: impl Fn(&crate::journey::Answers) -> String + Send + Sync + 'static,
        set: impl Fn(&mut crate::journey::Answers, String) + Send + Sync + 'static,
    ) -> Binding {
        let answers = crate::journey::use_journey().answers;
        Binding {
            value: Signal::derive(move || answers.with(&get)),
            set: Callback::new(move |value| answers.update(|answers| set(answers, value))),
        }
    }
}

/// `aria-describedby` for a field with an optional hint and an error that comes and goes.
fn described_by(
    id: &'static str,
    has_hint: bool,
    error: Signal<Option<&'static str>>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if error.get().is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    })
}

/// The error line of a field, shown while it has one.
#[component]
fn ErrorMessage(id: &'static str, error: Signal<Option<&'static str>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|message| {
            view! {
                <p class="bk-error-message" id=format!("{id}-error")>
                    <span class="bk-visually-hidden">{crate::i18n::t_string!(i18n, form.error_prefix)}</span>
                    {message}
                </p>
            }
        })
    }
}

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
    let id = field.id();
    let error = use_form_errors().message(field);
    let describe = described_by(id, false, error);
    view! {
        <div class="bk-form-group" class:bk-form-group--error=move || error.get().is_some()>
            <label class="bk-label" for=id>{move || label.get()}</label>
            <ErrorMessage id=id error=error />
            <select
                class="bk-select"
                id=id
                name=id
                autocomplete=autocomplete
                aria-describedby=move || describe.get()
                aria-invalid=move || error.get().map(|_| "true")
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
        </div>
    }
}

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
    let id = field.id();
    let error = use_form_errors().message(field);
    let describe = described_by(id, hint.is_some(), error);
    let class = move || {
        let mut class = String::from("bk-input");
        if let Some(width) = width {
            class.push(' ');
            class.push_str(width);
        }
        if error.get().is_some() {
            class.push_str(" bk-input--error");
        }
        class
    };
    view! {
        <div class="bk-form-group" class:bk-form-group--error=move || error.get().is_some()>
            <label class="bk-label" for=id>{move || label.get()}</label>
            {hint.map(|hint| view! { <div class="bk-hint" id=format!("{id}-hint")>{move || hint.get()}</div> })}
            <ErrorMessage id=id error=error />
            <input
                class=class
                id=id
                name=id
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck=if no_spellcheck { Some("false") } else { None }
                aria-describedby=move || describe.get()
                aria-invalid=move || error.get().map(|_| "true")
                prop:value=move || binding.value.get()
                on:input=move |event| binding.set.run(event_target_value(&event))
            />
        </div>
    }
}

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
    let id = field.id();
    let error = use_form_errors().message(field);
    let describe = described_by(id, hint.is_some(), error);
    view! {
        <div class="bk-form-group" class:bk-form-group--error=move || error.get().is_some()>
            <fieldset class="bk-fieldset" aria-describedby=move || describe.get()>
                <legend class="bk-fieldset__legend">{move || legend.get()}</legend>
                {hint.map(|hint| view! { <div class="bk-hint" id=format!("{id}-hint")>{move || hint.get()}</div> })}
                <ErrorMessage id=id error=error />
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
            </fieldset>
        </div>
    }
}

/// A country list in the current language, sorted by name.
#[component]
pub fn CountrySelect(
    /// The field.
    field: Field,
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The text of the empty first option.
    #[prop(into)]
    placeholder: Signal<&'static str>,
    /// The bound value (alpha-2 code).
    binding: Binding,
    /// `autocomplete` token (`country` for the address).
    #[prop(optional)]
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = Signal::derive(move || {
        let language = language_of(i18n.get_locale());
        Country::sorted_by_name(language)
            .into_iter()
            .map(|country| (country.code(), country.name(language)))
            .collect::<Vec<_>>()
    });
    view! { <SelectField field=field label=label placeholder=placeholder options=options binding=binding autocomplete=autocomplete /> }
}

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
    let id = field.id();
    let error = use_form_errors().message(field);
    let describe = described_by(id, true, error);
    let autocomplete = ["bday-day", "bday-month", "bday-year"];
    let suffixes = ["", "-month", "-year"];
    let widths = [
        "bk-input--width-2",
        "bk-input--width-2",
        "bk-input--width-4",
    ];
    view! {
        <div class="bk-form-group" class:bk-form-group--error=move || error.get().is_some()>
            <fieldset class="bk-fieldset" role="group" aria-describedby=move || describe.get()>
                <legend class="bk-fieldset__legend">{move || legend.get()}</legend>
                <div class="bk-hint" id=format!("{id}-hint")>{move || hint.get()}</div>
                <ErrorMessage id=id error=error />
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
                                        class=move || format!("bk-input {}{}", widths[index], if error.get().is_some() { " bk-input--error" } else { "" })
                                        id=input_id
                                        type="text"
                                        inputmode="numeric"
                                        autocomplete=birthday.then_some(autocomplete[index])
                                        aria-invalid=move || error.get().map(|_| "true")
                                        prop:value=move || binding.value.get()
                                        on:input=move |event| binding.set.run(event_target_value(&event))
                                    />
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}
