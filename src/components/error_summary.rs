//! "There is a problem": the GOV.UK error summary above a question page's heading. It takes
//! focus when errors appear and links to each wrong field.

use leptos::html::Div;
use leptos::prelude::*;

use crate::texts::tr;
use wasm_bindgen::JsCast;

use crate::components::form_errors::use_form_errors;
use crate::field_messages::field_error_message;
use crate::language::use_i18n;

/// Moves focus to a field (error summary links do this, as GOV.UK's do).
pub fn focus_field(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
        element.scroll_into_view();
    }
}

/// "There is a problem" with a link to each wrong field of a question page; takes focus when
/// errors appear.
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let i18n = use_i18n();
    let errors = use_form_errors().0;
    let problems = Signal::derive(move || {
        let locale = i18n.get_locale();
        errors
            .get()
            .into_iter()
            .filter_map(|error| {
                field_error_message(locale, error).map(|message| (error.field.id(), message))
            })
            .collect()
    });
    view! { <ProblemSummary shown=Signal::derive(move || !errors.with(Vec::is_empty)) problems=problems /> }
}

/// The error summary's box: "There is a problem" and a link to each problem's field. It takes
/// focus whenever `shown` is set again while true (each refused submit).
#[component]
pub fn ProblemSummary(
    /// Whether there are problems; follows the page's error state.
    shown: Signal<bool>,
    /// Each problem's field id and message, in the current language.
    problems: Signal<Vec<(&'static str, &'static str)>>,
) -> impl IntoView {
    let summary = NodeRef::<Div>::new();
    Effect::new(move || {
        if shown.get()
            && let Some(summary) = summary.get()
        {
            let _ = summary.focus();
        }
    });
    view! {
        <Show when=move || shown.get()>
            <div class="bk-error-summary" node_ref=summary tabindex="-1" role="alert" aria-labelledby="error-summary-title">
                <h2 class="bk-error-summary__title" id="error-summary-title">{tr(|k| k.form().error_summary_title().inner())}</h2>
                <ul class="bk-error-summary__list">
                    {move || {
                        problems
                            .get()
                            .into_iter()
                            .map(|(id, message)| {
                                view! {
                                    <li>
                                        <a href=format!("#{id}") on:click=move |event| {
                                            event.prevent_default();
                                            focus_field(id);
                                        }>{message}</a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}
