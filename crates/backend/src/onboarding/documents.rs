//! Contract documents of an identification: only one Solaris lists on that identification (the
//! id is checked against Solaris' own list before anything is fetched). The partner API and the
//! API mode's signature page both serve documents this way.

use super::{Browser, Onboardings};
use crate::error::ApiError;
use crate::solaris::SolarisError;

/// A document's file, as Solaris serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFile {
    /// Its MIME type.
    pub content_type: String,
    /// Its name, reduced to letters, digits, `.`, `_` and `-` (safe in a header).
    pub file_name: String,
    /// The file.
    pub bytes: Vec<u8>,
}

impl Onboardings {
    /// The document `document_id` of the identification; `None` when Solaris does not list it
    /// there.
    pub(super) async fn listed_document(
        &self,
        person_id: &str,
        identification_id: &str,
        document_id: &str,
    ) -> Result<Option<DocumentFile>, SolarisError> {
        let identification = self
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
        let (content_type, bytes) = self
            .solaris
            .document_file(person_id, identification_id, &document.id)
            .await?;
        let file_name = document
            .name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect();
        Ok(Some(DocumentFile {
            content_type,
            file_name,
            bytes,
        }))
    }

    /// A contract document of the browser's identification (the one under way, else the one
    /// that decided); `None` when it is not one of its documents.
    pub async fn document_of_browser(
        &self,
        browser: &Browser,
        document_id: &str,
    ) -> Result<Option<DocumentFile>, ApiError> {
        let onboarding = self.bound(browser.hash()).await?;
        let (Some(person_id), Some(id)) = (
            &onboarding.person_id,
            onboarding
                .bank_identification_id
                .as_ref()
                .or(onboarding.identification_id.as_ref()),
        ) else {
            return Err(ApiError::NoOnboarding);
        };
        Ok(self.listed_document(person_id, id, document_id).await?)
    }
}
