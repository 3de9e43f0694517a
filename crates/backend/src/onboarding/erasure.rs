//! Erasure on the partner's request: what we hold about the customer goes, the onboarding stays
//! as a tombstone, and the partner's systems hear `onboarding.erased`. An identification still
//! running at Solaris ends for the customer here: their browsers are forgotten, and their next
//! page says the identification was closed.

use serde::Serialize;
use utoipa::ToSchema;

use super::Onboardings;
use super::partner::PartnerKey;
use crate::error::PartnerError;
use crate::store::OnboardingState;
use crate::store::erasure::{ErasedBy, Eraser, Erasure};

/// What remains of an erased onboarding.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0c6f1d2e3a4b5c6d7e8f9a0b1c2d3e4f", "state": "final",
    "erased_at": "2026-12-04T09:12:40Z", "erased_by": "partner"
}))]
pub struct Tombstone {
    /// Our id.
    pub id: String,
    /// The state it had when it was erased.
    pub state: OnboardingState,
    /// When it was erased.
    #[serde(serialize_with = "crate::timestamps::stored")]
    #[schema(format = DateTime)]
    pub erased_at: String,
    /// At whose request.
    #[schema(value_type = ErasedBy)]
    pub erased_by: String,
}

impl Onboardings {
    /// Erases an onboarding at the partner's request: 404 if there is none, 410 if it was
    /// erased before.
    pub async fn partner_erase(
        &self,
        id: &str,
        key: &PartnerKey,
    ) -> Result<Tombstone, PartnerError> {
        let by = Eraser::Partner(key.0.clone());
        match self.store.erase_onboarding(id, &by).await? {
            Erasure::Erased(tombstone) => {
                self.forget_outcome(id);
                tracing::info!(onboarding_id = %id, key = %key.0, "onboarding erased at the partner's request");
                Ok(Tombstone {
                    id: tombstone.id,
                    state: tombstone.outcome_state,
                    erased_at: tombstone.erased_at.unwrap_or_default(),
                    erased_by: tombstone.erased_by.unwrap_or_default(),
                })
            }
            Erasure::AlreadyErased(tombstone) => Err(PartnerError::Erased {
                erased_at: tombstone.erased_at.unwrap_or_default(),
                erased_by: tombstone.erased_by.unwrap_or_default(),
            }),
            Erasure::Unknown => Err(PartnerError::NotFound("onboarding")),
        }
    }

    /// Whether the browser with this cookie hash belonged to an onboarding that was erased.
    pub async fn browser_was_erased(&self, browser_hash: Option<&str>) -> bool {
        match browser_hash {
            Some(hash) => match self.store.browser_was_erased(hash).await {
                Ok(erased) => erased,
                // The page is served as if nothing was erased; operators see why.
                Err(error) => {
                    tracing::error!(%error, "could not read whether a browser's identification was closed");
                    false
                }
            },
            None => false,
        }
    }
}
