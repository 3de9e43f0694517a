//! The document title: the page's heading, then the service name, so screen-reader users and
//! browser tabs know where they are.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};

/// Sets `<title>` to "{heading} – {service}" and keeps it in the current language.
#[component]
pub fn PageTitle(
    /// The page's main heading, in the current language.
    #[prop(into)]
    heading: Signal<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move || {
        document().set_title(&format!(
            "{} – {}",
            heading.get(),
            t_string!(i18n, title_suffix)
        ));
    });
}
