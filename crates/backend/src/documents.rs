//! A contract document of an identification, as a download: only one Solaris lists on that
//! identification (the id is checked against Solaris' own list before anything is fetched),
//! streamed with its content type as an attachment that is never cached. The partner API and the
//! API mode's signature page both serve documents this way.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::solaris::SolarisError;

/// The document `document_id` of the identification as a download; `None` when Solaris does
/// not list it there.
pub async fn listed_document(
    state: &AppState,
    person_id: &str,
    identification_id: &str,
    document_id: &str,
) -> Result<Option<Response>, SolarisError> {
    let identification = state
        .solaris
        .identification(person_id, identification_id)
        .await?;
    let Some(document) = identification
        .documents
        .iter()
        .find(|document| document.id == document_id)
    else {
        return Ok(None);
    };
    let (content_type, bytes) = state
        .solaris
        .document_file(person_id, identification_id, &document.id)
        .await?;
    let file_name: String = document
        .name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    Ok(Some(
        (
            [
                (header::CONTENT_TYPE, content_type),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            Body::from(bytes),
        )
            .into_response(),
    ))
}
