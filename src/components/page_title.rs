//! The document title: the page's heading, then the service name, prefixed with "Error:" while
//! the page shows errors (GOV.UK), so screen-reader users hear it first.

use leptos::prelude::*;

use crate::language::use_i18n;

/// Sets `<title>` to "[Error: ]{heading} – {service}" and keeps it in the current language.
#[component]
pub fn PageTitle(
    /// The page's main heading, in the current language.
    #[prop(into)]
    heading: Signal<&'static str>,
    /// Whether the page shows errors.
    #[prop(optional, into)]
    has_errors: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move || {
        let prefix = if has_errors.get() {
            i18n.keys().form().error_prefix().inner()
        } else {
            ""
        };
        document().set_title(&format!(
            "{prefix}{} – {}",
            heading.get(),
            i18n.keys().title_suffix().inner()
        ));
    });
}
