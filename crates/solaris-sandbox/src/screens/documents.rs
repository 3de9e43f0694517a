//! Sample documents for the demo's consent screen (a test control, not Solaris' API): the
//! partner's terms and privacy notice and Solaris' data processing terms, as placeholders that
//! say what the real document would be. A backend in the demo mode links them when the partner
//! configured none, so the customer can always open what they agree to.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::LangQuery;
use super::page::page;
use super::texts::Text;
use crate::Sandbox;

/// Where the sample documents are served: `{SAMPLE_DOCUMENTS_PATH}/terms`, `…/privacy` and
/// `…/data-terms`.
pub const SAMPLE_DOCUMENTS_PATH: &str = "/_sandbox/documents";

/// `GET /_sandbox/documents/{name}`: a sample document, in German (default) or English.
pub async fn sample_document_show(
    State(sandbox): State<Sandbox>,
    Path(name): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let title = match name.as_str() {
        "terms" => Text::SampleTermsTitle,
        "privacy" => Text::SamplePrivacyTitle,
        "data-terms" => Text::SampleDataTermsTitle,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let language = query.language();
    let other = match language {
        bankident_domain::Language::De => bankident_domain::Language::En,
        bankident_domain::Language::En => bankident_domain::Language::De,
    };
    page(
        &sandbox.config().public_url,
        language,
        title.get(language),
        &[],
        html! {
            p { (Text::SampleDocumentBody.get(language)) }
            p { (Text::SampleDocumentBack.get(language)) }
            p { a href={ "?lang=" (other.tag()) } lang=(other.tag()) { (Text::OtherLanguage.get(language)) } }
        },
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_sample_document_says_what_it_stands_for_in_both_languages() {
        let sandbox = Sandbox::new(crate::SandboxConfig::new("http://127.0.0.1:4000"));
        for (name, title_de, title_en) in [
            (
                "terms",
                "Allgemeine Geschäftsbedingungen (Muster)",
                "Terms and conditions (sample)",
            ),
            (
                "privacy",
                "Datenschutzhinweise (Muster)",
                "Privacy notice (sample)",
            ),
            (
                "data-terms",
                "Datenschutzbedingungen der Solaris SE (Muster)",
                "Solaris SE data processing terms (sample)",
            ),
        ] {
            for (lang, title) in [(None, title_de), (Some("en".to_string()), title_en)] {
                let response = sample_document_show(
                    State(sandbox.clone()),
                    Path(name.to_string()),
                    Query(LangQuery { lang }),
                )
                .await;
                assert_eq!(response.status(), StatusCode::OK);
                let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .unwrap();
                let page = String::from_utf8_lossy(&body);
                assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
            }
        }
        let missing = sample_document_show(
            State(sandbox),
            Path("contract".into()),
            Query(LangQuery { lang: None }),
        )
        .await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }
}
