//! Opening the identification with the customer's answers: the Solaris person (once per
//! onboarding, corrected when answers change), its mobile number and a session (or, in the API
//! mode, our first step). A repeated submit while a session is open answers with the same URL.

use std::net::IpAddr;

use bankident_domain::{IdentificationMode, Language, Person, PersonAnswers};

use super::corrections::differences;
use super::{Browser, Onboardings, refuse_when_closed};
use crate::browser::{BrowserKey, key_hash, new_key};
use crate::error::ApiError;
use crate::rate_limits::ClientCall;
use crate::solaris::{SolarisError, person_request};
use crate::store::{Cause, Onboarding, OnboardingState};

/// Where the customer goes once the identification is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The webview (with the customer's language where configured) or our next page.
    pub url: String,
    /// A browser key made for this browser now: the transport sets its cookie.
    pub new_key: Option<String>,
}

/// What bringing an existing person up to date with the customer's answers came to.
enum Correction {
    /// Solaris holds the answers now; the mobile number is to be created again when it was
    /// replaced or deleted.
    Done {
        /// The person has no mobile number at Solaris now.
        mobile_number_gone: bool,
    },
    /// Fields Solaris cannot change differ, and no identification was attempted: a new person
    /// takes the answers.
    NewPersonNeeded,
}

impl Onboardings {
    /// The key a browser goes on with, and whether it is new (a cookie to set): one we signed,
    /// or an unsigned one an onboarding already knows; any other is replaced by a new key,
    /// never adopted.
    pub async fn browser_key(
        &self,
        found: Option<BrowserKey>,
    ) -> Result<(String, bool), sqlx::Error> {
        match found {
            Some(BrowserKey::Issued(key)) => Ok((key, false)),
            Some(BrowserKey::Unsigned(key))
                if self
                    .store
                    .onboarding_by_browser(&key_hash(&key))
                    .await?
                    .is_some() =>
            {
                Ok((key, false))
            }
            _ => Ok((new_key(), true)),
        }
    }

    /// Opens the identification of the browser with key `found` (made when it has none), at
    /// client `address` (for its rate limit), with the customer's answers; the webview speaks
    /// `language` where a parameter for it is configured.
    pub async fn open(
        &self,
        found: Option<BrowserKey>,
        address: Option<IpAddr>,
        answers: &PersonAnswers,
        language: Option<Language>,
    ) -> Result<Opened, ApiError> {
        self.rate_limits.check_client(ClientCall::Open, address)?;
        let now = time::OffsetDateTime::now_utc();
        let person = answers.validate(now.date()).map_err(ApiError::Invalid)?;
        let implausible = person.consents.implausible(now);
        if !implausible.is_empty() {
            return Err(ApiError::Invalid(implausible));
        }
        let (key, new_cookie) = self.browser_key(found).await?;
        let hash = key_hash(&key);
        // One request at a time per browser (a double click waits, then finds the session
        // open), and per onboarding (the customer's other devices).
        let browser_lock = self.lock_for(&format!("browser:{hash}"));
        let _browser_guard = browser_lock.lock().await;
        let onboarding = match self.store.onboarding_by_browser(&hash).await? {
            Some(onboarding) => onboarding,
            None if !self.config.demo_mode => return Err(ApiError::NoOnboarding),
            None => self.store.create_onboarding(&hash).await?,
        };
        let (_held, onboarding) = self.hold(&onboarding.id).await?;
        self.store
            .set_consents_received(&onboarding.id, now)
            .await?;
        let url = self.open_held(onboarding, &person, language).await?;
        Ok(Opened {
            url,
            new_key: new_cookie.then_some(key),
        })
    }

