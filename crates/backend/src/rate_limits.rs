//! Rate limits on the calls that cost Solaris work or probe our data, with the `governor` crate
//! (GCRA). Per onboarding and per browser: opening an identification (10 a minute, bursts of
//! 5, per onboarding), the API mode's steps (codes, the bank step, the signature: 20 a minute,
//! bursts of 10, per onboarding, which also bounds guessing SMS codes) and IBAN lookups (60 a
//! minute, bursts of 20, per browser). Per client address, generous enough for many customers
//! behind one address: 30 openings and 30 start links a minute (bursts of 20), 120 API-mode
//! steps and 120 IBAN lookups a minute (bursts of 60). The partner API: 1,200 calls a minute
//! per API key (bursts of 300: a partner polling hundreds of onboardings, a nightly
//! reconciliation), and 30 refused keys a minute per client address (bursts of 10: guessing
//! keys). Over a limit: 429 with `Retry-After`. The limits live in each instance.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// Keys kept before the idle ones are dropped.
const MAX_KEYS: usize = 10_000;

/// The limits of one backend instance.
pub struct RateLimits {
    opens: DefaultKeyedRateLimiter<String>,
    steps: DefaultKeyedRateLimiter<String>,
    client_steps: DefaultKeyedRateLimiter<String>,
    lookups: DefaultKeyedRateLimiter<String>,
    client_opens: DefaultKeyedRateLimiter<String>,
    client_lookups: DefaultKeyedRateLimiter<String>,
    client_start_links: DefaultKeyedRateLimiter<String>,
    partner_calls: DefaultKeyedRateLimiter<String>,
    refused_keys: DefaultKeyedRateLimiter<String>,
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

fn quota(per_minute: u32, burst: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute).expect("a positive rate"))
        .allow_burst(NonZeroU32::new(burst).expect("a positive burst"))
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        RateLimits {
            opens: RateLimiter::keyed(quota(10, 5)),
            steps: RateLimiter::keyed(quota(20, 10)),
            client_steps: RateLimiter::keyed(quota(120, 60)),
            lookups: RateLimiter::keyed(quota(60, 20)),
            client_opens: RateLimiter::keyed(quota(30, 20)),
            client_lookups: RateLimiter::keyed(quota(120, 60)),
            client_start_links: RateLimiter::keyed(quota(30, 20)),
            partner_calls: RateLimiter::keyed(quota(1_200, 300)),
            refused_keys: RateLimiter::keyed(quota(30, 10)),
        }
    }
}

impl RateLimits {
    /// An identification opened (or continued) for an onboarding.
    pub fn check_open(&self, onboarding_id: &str) -> Result<(), ApiError> {
        check(&self.opens, "open_per_onboarding", onboarding_id)
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
        let (limiter, door) = match call {
            ClientCall::Open => (&self.client_opens, "open_per_client"),
            ClientCall::Lookup => (&self.client_lookups, "lookup_per_client"),
            ClientCall::StartLink => (&self.client_start_links, "start_link_per_client"),
            ClientCall::Step => (&self.client_steps, "step_per_client"),
        };
        check(limiter, door, &address.to_string())
    }

    /// A step of the API mode for an onboarding.
    pub fn check_step(&self, onboarding_id: &str) -> Result<(), ApiError> {
        check(&self.steps, "step_per_onboarding", onboarding_id)
    }

    /// A partner API call made with the API key of this name.
    pub fn check_partner_call(&self, key_name: &str) -> Result<(), ApiError> {
        check(&self.partner_calls, "partner_per_key", key_name)
    }

    /// A partner API call refused for its key, from a client address (`None`: not known; they
    /// share one budget).
    pub fn check_refused_key(&self, address: Option<std::net::IpAddr>) -> Result<(), ApiError> {
        let address = address.map_or_else(|| "unknown".to_string(), |address| address.to_string());
        check(&self.refused_keys, "partner_wrong_key_per_client", &address)
    }

    /// An IBAN lookup from a browser (`None`: one without our cookie; they share one budget).
    pub fn check_lookup(&self, browser: Option<&str>) -> Result<(), ApiError> {
        check(
            &self.lookups,
            "lookup_per_browser",
            browser.unwrap_or("without a cookie"),
        )
    }
}

/// Takes one call from `key`'s budget at `door` (a refusal is counted under the door's name).
fn check(
    limiter: &DefaultKeyedRateLimiter<String>,
    door: &'static str,
    key: &str,
) -> Result<(), ApiError> {
    if limiter.len() > MAX_KEYS {
        limiter.retain_recent();
    }
    limiter.check_key(&key.to_string()).map_err(|not_until| {
        crate::telemetry::metrics::rate_limited(door);
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::TooManyRequests(wait.as_secs() + 1)
    })
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
}
