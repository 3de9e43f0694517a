//! How an onboarding stands at Solaris: reads the session and the identifications made since it
//! opened, and applies the domain's one outcome rule ([`bankident_domain::session_verdict`]).
//! The outcome page (customer back with us) and the webhook receiver (customer possibly still
//! in the webview) both settle onboardings here.

use bankident_domain::{
    CustomerPlace, ErrorCode, IdentificationMode, IdentificationStatus, Outcome, OutcomeState,
    Verdict, deciding_identification, identification_verdict, session_verdict,
};

use super::{Browser, Onboardings};
use crate::error::ApiError;
use crate::store::{Cause, Ending, Onboarding, OnboardingState};

/// How a verdict is recorded.
fn ending(verdict: &Verdict, identification_id: Option<&str>) -> Ending {
    Ending {
        category: verdict.category,
        error_code: verdict
            .error_code
            .as_ref()
            .map(|code| code.code().to_string()),
        identification_id: identification_id.map(str::to_string),
    }
}

/// Where an onboarding's session stands at Solaris.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Solaris no longer knows the person (`model_not_found`, confirmed with a `GET`).
    PersonGone,
    /// The customer can still finish; `under_way` when an identification is in progress.
    Open {
        /// An identification made since the session opened is not final yet.
        under_way: bool,
    },
    /// Final.
    Final(Ending),
}

impl Onboardings {
    /// Reads the onboarding's session and identifications from Solaris and decides.
    pub async fn standing(
        &self,
        onboarding: &Onboarding,
        place: CustomerPlace,
    ) -> Result<Standing, ApiError> {
        if self.mode_of(onboarding) == IdentificationMode::Api {
            return self.bank_identification_standing(onboarding).await;
        }
        let (Some(person_id), Some(session_id)) = (&onboarding.person_id, &onboarding.session_id)
        else {
            return Ok(Standing::Open { under_way: false });
        };
        let session = match self.solaris.session(person_id, session_id).await {
            Ok(session) => session,
            Err(error) => return self.person_gone_or(person_id, error).await,
        };
        let identifications = self.solaris.identifications(person_id).await?;
        let since_opened: Vec<_> = identifications
            .iter()
            .filter(|identification| {
                !onboarding
                    .known_identification_ids
                    .contains(&identification.id)
            })
            .map(solaris_contract::Identification::facts)
            .collect();
        let under_way = since_opened.iter().any(|facts| !facts.status.is_final());
        Ok(
            match session_verdict(
                &session.status,
                session.identification_id.as_deref(),
                &since_opened,
                place,
            ) {
                Some(verdict) => Standing::Final(ending(
                    &verdict,
                    deciding_identification(&verdict, &since_opened)
                        .or(session.identification_id.as_deref()),
                )),
                None => Standing::Open { under_way },
            },
        )
    }

    /// A read of the person's session or identification failed: `model_not_found` means the person
    /// is gone only when a `GET` of the person says so too; any other failure is passed on.
    async fn person_gone_or(
        &self,
        person_id: &str,
        error: crate::solaris::SolarisError,
    ) -> Result<Standing, ApiError> {
        if error.is_model_not_found() && !self.solaris.person_exists(person_id).await? {
            return Ok(Standing::PersonGone);
        }
        Err(error.into())
    }

    /// API mode: where the onboarding's own bank identification stands. There is no session and no
    /// other identification to weigh: it alone decides, by the one outcome rule.
    async fn bank_identification_standing(
        &self,
        onboarding: &Onboarding,
    ) -> Result<Standing, ApiError> {
        let (Some(person_id), Some(id)) =
            (&onboarding.person_id, &onboarding.bank_identification_id)
        else {
            return Ok(Standing::Open { under_way: false });
        };
        let identification = match self.solaris.identification(person_id, id).await {
            Ok(identification) => identification,
            Err(error) => return self.person_gone_or(person_id, error).await,
        };
        Ok(
            match identification_verdict(
                &identification.status,
                identification.failure_reason.as_deref(),
            ) {
                Some(verdict) => Standing::Final(ending(&verdict, Some(id))),
                None => Standing::Open {
                    under_way: identification.status != IdentificationStatus::Created,
                },
            },
        )
    }

    /// The stored outcome when final; otherwise asks Solaris and stores what is final (the
    /// customer is back with us).
    pub async fn current_outcome(&self, onboarding: &Onboarding) -> Result<Outcome, ApiError> {
        self.settle(onboarding, CustomerPlace::BackWithUs, Cause::Customer)
            .await
    }

    /// The stored outcome when final; otherwise asks Solaris and stores what is final for a
    /// customer at `place`, the change recorded as made by `cause` (who asked).
    pub async fn settle(
        &self,
        onboarding: &Onboarding,
        place: CustomerPlace,
        cause: Cause,
    ) -> Result<Outcome, ApiError> {
        match onboarding.outcome_state {
            OnboardingState::Final => return Ok(stored_outcome(onboarding)),
            OnboardingState::Pending => {}
            OnboardingState::NotStarted => return Ok(not_started()),
            // The partner cancelled it and its browsers were let go: none of them asks here.
            OnboardingState::Cancelled => return Err(ApiError::NoOnboarding),
        }
        match self.standing(onboarding, place).await? {
            Standing::PersonGone => {
                self.store.forget_person(&onboarding.id, cause).await?;
                Ok(not_started())
            }
            Standing::Open { under_way } => Ok(Outcome {
                state: if under_way {
                    OutcomeState::Pending
                } else {
                    OutcomeState::Unfinished
                },
                category: None,
                error_code: None,
            }),
            Standing::Final(ending) => {
                self.store
                    .set_final_outcome(&onboarding.id, &ending, cause)
                    .await?;
                Ok(Outcome {
                    state: OutcomeState::Final,
                    category: Some(ending.category),
                    error_code: ending.error_code.as_deref().map(ErrorCode::parse),
                })
            }
        }
    }

    /// How the identification of a browser stands, from Solaris (webhooks only make a final
    /// state known sooner). One Solaris read at a time per onboarding, shared by the polls that
    /// waited for it, and an identification under way reused for a moment: however many tabs and
    /// devices poll, Solaris sees about one read per onboarding at a time.
    pub async fn outcome_of_browser(&self, browser: &Browser) -> Result<Outcome, ApiError> {
        let Some(hash) = browser.hash() else {
            return Ok(not_started());
        };
        let Some(onboarding) = self.store.onboarding_by_browser(hash).await? else {
            return Ok(not_started());
        };
        if onboarding.outcome_state != OnboardingState::Pending {
            return self.current_outcome(&onboarding).await;
        }
        let arrived = std::time::Instant::now();
        let lock = self.lock_for(&format!("outcome:{}", onboarding.id));
        let _guard = lock.lock().await;
        if let Some(cached) = self.cached_outcome(&onboarding.id, arrived) {
            return Ok(cached);
        }
        let outcome = self.current_outcome(&onboarding).await?;
        self.cache_outcome(&onboarding.id, &outcome);
        Ok(outcome)
    }
}

/// No identification yet.
pub fn not_started() -> Outcome {
    Outcome {
        state: OutcomeState::NotStarted,
        category: None,
        error_code: None,
    }
}

/// The final outcome stored for an onboarding.
pub fn stored_outcome(onboarding: &Onboarding) -> Outcome {
    Outcome {
        state: OutcomeState::Final,
        category: onboarding.outcome_category,
        error_code: onboarding.error_code.as_deref().map(ErrorCode::parse),
    }
}
