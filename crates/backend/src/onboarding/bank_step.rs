//! The API mode's steps (the guide's Appendix II flow with our own screens): the mobile
//! number's SMS code, the bank identification created with the IBAN the customer gave us, the
//! payment wizard, and the contract's signature by SMS code. Solaris decides about codes and
//! time limits; its refusals end the onboarding through the one outcome rule.

use bankident_domain::{
    BankStep, BankStepKind, DocumentView, ErrorCode, IdentificationMode, IdentificationStatus,
    Language, NextUrl, identification_verdict,
};
use solaris_contract::Identification;
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

use super::{Browser, Held, Onboardings, pages, refuse_when_closed, unix_now};
use crate::error::ApiError;
use crate::rate_limits::ClientCall;
use crate::solaris::{IdentificationStep, SolarisError};
use crate::store::{Cause, Ending, Onboarding, OnboardingState};

/// How long after a code was sent a new one may be asked for.
pub const RESEND_COOLDOWN: Duration = Duration::seconds(30);
/// How long a signature code works (the guide: 10 minutes).
pub const SIGNATURE_CODE_VALIDITY: Duration = Duration::minutes(10);

/// The person of an API-mode onboarding, which has one by the time any step is open.
fn person_of(onboarding: &Onboarding) -> Result<&str, ApiError> {
    onboarding.person_id.as_deref().ok_or(ApiError::WrongStep)
}

/// Seconds until a new code may be sent, if it is too soon.
fn cooldown_left(onboarding: &Onboarding, now: i64) -> Option<i64> {
    let ready_at = onboarding.code_sent_at? + RESEND_COOLDOWN.whole_seconds();
    (ready_at > now).then_some(ready_at - now)
}

impl Onboardings {
    /// The browser's onboarding, held for one changing step (within the step's rate limits,
    /// per client `address` and per onboarding); it must be in the API mode.
    async fn held_step(&self, browser: &Browser) -> Result<(Held, Onboarding), ApiError> {
        self.rate_limits
            .check_client(ClientCall::Step, browser.address)?;
        let onboarding = self.api_onboarding(browser).await?;
        self.rate_limits.check_step(&onboarding.id)?;
        self.held(&onboarding.id).await
    }

    /// The browser's onboarding, which must be in the API mode.
    async fn api_onboarding(&self, browser: &Browser) -> Result<Onboarding, ApiError> {
        let onboarding = self.bound(browser.hash()).await?;
        if self.mode_of(&onboarding) != IdentificationMode::Api {
            return Err(ApiError::WrongStep);
        }
        Ok(onboarding)
    }

    /// Sends a new SMS code for the mobile number (after the cool-down).
    pub async fn mobile_code_send(&self, browser: &Browser) -> Result<BankStep, ApiError> {
        let (_held, onboarding) = self.held_step(browser).await?;
        let person_id = person_of(&onboarding)?;
        if let Some(seconds) = cooldown_left(&onboarding, unix_now()) {
            return Err(ApiError::CodeCooldown(seconds.unsigned_abs()));
        }
        let number = self
            .solaris
            .mobile_number(person_id)
            .await?
            .ok_or(ApiError::WrongStep)?;
        if number.verified {
            return Ok(BankStep::only(BankStepKind::Transfer));
        }
        self.send_mobile_code(&onboarding, person_id, &number.number)
            .await?;
        Ok(BankStep {
            resend_after_seconds: Some(RESEND_COOLDOWN.whole_seconds()),
            ..BankStep::only(BankStepKind::Verify)
        })
    }

    /// Verifies the mobile number with the SMS code's six `digits`.
    pub async fn mobile_number_confirm(
        &self,
        browser: &Browser,
        digits: &str,
    ) -> Result<NextUrl, ApiError> {
        let (_held, onboarding) = self.held_step(browser).await?;
        let person_id = person_of(&onboarding)?;
        let number = self
            .solaris
            .mobile_number(person_id)
            .await?
            .ok_or(ApiError::WrongStep)?;
        if !number.verified {
            match self
                .solaris
                .confirm_mobile_number(person_id, &number.number, digits)
                .await
            {
                Ok(()) => tracing::info!("mobile number verified"),
                Err(error) if error.is_invalid_code() => return Err(ApiError::CodeInvalid),
                Err(error) => return Err(error.into()),
            }
        }
        Ok(NextUrl {
            url: pages::TRANSFER.to_string(),
        })
    }

