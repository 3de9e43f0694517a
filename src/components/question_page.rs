//! The GOV.UK question-page pattern: validation on submit with the domain's rules, the error
//! summary above the heading, each field's error next to it, and "Back" and "Continue" from the
//! journey's table.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::texts::tr;

use crate::components::error_summary::ErrorSummary;
use crate::components::form_errors::FormErrors;
use crate::components::page_title::PageTitle;
use crate::journey::use_journey;
use crate::routing::{Page, use_router};

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
    let journey = use_journey();
    let router = use_router();
    let errors = FormErrors(RwSignal::new(Vec::new()));
    provide_context(errors);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let found = journey.errors_for(page.fields());
        if found.is_empty() {
            errors.0.set(Vec::new());
            router.navigate(if router.journey_query().change {
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
        <a href=page.previous().path() class="bk-back-link">{tr(|k| k.form().back().inner())}</a>
        <ErrorSummary />
        <form novalidate on:submit=on_submit>
            <h1 class="bk-heading-l">{move || heading.get()}</h1>
            {children()}
            <button type="submit" class="bk-button">{tr(|k| k.form().continue_button().inner())}</button>
        </form>
    }
}