    /// [`Onboardings::open`] for an onboarding held by this request.
    async fn open_held(
        &self,
        mut onboarding: Onboarding,
        person: &Person,
        language: Option<Language>,
    ) -> Result<String, ApiError> {
        let mut open_session = None;
        if onboarding.outcome_state == OnboardingState::Pending {
            // Hand out the open session again only while Solaris says it is open.
            self.current_outcome(&onboarding).await?;
            onboarding = self
                .store
                .onboarding(&onboarding.id)
                .await?
                .ok_or_else(|| ApiError::Internal("onboarding vanished".into()))?;
            if onboarding.outcome_state == OnboardingState::Pending {
                open_session = self.open_identification_url(&onboarding);
            }
        }
        refuse_when_closed(&onboarding)?;
        let existing = match onboarding.person_id.clone() {
            Some(id) => self.existing_person(&mut onboarding, id, person).await?,
            None => None,
        };
        if let (Some(url), Some((person_id, _))) = (&open_session, &existing) {
            // The open session goes on, with Solaris holding the customer's latest answers.
            self.ensure_mobile_number(&mut onboarding, person_id, person)
                .await?;
            return Ok(self.webview_url(url, language));
        }
        let (person_id, known_identification_ids) = match existing {
            Some(known) => known,
            None => (self.created_person(&onboarding, person).await?, Vec::new()),
        };
        self.ensure_mobile_number(&mut onboarding, &person_id, person)
            .await?;
        if self.mode_of(&onboarding) == IdentificationMode::Api {
            // Our own screens: the mobile number's code, then the bank step.
            return Ok(self.first_step(&onboarding, &person_id).await?.to_string());
        }
        let session = self
            .solaris
            .create_session(&person_id, &self.config.callback_url())
            .await?;
        if !self.is_allowed_redirect(&session.url) {
            return Err(ApiError::RedirectNotAllowed);
        }
        self.store
            .set_session(
                &onboarding.id,
                &session.id,
                &session.url,
                &known_identification_ids,
                Cause::Customer,
            )
            .await?;
        tracing::info!(session_id = %session.id, "identification session opened");
        Ok(self.webview_url(&session.url, language))
    }

    /// The open identification of a browser again, without answers (a customer continuing on
    /// another device, whose answers are in the first one's tab). `no_open_session` when there
    /// is none to continue.
    pub async fn continue_open(
        &self,
        browser: &Browser,
        language: Option<Language>,
    ) -> Result<String, ApiError> {
        self.rate_limits
            .check_client(ClientCall::Open, browser.address)?;
        let onboarding = self.bound(browser.hash()).await?;
        let (_held, onboarding) = self.hold(&onboarding.id).await?;
        if onboarding.outcome_state == OnboardingState::Pending {
            // Only while Solaris says the session is open.
            self.current_outcome(&onboarding).await?;
            if let Some(onboarding) = self.store.onboarding(&onboarding.id).await?
                && onboarding.outcome_state == OnboardingState::Pending
                && let Some(url) = self.open_identification_url(&onboarding)
            {
                return Ok(self.webview_url(&url, language));
            }
        }
        Err(ApiError::NoOpenSession)
    }

    /// A URL as the customer opens it: our own pages as they are, Solaris' with the customer's
    /// language where a parameter for it is configured.
    fn webview_url(&self, url: &str, language: Option<Language>) -> String {
        if url.starts_with('/') {
            url.to_string()
        } else {
            self.config.webview_url(url, language)
        }
    }

    /// The person for an onboarding that has none yet: created at Solaris, unless an earlier
    /// creation whose answer was lost made it already (then it is looked up, never made twice).
    ///
    /// A creation whose answer never came (a timeout, a dropped connection; a crash of ours
    /// after sending it) may still be under way at Solaris: until twice the time limit has
    /// passed since it was sent, a person not found yet is not created again; the customer is
    /// asked to try again in a moment (503 `solaris_busy` with `Retry-After`).
    async fn created_person(
        &self,
        onboarding: &Onboarding,
        person: &Person,
    ) -> Result<String, ApiError> {
        if let Some(requested_at) = &onboarding.person_requested_at {
            if let Some(id) = self.solaris.find_person(person).await? {
                self.store.set_person(&onboarding.id, &id).await?;
                tracing::info!(person_id = %id, "person found: the answer to its creation was lost");
                return Ok(id);
            }
            let settled = time::OffsetDateTime::parse(
                requested_at,
                &time::format_description::well_known::Rfc3339,
            )
            .map(|at| at + self.config.solaris.timeout * 2)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
            let wait = settled - time::OffsetDateTime::now_utc();
            if wait.is_positive() {
                let seconds = u64::try_from(wait.whole_seconds()).unwrap_or(0) + 1;
                return Err(ApiError::SolarisBusy(seconds));
            }
        }
        self.store.set_person_requested(&onboarding.id).await?;
        match self.solaris.create_person(person).await {
            Ok(id) => {
                self.store.set_person(&onboarding.id, &id).await?;
                tracing::info!(person_id = %id, "person created");
                Ok(id)
            }
            Err(error) => {
                // Solaris answered: it made no person (a 500 that made one anyway is not
                // guarded against). Only an answer that never came leaves something to look
                // for.
                if !matches!(error, SolarisError::NoAnswer(_)) {
                    self.store
                        .set_person_request_answered(&onboarding.id)
                        .await?;
                }
                Err(error.into())
            }
        }
    }