    /// Creates and requests the bank identification with the IBAN the customer gave (checked
    /// again here), once they accepted the signature terms; answers with the payment wizard's
    /// URL (allow-listed host, in the customer's `language` where configured).
    pub async fn bank_identification_create(
        &self,
        browser: &Browser,
        iban: &str,
        signature_terms_accepted: bool,
        language: Option<Language>,
    ) -> Result<NextUrl, ApiError> {
        let iban = super::parse_iban(iban)?;
        if !signature_terms_accepted {
            return Err(ApiError::ConsentMissing);
        }
        let (_held, onboarding) = self.held_step(browser).await?;
        // An outcome that closes Bankident holds here too.
        refuse_when_closed(&onboarding)?;
        let person_id = person_of(&onboarding)?;
        // An identification already under way goes on (a second click, the Back button).
        let mut open = None;
        if let Some(id) = &onboarding.bank_identification_id
            && onboarding.outcome_state == OnboardingState::Pending
        {
            let identification = self.solaris.identification(person_id, id).await?;
            if !identification.status.is_final() {
                open = Some(identification);
            }
        }
        let identification = match open {
            Some(identification) => identification,
            None => {
                // The moment the request reached us: a server-held time, never the device's.
                let signed_at = OffsetDateTime::now_utc()
                    .replace_nanosecond(0)
                    .unwrap_or_else(|_| OffsetDateTime::now_utc())
                    .format(&Rfc3339)
                    .expect("UTC timestamps format");
                match self
                    .solaris
                    .create_identification(person_id, iban.electronic(), &signed_at)
                    .await
                {
                    Ok(identification) => {
                        self.store
                            .set_bank_identification(
                                &onboarding.id,
                                &identification.id,
                                Cause::Customer,
                            )
                            .await?;
                        tracing::info!(identification_id = %identification.id, "bank identification created");
                        identification
                    }
                    Err(error) => return Err(self.refused(&onboarding, error).await),
                }
            }
        };
        let identification = match identification.status {
            IdentificationStatus::Created => {
                self.solaris
                    .identification_step(person_id, &identification.id, IdentificationStep::Request)
                    .await?
            }
            _ => identification,
        };
        if identification.status != IdentificationStatus::Pending {
            // Past the bank step already: the signature page knows where it stands.
            return Ok(NextUrl {
                url: pages::SIGN.to_string(),
            });
        }
        let url = identification
            .url
            .ok_or_else(|| ApiError::Internal("a requested identification without a url".into()))?;
        if !self.is_allowed_redirect(&url) {
            return Err(ApiError::RedirectNotAllowed);
        }
        // The wizard speaks the customer's language where a parameter for it is configured.
        Ok(NextUrl {
            url: self.config.webview_url(&url, language),
        })
    }

    /// Where the browser's identification stands, for the signature page.
    pub async fn bank_step_show(&self, browser: &Browser) -> Result<BankStep, ApiError> {
        let onboarding = self.api_onboarding(browser).await?;
        self.current_step(&onboarding).await
    }

    /// Starts the signature, or sends a new code (after the cool-down): Solaris sends an SMS
    /// code, and every new one replaces the previous.
    pub async fn signature_authorize(&self, browser: &Browser) -> Result<BankStep, ApiError> {
        let (_held, onboarding) = self.held_step(browser).await?;
        let person_id = person_of(&onboarding)?;
        let id = onboarding
            .bank_identification_id
            .clone()
            .ok_or(ApiError::WrongStep)?;
        let now = unix_now();
        if let Some(seconds) = cooldown_left(&onboarding, now) {
            return Err(ApiError::CodeCooldown(seconds.unsigned_abs()));
        }
        match self
            .solaris
            .identification_step(person_id, &id, IdentificationStep::Authorize)
            .await
        {
            Ok(identification) => {
                let until = code_valid_until(&identification, now);
                self.store
                    .set_code_sent(&onboarding.id, now, Some(until))
                    .await?;
                let onboarding = Onboarding {
                    code_sent_at: Some(now),
                    code_valid_until: Some(until),
                    ..onboarding
                };
                self.step_of(&onboarding, identification).await
            }
            // Not ready for a signature: the bank step failed or time ran out. Where it stands
            // decides.
            Err(error) if error.is_expectation_mismatch() => self.current_step(&onboarding).await,
            Err(error) => Err(error.into()),
        }
    }

