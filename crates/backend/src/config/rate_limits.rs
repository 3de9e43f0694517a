//! The rate limits' settings: one quota per door (`BANKIDENT_RATE_LIMIT_<DOOR>`, as
//! `PER_MINUTE/BURST`), with defaults that hold for a busy hour. German mobile networks put many
//! customers behind one carrier-grade NAT address, so the per-address doors are generous and
//! an operator can raise them without a rebuild; the refusals show in the metrics by door.

/// Where a rate limit applies: what is counted, and per what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Door {
    /// Opening or continuing an identification, per onboarding.
    OpenPerOnboarding,
    /// The API mode's steps (codes, bank step, signature), per onboarding: this also bounds
    /// guessing SMS codes.
    StepPerOnboarding,
    /// IBAN lookups, per browser.
    LookupPerBrowser,
    /// Openings, per client address.
    OpenPerClient,
    /// IBAN lookups, per client address.
    LookupPerClient,
    /// Start links opened, per client address.
    StartLinkPerClient,
    /// The API mode's steps, per client address.
    StepPerClient,
    /// Partner API calls, per API key.
    PartnerPerKey,
    /// Partner API calls with a wrong key, per client address (guessing keys).
    PartnerWrongKeyPerClient,
}

/// A quota: so many a minute, and so many at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Calls a minute, on average.
    pub per_minute: u32,
    /// Calls at once after a quiet while.
    pub burst: u32,
}

impl Door {
    /// Every door.
    pub const ALL: [Door; 9] = [
        Door::OpenPerOnboarding,
        Door::StepPerOnboarding,
        Door::LookupPerBrowser,
        Door::OpenPerClient,
        Door::LookupPerClient,
        Door::StartLinkPerClient,
        Door::StepPerClient,
        Door::PartnerPerKey,
        Door::PartnerWrongKeyPerClient,
    ];

    /// The door's name: the metrics' `door` label, and (upper-cased) its setting's suffix.
    pub fn name(self) -> &'static str {
        self.about().0
    }

    /// The quota when none is configured.
    pub fn default_limit(self) -> Limit {
        let (_, per_minute, burst) = self.about();
        Limit { per_minute, burst }
    }

    /// The setting that changes its quota.
    pub fn variable(self) -> String {
        format!("BANKIDENT_RATE_LIMIT_{}", self.name().to_ascii_uppercase())
    }

    fn about(self) -> (&'static str, u32, u32) {
        match self {
            Door::OpenPerOnboarding => ("open_per_onboarding", 10, 5),
            Door::StepPerOnboarding => ("step_per_onboarding", 20, 10),
            Door::LookupPerBrowser => ("lookup_per_browser", 60, 20),
            Door::OpenPerClient => ("open_per_client", 30, 20),
            Door::LookupPerClient => ("lookup_per_client", 120, 60),
            Door::StartLinkPerClient => ("start_link_per_client", 30, 20),
            Door::StepPerClient => ("step_per_client", 120, 60),
            Door::PartnerPerKey => ("partner_per_key", 1_200, 300),
            Door::PartnerWrongKeyPerClient => ("partner_wrong_key_per_client", 30, 10),
        }
    }
}

/// The quota of every door, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitSettings {
    limits: Vec<(Door, Limit)>,
}

impl Default for RateLimitSettings {
    fn default() -> RateLimitSettings {
        RateLimitSettings {
            limits: Door::ALL
                .iter()
                .map(|door| (*door, door.default_limit()))
                .collect(),
        }
    }
}

impl RateLimitSettings {
    /// The quota of a door.
    pub fn limit(&self, door: Door) -> Limit {
        self.limits
            .iter()
            .find(|(known, _)| *known == door)
            .map_or_else(|| door.default_limit(), |(_, limit)| *limit)
    }
}

/// Reads every door's `BANKIDENT_RATE_LIMIT_<DOOR>` (`PER_MINUTE/BURST`, both 1 to 1,000,000).
pub fn rate_limit_settings(
    get: impl Fn(&str) -> Option<String>,
) -> Result<RateLimitSettings, String> {
    let limits = Door::ALL
        .iter()
        .map(|door| {
            let name = door.variable();
            let limit = match get(&name) {
                None => door.default_limit(),
                Some(text) => parse_limit(&text).ok_or_else(|| {
                    let default = door.default_limit();
                    format!(
                        "{name}={text:?} must be calls a minute and a burst, such as {}/{}",
                        default.per_minute, default.burst
                    )
                })?,
            };
            Ok((*door, limit))
        })
        .collect::<Result<_, String>>()?;
    Ok(RateLimitSettings { limits })
}

fn parse_limit(text: &str) -> Option<Limit> {
    let (per_minute, burst) = text.trim().split_once('/')?;
    let number = |text: &str| {
        text.trim()
            .parse::<u32>()
            .ok()
            .filter(|value| (1..=1_000_000).contains(value))
    };
    Some(Limit {
        per_minute: number(per_minute)?,
        burst: number(burst)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_door_has_a_default_and_a_setting_that_changes_it() {
        let defaults = rate_limit_settings(|_| None).unwrap();
        assert_eq!(
            defaults.limit(Door::OpenPerClient),
            Limit {
                per_minute: 30,
                burst: 20
            }
        );
        assert_eq!(
            Door::OpenPerClient.variable(),
            "BANKIDENT_RATE_LIMIT_OPEN_PER_CLIENT"
        );
        let raised = rate_limit_settings(|name| {
            (name == "BANKIDENT_RATE_LIMIT_OPEN_PER_CLIENT").then(|| "600 / 200".to_string())
        })
        .unwrap();
        assert_eq!(
            raised.limit(Door::OpenPerClient),
            Limit {
                per_minute: 600,
                burst: 200
            }
        );
        for wrong in ["600", "0/5", "ten/5", "5/"] {
            let error = rate_limit_settings(|name| {
                (name == "BANKIDENT_RATE_LIMIT_PARTNER_PER_KEY").then(|| wrong.to_string())
            })
            .unwrap_err();
            assert!(
                error.starts_with("BANKIDENT_RATE_LIMIT_PARTNER_PER_KEY")
                    && error.contains("1200/300"),
                "{error}"
            );
        }
    }
}
