//! Links to the documents the consents refer to, as the partner configured them.

use leptos::prelude::*;

use crate::brand::brand_text;
use crate::language::language_of;
use crate::language::use_i18n;

/// A document's address in the customer's language: `{lang}` in a configured URL becomes `de`
/// or `en` (a partner's documents in two languages, the demo's sample documents).
fn in_language(url: &str, tag: &str) -> String {
    url.replace("{lang}", tag)
}

/// Links to the documents the consents refer to, as the partner configured them (nothing when
/// none are configured), in the customer's language where the URL says where it goes.
#[component]
pub fn ConsentDocuments() -> impl IntoView {
    let i18n = use_i18n();
    let links: Vec<(&'static str, String)> = ["data_terms_url", "terms_url", "privacy_url"]
        .into_iter()
        .filter_map(|key| brand_text(key).map(|url| (key, url)))
        .collect();
    (!links.is_empty()).then(|| {
        view! {
            <h2 class="bk-heading-m">{move || i18n.keys().consents().documents().inner()}</h2>
            <ul class="bk-list">
                {links
                    .into_iter()
                    .map(|(key, url)| {
                        let label = move || match key {
                            "data_terms_url" => i18n.keys().consents().data_terms_link().inner(),
                            "terms_url" => i18n.keys().consents().terms_link().inner(),
                            _ => i18n.keys().consents().privacy_link().inner(),
                        };
                        let href = move || in_language(&url, language_of(i18n.get_locale()).tag());
                        view! { <li><a class="bk-link" href=href>{label}</a></li> }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_url_may_name_the_customers_language() {
        assert_eq!(
            in_language("https://nova.example/{lang}/terms", "en"),
            "https://nova.example/en/terms"
        );
        assert_eq!(
            in_language("https://nova.example/terms", "de"),
            "https://nova.example/terms"
        );
    }
}