    /// Signs with the SMS code's six `digits`.
    pub async fn signature_confirm(
        &self,
        browser: &Browser,
        digits: &str,
    ) -> Result<BankStep, ApiError> {
        let (_held, onboarding) = self.held_step(browser).await?;
        let person_id = person_of(&onboarding)?;
        let id = onboarding
            .bank_identification_id
            .clone()
            .ok_or(ApiError::WrongStep)?;
        match self
            .solaris
            .identification_step(person_id, &id, IdentificationStep::Confirm(digits))
            .await
        {
            Ok(identification) => self.step_of(&onboarding, identification).await,
            Err(error) if error.is_invalid_code() => Err(ApiError::CodeInvalid),
            Err(error) if error.is_expectation_mismatch() => self.current_step(&onboarding).await,
            Err(error) => Err(error.into()),
        }
    }

    /// The first API-mode step for a person with its mobile number: the transfer when the number
    /// is verified, else an SMS code is sent (unless one went out moments ago) and the customer
    /// types it.
    pub(super) async fn first_step(
        &self,
        onboarding: &Onboarding,
        person_id: &str,
    ) -> Result<&'static str, ApiError> {
        let number = self.solaris.mobile_number(person_id).await?;
        match number {
            Some(number) if number.verified => Ok(pages::TRANSFER),
            Some(number) => {
                if cooldown_left(onboarding, unix_now()).is_none() {
                    self.send_mobile_code(onboarding, person_id, &number.number)
                        .await?;
                }
                Ok(pages::VERIFY)
            }
            None => Err(ApiError::Internal(
                "the person has no mobile number after it was created".into(),
            )),
        }
    }

    /// Has Solaris send an SMS code to the mobile number, and records when (for the cool-down).
    async fn send_mobile_code(
        &self,
        onboarding: &Onboarding,
        person_id: &str,
        number: &str,
    ) -> Result<(), ApiError> {
        let now = unix_now();
        self.solaris
            .authorize_mobile_number(person_id, number)
            .await?;
        self.store.set_code_sent(&onboarding.id, now, None).await?;
        Ok(())
    }

    /// A refusal of the identification's creation: an Appendix III code ends the onboarding with
    /// it (the outcome page shows the guide's text and next step); anything else is passed on.
    async fn refused(&self, onboarding: &Onboarding, error: SolarisError) -> ApiError {
        let Some(code) = error.bankident_code() else {
            return error.into();
        };
        let verdict = identification_verdict(&IdentificationStatus::Failed, Some(code.code()))
            .expect("a failed identification has a verdict");
        let ending = Ending {
            category: verdict.category,
            error_code: Some(code.code().to_string()),
            identification_id: None,
        };
        tracing::info!(error_code = code.code(), "bank identification refused");
        if let Err(error) = self
            .store
            .set_refused_identification(&onboarding.id, &ending, Cause::Customer)
            .await
        {
            return error.into();
        }
        match code {
            ErrorCode::AlreadyIdentifiedSuccessfully => ApiError::AlreadyIdentified,
            code => ApiError::NotPossible(code),
        }
    }

    /// The step of an API-mode onboarding, read from Solaris; a final identification settles the
    /// onboarding (`done`).
    async fn current_step(&self, onboarding: &Onboarding) -> Result<BankStep, ApiError> {
        let person_id = person_of(onboarding)?;
        if onboarding.outcome_state == OnboardingState::Final {
            // The documents of the identification that decided (the signed copy after a success).
            let documents = match onboarding
                .identification_id
                .as_ref()
                .or(onboarding.bank_identification_id.as_ref())
            {
                Some(id) => documents_of(self.solaris.identification(person_id, id).await?),
                None => Vec::new(),
            };
            return Ok(BankStep {
                documents,
                ..BankStep::only(BankStepKind::Done)
            });
        }
        let Some(id) = &onboarding.bank_identification_id else {
            let verified = self
                .solaris
                .mobile_number(person_id)
                .await?
                .is_some_and(|number| number.verified);
            let step = if verified {
                BankStepKind::Transfer
            } else {
                BankStepKind::Verify
            };
            return Ok(BankStep {
                resend_after_seconds: cooldown_left(onboarding, unix_now()),
                ..BankStep::only(step)
            });
        };
        let identification = self.solaris.identification(person_id, id).await?;
        self.step_of(onboarding, identification).await
    }

    /// The step an identification is at; a final one settles the onboarding.
    async fn step_of(
        &self,
        onboarding: &Onboarding,
        identification: Identification,
    ) -> Result<BankStep, ApiError> {
        use IdentificationStatus::*;
        let now = unix_now();
        let step = match &identification.status {
            Created => BankStepKind::Transfer,
            Pending => BankStepKind::Bank,
            AuthorizationRequired => BankStepKind::Sign,
            ConfirmationRequired => BankStepKind::Code,
            Confirmed => BankStepKind::Confirming,
            status if status.is_final() => {
                // It decides the outcome; its documents are the ones to show (the signed copy
                // after a success).
                self.current_outcome(onboarding).await?;
                return Ok(BankStep {
                    documents: documents_of(identification),
                    ..BankStep::only(BankStepKind::Done)
                });
            }
            // Any other status Solaris may show while it works.
            _ => BankStepKind::Confirming,
        };
        let code_valid_for_seconds = (step == BankStepKind::Code)
            .then(|| {
                onboarding
                    .code_valid_until
                    .map(|until| (until - now).max(0))
            })
            .flatten();
        // The wizard only on an allowed host, as when the customer was first sent there.
        let wizard_url = identification
            .url
            .clone()
            .filter(|url| step == BankStepKind::Bank && self.is_allowed_redirect(url));
        Ok(BankStep {
            step,
            wizard_url,
            reference: identification.current_reference_token.clone(),
            documents: documents_of(identification),
            code_valid_for_seconds,
            resend_after_seconds: cooldown_left(onboarding, now),
        })
    }
}

