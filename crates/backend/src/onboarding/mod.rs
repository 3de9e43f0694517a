//! The onboarding service: everything both modes decide about an onboarding, with the store
//! and Solaris, for the transport in [`crate::http`] to call. A browser reaches its onboarding
//! only through the hash of its cookie's key; the partner through the onboarding's id.
//!
//! - [`opening`]: opening (and continuing) the identification with the customer's answers: the
//!   person (created once, kept true at Solaris), its mobile number, the session;
//! - [`outcome`]: how an onboarding stands at Solaris, by the domain's one outcome rule;
//! - [`bank_step`]: the API mode's steps (mobile number code, bank identification, signature);
//! - [`documents`]: contract documents, only those Solaris lists on the identification;
//! - [`partner`]: the partner's customers, their start links and what the partner sees.
//!
//! Requests for one onboarding run one at a time ([`Onboardings::hold`]): a lock in this
//! instance and a lease in the database for the others.

pub mod bank_step;
mod corrections;
pub mod documents;
pub mod erasure;
pub mod events;
pub mod iban_lookup;
pub mod idempotency;
pub mod listing;
pub mod opening;
pub mod outcome;
pub mod partner;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bankident_domain::{
    ErrorCode, Field, FieldError, Iban, IdentificationMode, Outcome, OutcomeCategory, OutcomeState,
    Prefill, Problem, closes_bankident,
};

use crate::config::Config;
use crate::error::ApiError;
use crate::rate_limits::RateLimits;
use crate::solaris::SolarisClient;
use crate::store::{Lease, Leased, Onboarding, OnboardingState, Store};

/// How long an identification under way (`pending`), read from Solaris, answers further polls.
/// Other answers are shared only by the polls that waited for the read.
pub const OUTCOME_CACHE_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// Our pages, where the app sends the customer next.
pub mod pages {
    /// The outcome page (Solaris' callback URL).
    pub const CALLBACK: &str = "/callback";
    /// The app page that explains a start link that does not work, or a missing one.
    pub const LINK: &str = "/link";
    /// API mode: the SMS code for the mobile number.
    pub const VERIFY: &str = "/verify";
    /// API mode: the IBAN, the signature terms and the way to the bank.
    pub const TRANSFER: &str = "/transfer";
    /// API mode: back from the bank: the contract, the signature code, the wait for the result
    /// (the payment wizard's return page).
    pub const SIGN: &str = "/sign";
}

/// The onboarding service. One per instance; cheap to share behind an `Arc`.
pub struct Onboardings {
    config: Arc<Config>,
    store: Store,
    solaris: Arc<SolarisClient>,
    rate_limits: Arc<RateLimits>,
    /// One request at a time per onboarding (and per browser while it opens), in this instance.
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Outcomes read from Solaris lately, for the polls of the outcome page.
    outcomes: Mutex<HashMap<String, (Instant, Outcome)>>,
    /// Document lists of finished identifications.
    document_lists: documents::DocumentLists,
}

/// Who calls: a browser, known by the hash of its cookie's key (none without our cookie), from
/// a client address (for its rate limits; none when not known).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Browser {
    /// The hash the database knows the browser's key by.
    pub hash: Option<String>,
    /// The client's address.
    pub address: Option<std::net::IpAddr>,
}

impl Browser {
    /// The key's hash, if the browser has our cookie.
    pub fn hash(&self) -> Option<&str> {
        self.hash.as_deref()
    }
}

/// What keeps other requests for an onboarding waiting while this one opens or continues its
/// identification: this instance's lock and the database lease (other instances).
pub struct Held {
    _lock: tokio::sync::OwnedMutexGuard<()>,
    _lease: Lease,
}

impl Onboardings {
    /// The service over these parts; `rate_limits` are the instance's, shared with the
    /// transport's per-address limits.
    pub fn new(
        config: Arc<Config>,
        store: Store,
        solaris: Arc<SolarisClient>,
        rate_limits: Arc<RateLimits>,
    ) -> Onboardings {
        Onboardings {
            config,
            store,
            solaris,
            rate_limits,
            locks: Mutex::default(),
            outcomes: Mutex::default(),
            document_lists: documents::DocumentLists::default(),
        }
    }

    /// The mode of an onboarding: the partner's choice for it, else the backend's default.
    pub fn mode_of(&self, onboarding: &Onboarding) -> IdentificationMode {
        onboarding.mode.unwrap_or(self.config.default_mode)
    }

    /// What the partner already knew of the browser's customer (while the onboarding is open),
    /// and how the customer identifies.
    pub async fn prefill_of_browser(
        &self,
        browser: &Browser,
    ) -> Result<(Option<Prefill>, IdentificationMode), ApiError> {
        let onboarding = match browser.hash() {
            Some(hash) => self.store.onboarding_by_browser(hash).await?,
            None => None,
        };
        let mode = onboarding
            .as_ref()
            .map_or(self.config.default_mode, |onboarding| {
                self.mode_of(onboarding)
            });
        let stored = match onboarding {
            Some(onboarding) => self.store.prefill(&onboarding.id).await?,
            None => None,
        };
        let prefill = stored
            .map(|text| serde_json::from_str::<Prefill>(&text))
            .transpose()
            .map_err(|error| ApiError::Internal(format!("stored prefill: {error}")))?;
        Ok((prefill, mode))
    }

