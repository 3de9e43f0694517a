//! A contract document as a download: its content type, an attachment that is never cached.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::onboarding::documents::DocumentFile;

/// The answer that hands `document` to the browser or the partner's server.
pub fn document_download_answer(document: DocumentFile) -> Response {
    (
        [
            (header::CONTENT_TYPE, document.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", document.file_name),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(document.bytes),
    )
        .into_response()
}