fn documents_of(identification: Identification) -> Vec<DocumentView> {
    identification
        .documents
        .into_iter()
        .map(|document| DocumentView {
            id: document.id,
            name: document.name,
            document_type: document.document_type,
            size: document.size,
        })
        .collect()
}

/// Until when (our clock, Unix seconds) a signature code sent `now` works: its 10 minutes, or
/// less when the identification's own limit comes first. Solaris' timestamps are on Solaris'
/// clock; the code's `confirmation_expires_at` minus its validity is when Solaris sent it, which
/// is about `now`, so the gap between the two limits carries over to our clock.
fn code_valid_until(identification: &Identification, now: i64) -> i64 {
    let parse = |text: &Option<String>| {
        text.as_deref()
            .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok())
    };
    let validity = match (
        parse(&identification.confirmation_expires_at),
        parse(&identification.authorization_expires_at),
    ) {
        (Some(code_expires), Some(step_expires)) => {
            let sent = code_expires - SIGNATURE_CODE_VALIDITY;
            (step_expires - sent).clamp(Duration::ZERO, SIGNATURE_CODE_VALIDITY)
        }
        _ => SIGNATURE_CODE_VALIDITY,
    };
    now + validity.whole_seconds()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identification(code_expires: Option<&str>, step_expires: Option<&str>) -> Identification {
        serde_json::from_value(serde_json::json!({
            "id": "1cidt", "status": "confirmation_required",
            "confirmation_expires_at": code_expires, "authorization_expires_at": step_expires,
        }))
        .unwrap()
    }

    #[test]
    fn a_code_works_for_ten_minutes_unless_the_identification_ends_first() {
        let now = 1_000_000;
        // The guide's example: the code expires at 08:37:23, the identification at 08:38:21.
        let plenty = identification(
            Some("2022-08-11T08:37:23.000Z"),
            Some("2022-08-11T08:38:21.000Z"),
        );
        assert_eq!(code_valid_until(&plenty, now), now + 600);
        let short = identification(
            Some("2022-08-11T08:37:23.000Z"),
            Some("2022-08-11T08:30:23.000Z"),
        );
        assert_eq!(code_valid_until(&short, now), now + 180);
        let over = identification(
            Some("2022-08-11T08:37:23.000Z"),
            Some("2022-08-11T08:20:00.000Z"),
        );
        assert_eq!(code_valid_until(&over, now), now);
        assert_eq!(
            code_valid_until(&identification(None, None), now),
            now + 600
        );
    }
}
