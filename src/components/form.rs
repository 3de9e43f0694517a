//! The GOV.UK question-page pattern: validation on submit with the domain's rules, an error
//! summary above the heading that takes focus and links to the fields, and each field's error
//! next to it. The errors of the current form live in a [`FormErrors`] context.

use bankident_domain::{Field, FieldError};
use leptos::ev::SubmitEvent;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::page_title::PageTitle;
use crate::field_messages::field_error_message;
use crate::i18n::{t, use_i18n};
use crate::journey::use_journey;
use crate::routing::{Page, use_router};

/// The errors of the form on screen.
#[derive(Clone, Copy)]
pub struct FormErrors(pub RwSignal<Vec<FieldError>>);

impl FormErrors {
    /// The message of `field`'s first error in the current language.
    pub fn message(&self, field: Field) -> Signal<Option<&'static str>> {
        let errors = self.0;
        let i18n = use_i18n();
        Signal::derive(move || {
            let locale = i18n.get_locale();
            errors.with(|errors| {
                errors
                    .iter()
                    .find(|error| error.field == field)
                    .and_then(|error| field_error_message(locale, *error))
            })
        })
    }
}

/// The errors of the nearest question page.
pub fn use_form_errors() -> FormErrors {
    expect_context::<FormErrors>()
}

/// Moves focus to a field (error summary links do this, as GOV.UK's do).
fn focus_field(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
        element.scroll_into_view();
    }
}

/// "There is a problem" with a link to each wrong field; takes focus when errors appear.
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let i18n = use_i18n();
    let errors = use_form_errors().0;
    let summary = NodeRef::<Div>::new();
    Effect::new(move || {
        if !errors.with(Vec::is_empty)
            && let Some(summary) = summary.get()
        {
            let _ = summary.focus();
        }
    });
    view! {
        <Show when=move || !errors.with(Vec::is_empty)>
            <div class="bk-error-summary" node_ref=summary tabindex="-1" role="alert" aria-labelledby="error-summary-title">
                <h2 class="bk-error-summary__title" id="error-summary-title">{t!(i18n, form.error_summary_title)}</h2>
                <ul class="bk-error-summary__list">
                    {move || {
                        let locale = i18n.get_locale();
                        errors
                            .get()
                            .into_iter()
                            .filter_map(|error| field_error_message(locale, error).map(|message| (error.field.id(), message)))
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

/// A question page: back link, title, error summary, heading, the fields, Continue. On submit
/// it validates the page's fields; without errors it goes to the next page of the journey (or
/// back to the check page when the customer came from there to change an answer). Fields,
/// "Back" and "Continue" come from the journey's table (`routing.rs`).
#[component]
pub fn QuestionPage(
    /// The page heading in the current language.
    #[prop(into)]
    heading: Signal<&'static str>,
    /// The page of the journey this is.
    page: Page,
    /// The fields.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let journey = use_journey();
    let router = use_router();
    let errors = FormErrors(RwSignal::new(Vec::new()));
    provide_context(errors);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let found = journey.errors_for(page.fields());
        if found.is_empty() {
            errors.0.set(Vec::new());
            router.navigate(if router.is_changing() {
                Page::Check.path()
            } else {
                page.next().path()
            });
        } else {
            errors.0.set(found);
        }
    };
    view! {
        <PageTitle heading=heading has_errors=Signal::derive(move || !errors.0.with(Vec::is_empty)) />
        <a href=page.previous().path() class="bk-back-link">{t!(i18n, form.back)}</a>
        <ErrorSummary />
        <form novalidate on:submit=on_submit>
            <h1 class="bk-heading-l">{move || heading.get()}</h1>
            {children()}
            <button type="submit" class="bk-button">{t!(i18n, form.continue_button)}</button>
        </form>
    }
}
