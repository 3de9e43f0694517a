//! Why a start link did not open the identification (expired, used in another browser,
//! unknown, none opened, not checkable just now, or the identification was erased at the
//! provider's request), and what to do: ask the provider for a new link, with the partner's
//! support contact when configured.

use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::components::support_contact::SupportContact;
use crate::i18n::{t_string, use_i18n};

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
        LinkProblem::Expired => t_string!(i18n, link.expired_heading),
        LinkProblem::Used => t_string!(i18n, link.used_heading),
        LinkProblem::Unknown => t_string!(i18n, link.unknown_heading),
        LinkProblem::Missing => t_string!(i18n, link.missing_heading),
        LinkProblem::Unavailable => t_string!(i18n, link.unavailable_heading),
        LinkProblem::Erased => t_string!(i18n, link.erased_heading),
    });
    let text = move || match problem {
        LinkProblem::Expired => t_string!(i18n, link.expired),
        LinkProblem::Used => t_string!(i18n, link.used),
        LinkProblem::Unknown => t_string!(i18n, link.unknown),
        LinkProblem::Missing => t_string!(i18n, link.missing),
        LinkProblem::Unavailable => t_string!(i18n, link.unavailable),
        LinkProblem::Erased => t_string!(i18n, link.erased),
    };
    view! {
        <PageTitle heading=heading />
        <h1 class="bk-heading-l">{heading}</h1>
        <p class="bk-body">{text}</p>
        <SupportContact />
    }
}