    /// The onboarding of a browser that must have one.
    async fn bound(&self, browser_hash: Option<&str>) -> Result<Onboarding, ApiError> {
        let hash = browser_hash.ok_or(ApiError::NoOnboarding)?;
        self.store
            .onboarding_by_browser(hash)
            .await?
            .ok_or(ApiError::NoOnboarding)
    }

    /// Holds an onboarding for one request (within its rate limit) and reads it afresh once
    /// held: a request that waited finds what the one before it did. A request that waited too
    /// long for the lease is told to try again.
    pub async fn hold(&self, onboarding_id: &str) -> Result<(Held, Onboarding), ApiError> {
        self.rate_limits.check_open(onboarding_id)?;
        self.held(onboarding_id).await
    }

    /// [`Onboardings::hold`] for a call whose rate limit was checked already.
    async fn held(&self, onboarding_id: &str) -> Result<(Held, Onboarding), ApiError> {
        let lock = self.lock_for(onboarding_id).lock_owned().await;
        let (lease, onboarding) = match self.store.lease(onboarding_id).await? {
            Leased::Held(lease, onboarding) => (lease, *onboarding),
            Leased::Busy => return Err(ApiError::TooManyRequests(5)),
            Leased::Gone => return Err(ApiError::NoOnboarding),
        };
        // The customer goes on: no earlier outcome answers their next poll.
        self.forget_outcome(onboarding_id);
        Ok((
            Held {
                _lock: lock,
                _lease: lease,
            },
            onboarding,
        ))
    }

    /// The lock that serializes one onboarding's requests (from any of its browsers).
    fn lock_for(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        locks.entry(key.to_string()).or_default().clone()
    }

    /// An outcome read from Solaris that a poll which `arrived` then may answer with: one read
    /// while it waited (concurrent polls share a read), or an identification under way read
    /// less than [`OUTCOME_CACHE_FOR`] ago. An answer that stops the outcome page's polling
    /// (unfinished, final) is never served from before the poll arrived.
    fn cached_outcome(&self, onboarding_id: &str, arrived: Instant) -> Option<Outcome> {
        let mut outcomes = self
            .outcomes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        outcomes.retain(|_, (at, _)| at.elapsed() < OUTCOME_CACHE_FOR);
        let (at, outcome) = outcomes.get(onboarding_id)?;
        let under_way = outcome.state == OutcomeState::Pending;
        (*at >= arrived || under_way).then(|| outcome.clone())
    }

    /// Forgets a kept outcome: the customer went on (a session handed out again or anew).
    fn forget_outcome(&self, onboarding_id: &str) {
        self.outcomes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(onboarding_id);
    }

    /// Keeps an outcome for [`OUTCOME_CACHE_FOR`].
    fn cache_outcome(&self, onboarding_id: &str, outcome: &Outcome) {
        self.outcomes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(onboarding_id.to_string(), (Instant::now(), outcome.clone()));
    }

    /// Where a pending onboarding's open identification goes on: the session's webview, or in
    /// the API mode our signature page (which knows the step); `None` when nothing is open.
    fn open_identification_url(&self, onboarding: &Onboarding) -> Option<String> {
        match self.mode_of(onboarding) {
            IdentificationMode::Webview => onboarding.session_url.clone(),
            IdentificationMode::Api => onboarding
                .bank_identification_id
                .as_ref()
                .map(|_| pages::SIGN.to_string()),
        }
    }

    /// Whether a URL Solaris gave us may receive the customer (its host is allow-listed).
    fn is_allowed_redirect(&self, url: &str) -> bool {
        crate::config::host_of(url).is_some_and(|host| self.config.redirect_hosts.contains(&host))
    }
}

/// Outcomes that close Bankident for this customer are enforced here, whatever page the
/// browser posts from: no new session or identification is opened.
fn refuse_when_closed(onboarding: &Onboarding) -> Result<(), ApiError> {
    if onboarding.outcome_state == OnboardingState::Cancelled {
        return Err(ApiError::NoOnboarding);
    }
    if onboarding.outcome_state != OnboardingState::Final {
        return Ok(());
    }
    let Some(category) = onboarding.outcome_category else {
        return Ok(());
    };
    if !closes_bankident(category) {
        return Ok(());
    }
    match category {
        OutcomeCategory::Success | OutcomeCategory::AlreadyIdentified => {
            Err(ApiError::AlreadyIdentified)
        }
        _ => Err(ApiError::NotPossible(
            onboarding
                .error_code
                .as_deref()
                .map_or(ErrorCode::GenericError, ErrorCode::parse),
        )),
    }
}

/// Whether the onboarding's identification is over for good: cancelled, or ended in a way
/// that closes Bankident for the customer.
pub fn is_over(onboarding: &Onboarding) -> bool {
    match onboarding.outcome_state {
        OnboardingState::Cancelled => true,
        OnboardingState::Final => onboarding.outcome_category.is_some_and(closes_bankident),
        OnboardingState::NotStarted | OnboardingState::Pending => false,
    }
}

/// An IBAN from a request, or the IBAN field's error (the screens' own message for it).
pub fn parse_iban(text: &str) -> Result<Iban, ApiError> {
    Iban::parse(text).map_err(|error| {
        ApiError::Invalid(vec![FieldError::new(Field::Iban, Problem::from(error))])
    })
}

/// Now, in Unix seconds.
fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
