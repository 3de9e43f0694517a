//! Why a start link did not open the identification (expired, used in another browser,
//! unknown, none opened, not checkable just now, or the identification was erased at the
//! provider's request), and what to do: ask the provider for a new link, with the partner's
//! support contact when configured.

use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::components::support_contact::SupportContact;
use crate::language::use_i18n;

/// The problems the backend names in `?problem=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkProblem {
    Expired,
    Used,
    Unknown,
    Missing,
    Unavailable,
    Erased,
}

fn problem_from_url() -> LinkProblem {
    let search = window().location().search().unwrap_or_default();
    let problem = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|params| params.get("problem"));
    match problem.as_deref() {
        Some("expired") => LinkProblem::Expired,
        Some("used") => LinkProblem::Used,
        Some("missing") => LinkProblem::Missing,
        Some("unavailable") => LinkProblem::Unavailable,
        Some("erased") => LinkProblem::Erased,
        _ => LinkProblem::Unknown,
    }
}

/// The link page.
#[component]
pub fn LinkPage() -> impl IntoView {
    let i18n = use_i18n();
    let problem = problem_from_url();
    let heading = Signal::derive(move || match problem {
        LinkProblem::Expired => i18n.keys().link().expired_heading().inner(),
        LinkProblem::Used => i18n.keys().link().used_heading().inner(),
        LinkProblem::Unknown => i18n.keys().link().unknown_heading().inner(),
        LinkProblem::Missing => i18n.keys().link().missing_heading().inner(),
        LinkProblem::Unavailable => i18n.keys().link().unavailable_heading().inner(),
        LinkProblem::Erased => i18n.keys().link().erased_heading().inner(),
    });
    let text = move || match problem {
        LinkProblem::Expired => i18n.keys().link().expired().inner(),
        LinkProblem::Used => i18n.keys().link().used().inner(),
        LinkProblem::Unknown => i18n.keys().link().unknown().inner(),
        LinkProblem::Missing => i18n.keys().link().missing().inner(),
        LinkProblem::Unavailable => i18n.keys().link().unavailable().inner(),
        LinkProblem::Erased => i18n.keys().link().erased().inner(),
    };
    view! {
        <PageTitle heading=heading />
        <h1 class="bk-heading-l">{heading}</h1>
        <p class="bk-body">{text}</p>
        <SupportContact />
    }
}
