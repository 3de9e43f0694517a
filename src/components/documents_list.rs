//! Contract documents as download links (streamed by the backend to this browser only).

use bankident_domain::DocumentView;
use leptos::prelude::*;

use crate::api::bank_steps::document_url;
use crate::i18n::I18nKeys;
use crate::texts::tr;

/// A list of documents under a heading.
#[component]
pub fn DocumentsList(
    /// The heading's text.
    heading: fn(&I18nKeys) -> &'static str,
    /// The documents.
    documents: Vec<DocumentView>,
) -> impl IntoView {
    let items = documents
        .into_iter()
        .map(|document| {
            let kilobytes = document.size.div_ceil(1024).to_string();
            let label: fn(&I18nKeys) -> &'static str = if document.is_signed() {
                |k| k.sign().download_signed().inner()
            } else {
                |k| k.sign().download().inner()
            };
            view! {
                <li>
                    <a class="bk-link" href=document_url(&document.id) download=document.name.clone() data-document-type=document.document_type.clone()>
                        {tr(label)}
                    </a>
                    " "
                    <span class="bk-hint">{format!("(PDF, {kilobytes} KB)")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2 class="bk-heading-m">{tr(heading)}</h2>
        <ul class="bk-list">{items}</ul>
    }
}