    /// The onboarding's person, if Solaris still knows it and it can take the customer's
    /// answers, with the ids of its identifications so far; brought up to date first. `None`
    /// when a new person is needed (Solaris deleted it, or fields no `PATCH` can change differ
    /// before any attempt); the onboarding then forgets it.
    async fn existing_person(
        &self,
        onboarding: &mut Onboarding,
        person_id: String,
        person: &Person,
    ) -> Result<Option<(String, Vec<String>)>, ApiError> {
        let known: Vec<String> = match self.solaris.identifications(&person_id).await {
            Ok(identifications) => identifications
                .into_iter()
                .map(|identification| identification.id)
                .collect(),
            Err(error) if error.is_model_not_found() => {
                self.store
                    .forget_person(&onboarding.id, Cause::Customer)
                    .await?;
                onboarding.mobile_number_created = false;
                return Ok(None);
            }
            Err(error) => return Err(error.into()),
        };
        match self
            .correct_person(&person_id, person, !known.is_empty())
            .await?
        {
            Correction::Done { mobile_number_gone } => {
                if mobile_number_gone {
                    onboarding.mobile_number_created = false;
                }
                Ok(Some((person_id, known)))
            }
            Correction::NewPersonNeeded => {
                tracing::info!(person_id = %person_id, "locked fields changed before any attempt: a new person");
                self.store
                    .forget_person(&onboarding.id, Cause::Customer)
                    .await?;
                onboarding.mobile_number_created = false;
                Ok(None)
            }
        }
    }

    /// Creates the customer's mobile number at Solaris unless it exists there already.
    async fn ensure_mobile_number(
        &self,
        onboarding: &mut Onboarding,
        person_id: &str,
        person: &Person,
    ) -> Result<(), ApiError> {
        if onboarding.mobile_number_created {
            return Ok(());
        }
        self.solaris
            .create_mobile_number(person_id, person.mobile_number.as_str())
            .await?;
        // Stored with the session that follows (one write fewer); a retry before that finds
        // the number at Solaris (409) and goes on.
        onboarding.mobile_number_created = true;
        Ok(())
    }

    /// Sends the customer's changed answers to Solaris before a new session opens: a `PATCH`
    /// of the updatable fields, and a changed mobile number replaced (deleted, then created by
    /// the caller). Fields no `PATCH` can change, once an identification was attempted, need
    /// Solaris' support.
    async fn correct_person(
        &self,
        person_id: &str,
        person: &Person,
        attempted: bool,
    ) -> Result<Correction, ApiError> {
        let held = self.solaris.person(person_id).await?;
        let found = differences(&held, &person_request(person));
        if !found.locked.is_empty() {
            if !attempted {
                return Ok(Correction::NewPersonNeeded);
            }
            tracing::info!(fields = ?found.locked, "the customer changed fields Solaris cannot change");
            return Err(ApiError::CorrectionNotPossible);
        }
        if !found.patch.is_empty() {
            let fields: Vec<&String> = found.patch.keys().collect();
            if !self.solaris.update_person(person_id, &found.patch).await? {
                tracing::info!(?fields, "Solaris wants a change request for the correction");
                return Err(ApiError::CorrectionNotPossible);
            }
            tracing::info!(?fields, "person updated at Solaris");
        }
        let wanted_number = person.mobile_number.as_str();
        let mobile_number_gone = match self.solaris.mobile_number(person_id).await? {
            Some(held) if held.number == wanted_number => false,
            Some(held) => {
                self.solaris
                    .delete_mobile_number(person_id, &held.number)
                    .await?;
                tracing::info!("mobile number replaced at Solaris");
                true
            }
            None => true,
        };
        Ok(Correction::Done { mobile_number_gone })
    }
}
