//! Links to the documents the consents refer to, as the partner configured them.

use leptos::prelude::*;

use crate::brand::brand_text;
use crate::i18n::{t_string, use_i18n};

/// Links to the documents the consents refer to, as the partner configured them (nothing when
/// none are configured).
#[component]
pub fn ConsentDocuments() -> impl IntoView {
    let i18n = use_i18n();
    let links: Vec<(&'static str, String)> = ["data_terms_url", "terms_url", "privacy_url"]
        .into_iter()
        .filter_map(|key| brand_text(key).map(|url| (key, url)))
        .collect();
    (!links.is_empty()).then(|| {
        view! {
            <h2 class="bk-heading-m">{move || t_string!(i18n, consents.documents)}</h2>
            <ul class="bk-list">
                {links
                    .into_iter()
                    .map(|(key, url)| {
                        let label = move || match key {
                            "data_terms_url" => t_string!(i18n, consents.data_terms_link),
                            "terms_url" => t_string!(i18n, consents.terms_link),
                            _ => t_string!(i18n, consents.privacy_link),
                        };
                        view! { <li><a class="bk-link" href=url>{label}</a></li> }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
