//! Rate limits on the calls that cost Solaris work or probe our data, with the `governor` crate
//! (GCRA): one limiter per door of [`crate::config::rate_limits`], whose quotas (defaults and
//! settings) live there. Per onboarding and per browser, opening an identification, the API
//! mode's steps (which also bounds guessing SMS codes) and IBAN lookups; per client address,
//! generously (many customers share one address), openings, start links, steps and lookups;
//! the partner API per API key, and calls with a wrong key per client address. Over a limit:
//! 429 with `Retry-After`, counted by door in the metrics. The limits live in each instance.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::rate_limits::{Door, Limit, RateLimitSettings};
use crate::error::ApiError;

/// Keys kept before the idle ones are dropped.
const MAX_KEYS: usize = 10_000;

/// The limits of one backend instance: a limiter per door.
pub struct RateLimits {
    limiters: Vec<(Door, DefaultKeyedRateLimiter<String>)>,
}

/// What a client asks for, for its per-address limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientCall {
    /// Opening or continuing an identification.
    Open,
    /// An IBAN lookup.
    Lookup,
    /// Opening a start link.
    StartLink,
    /// A step of the API mode.
    Step,
}

fn quota(limit: Limit) -> Quota {
    let positive = |value: u32| NonZeroU32::new(value).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(positive(limit.per_minute)).allow_burst(positive(limit.burst))
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        RateLimits::new(&RateLimitSettings::default())
    }
}

impl RateLimits {
    /// The limits of `settings`.
    pub fn new(settings: &RateLimitSettings) -> RateLimits {
        RateLimits {
            limiters: Door::ALL
                .iter()
                .map(|door| (*door, RateLimiter::keyed(quota(settings.limit(*door)))))
                .collect(),
        }
    }

    /// An identification opened (or continued) for an onboarding.
    pub fn check_open(&self, onboarding_id: &str) -> Result<(), ApiError> {
        self.check(Door::OpenPerOnboarding, onboarding_id)
    }

    /// A call from a client address; `None` (the address is not known: a request that did not
    /// come through [`crate::serve::serve`]) is not limited here.
    pub fn check_client(
        &self,
        call: ClientCall,
        address: Option<std::net::IpAddr>,
    ) -> Result<(), ApiError> {
        let Some(address) = address else {
            return Ok(());
        };
        let door = match call {
            ClientCall::Open => Door::OpenPerClient,
            ClientCall::Lookup => Door::LookupPerClient,
            ClientCall::StartLink => Door::StartLinkPerClient,
            ClientCall::Step => Door::StepPerClient,
        };
        self.check(door, &address.to_string())
    }

    /// A step of the API mode for an onboarding.
    pub fn check_step(&self, onboarding_id: &str) -> Result<(), ApiError> {
        self.check(Door::StepPerOnboarding, onboarding_id)
    }

    /// A partner API call made with the API key of this name.
    pub fn check_partner_call(&self, key_name: &str) -> Result<(), ApiError> {
        self.check(Door::PartnerPerKey, key_name)
    }

    /// A partner API call refused for its key, from a client address (`None`: not known; they
    /// share one budget).
    pub fn check_refused_key(&self, address: Option<std::net::IpAddr>) -> Result<(), ApiError> {
        let address = address.map_or_else(|| "unknown".to_string(), |address| address.to_string());
        self.check(Door::PartnerWrongKeyPerClient, &address)
    }

    /// An IBAN lookup from a browser (`None`: one without our cookie; they share one budget).
    pub fn check_lookup(&self, browser: Option<&str>) -> Result<(), ApiError> {
        self.check(
            Door::LookupPerBrowser,
            browser.unwrap_or("without a cookie"),
        )
    }

    /// Takes one call from `key`'s budget at `door` (a refusal is counted under the door's
    /// name).
    fn check(&self, door: Door, key: &str) -> Result<(), ApiError> {
        let Some((_, limiter)) = self.limiters.iter().find(|(known, _)| *known == door) else {
            return Ok(());
        };
        if limiter.len() > MAX_KEYS {
            limiter.retain_recent();
        }
        limiter.check_key(&key.to_string()).map_err(|not_until| {
            crate::telemetry::metrics::rate_limited(door.name());
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::TooManyRequests(wait.as_secs() + 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_next_call_waits() {
        let limits = RateLimits::default();
        for _ in 0..5 {
            assert!(limits.check_open("o1").is_ok());
        }
        match limits.check_open("o1") {
            Err(ApiError::TooManyRequests(seconds)) => {
                assert!((1..=7).contains(&seconds), "{seconds}")
            }
            other => panic!("{other:?}"),
        }
        assert!(
            limits.check_open("o2").is_ok(),
            "each onboarding has its own budget"
        );
        for _ in 0..20 {
            assert!(limits.check_lookup(Some("b1")).is_ok());
        }
        assert!(limits.check_lookup(Some("b1")).is_err());
    }

    #[test]
    fn a_configured_quota_replaces_the_default() {
        let settings = crate::config::rate_limits::rate_limit_settings(|name| {
            (name == "BANKIDENT_RATE_LIMIT_OPEN_PER_ONBOARDING").then(|| "60/2".to_string())
        })
        .unwrap();
        let limits = RateLimits::new(&settings);
        assert!(limits.check_open("o1").is_ok() && limits.check_open("o1").is_ok());
        assert!(limits.check_open("o1").is_err(), "a burst of 2");
    }
}
