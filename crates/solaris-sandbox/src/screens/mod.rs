//! The hosted screens, server-rendered HTML that works without JavaScript: the webview a
//! session's `url` opens (`/webview/{token}`) and the payment wizard an identification's
//! `url` opens (`/wizard/{key}`), in German (default) or English (`?lang=en`).

mod documents;
mod page;

pub use documents::SAMPLE_DOCUMENTS_PATH;
mod texts;
mod webview;
mod wizard;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use bankident_domain::Language;
use serde::Deserialize;

use crate::Sandbox;

/// The `?lang=` of every screen URL.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    fn language(&self) -> Language {
        self.lang
            .as_deref()
            .and_then(Language::from_tag)
            .unwrap_or_default()
    }
}

/// The routes of the hosted screens.
pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/screens.css", get(stylesheet))
        .route(
            &format!("{}/{{name}}", documents::SAMPLE_DOCUMENTS_PATH),
            get(documents::sample_document_show),
        )
        .route("/wizard/{key}", get(wizard::login_show))
        .route("/wizard/{key}/login", post(wizard::login_submit))
        .route(
            "/wizard/{key}/tan",
            get(wizard::tan_show).post(wizard::tan_submit),
        )
        .route("/webview/{token}", get(webview::intro_show))
        .route("/webview/{token}/start", post(webview::start_submit))
        .route(
            "/webview/{token}/mobile",
            get(webview::mobile_show).post(webview::mobile_submit),
        )
        .route(
            "/webview/{token}/mobile/verified",
            get(webview::mobile_verified_show),
        )
        .route("/webview/{token}/next", get(webview::next_show))
        .route(
            "/webview/{token}/iban",
            get(webview::iban_show).post(webview::iban_submit),
        )
        .route("/webview/{token}/sign", post(webview::sign_submit))
        .route("/webview/{token}/qes", post(webview::qes_submit))
        .route(
            "/webview/{token}/documents/{document_id}",
            get(webview::document_download),
        )
        .route("/webview/{token}/finish", get(webview::finish))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        page::STYLESHEET,
    )
}
