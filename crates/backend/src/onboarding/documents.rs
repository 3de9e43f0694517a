//! Contract documents of an identification: only one Solaris lists on that identification (the
//! id is checked against Solaris' own list before anything is fetched). The partner API and the
//! API mode's signature page both serve documents this way.
//!
//! A finished identification's list no longer changes, so it is kept in memory for
//! [`DOCUMENT_LISTS_KEPT_FOR`]: a partner polling its finished onboardings (or downloading the
//! report again and again) cannot drive Solaris into its rate limits. A list is kept only once
//! Solaris says the identification is final and, for a success, lists the signed report.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bankident_domain::IdentificationStatus;
use solaris_contract::identifications::{Document, Identification};

use super::{Browser, Onboardings};
use crate::error::ApiError;
use crate::solaris::SolarisError;

/// How long a finished identification's document list answers from memory.
pub const DOCUMENT_LISTS_KEPT_FOR: Duration = Duration::from_secs(600);
/// The most lists kept; the oldest go first.
const MAX_KEPT_LISTS: usize = 10_000;

/// A document list and when it was read.
type KeptList = (Instant, Arc<Vec<Document>>);

/// Document lists of finished identifications, by identification id.
#[derive(Default)]
pub(super) struct DocumentLists(std::sync::Mutex<std::collections::HashMap<String, KeptList>>);

impl DocumentLists {
    fn get(&self, identification_id: &str) -> Option<Arc<Vec<Document>>> {
        let lists = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        lists
            .get(identification_id)
            .filter(|(at, _)| at.elapsed() < DOCUMENT_LISTS_KEPT_FOR)
            .map(|(_, list)| list.clone())
    }

    fn keep(&self, identification_id: &str, list: Arc<Vec<Document>>) {
        let mut lists = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        lists.retain(|_, (at, _)| at.elapsed() < DOCUMENT_LISTS_KEPT_FOR);
        if lists.len() >= MAX_KEPT_LISTS
            && let Some(oldest) = lists
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(id, _)| id.clone())
        {
            lists.remove(&oldest);
        }
        lists.insert(identification_id.to_string(), (Instant::now(), list));
    }
}

/// Whether an identification's document list can change no more: it is final, and a success
/// lists its signed report.
fn list_is_settled(identification: &Identification) -> bool {
    identification.status.is_final()
        && (identification.status != IdentificationStatus::Successful
            || identification
                .documents
                .iter()
                .any(|document| document.document_type == "SIGNED_QES_DOCUMENT"))
}

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
    /// The documents Solaris lists on an identification, from memory once the list is settled.
    pub(super) async fn documents_of(
        &self,
        person_id: &str,
        identification_id: &str,
    ) -> Result<Arc<Vec<Document>>, SolarisError> {
        if let Some(list) = self.document_lists.get(identification_id) {
            return Ok(list);
        }
        let identification = self
            .solaris
            .identification(person_id, identification_id)
            .await?;
        let settled = list_is_settled(&identification);
        let list = Arc::new(identification.documents);
        if settled {
            self.document_lists.keep(identification_id, list.clone());
        }
        Ok(list)
    }

    /// The document `document_id` of the identification; `None` when Solaris does not list it
    /// there.
    pub(super) async fn listed_document(
        &self,
        person_id: &str,
        identification_id: &str,
        document_id: &str,
    ) -> Result<Option<DocumentFile>, SolarisError> {
        let documents = self.documents_of(person_id, identification_id).await?;
        let Some(document) = documents.iter().find(|document| document.id == document_id) else {
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
