//! How long what we hold is kept (GDPR Art. 5(1)(e)), as `BANKIDENT_RETENTION_*_DAYS`. The
//! defaults and their reasons are in the README; the retention job applies them.

/// The retention policy, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// An onboarding that never reached a final outcome is erased this long after its last
    /// change (`BANKIDENT_RETENTION_ABANDONED_DAYS`); so is the note that a browser's
    /// onboarding was erased.
    pub abandoned_days: i64,
    /// A finished onboarding is erased this long after its final outcome
    /// (`BANKIDENT_RETENTION_FINISHED_DAYS`).
    pub finished_days: i64,
    /// Partner events and their delivery logs are deleted this long after they happened, once
    /// no longer pending (`BANKIDENT_RETENTION_EVENT_DAYS`).
    pub event_days: i64,
    /// Records of Solaris' webhook deliveries (kept to ignore repeats) are deleted this long
    /// after they came (`BANKIDENT_RETENTION_SOLARIS_WEBHOOK_DAYS`).
    pub solaris_webhook_days: i64,
    /// Start links are deleted this long after they expired, so that until then a customer
    /// learns "expired" rather than "unknown" (`BANKIDENT_RETENTION_START_LINK_DAYS`).
    pub start_link_days: i64,
}

impl Default for RetentionPolicy {
    fn default() -> RetentionPolicy {
        RetentionPolicy {
            abandoned_days: 30,
            finished_days: 90,
            event_days: 90,
            solaris_webhook_days: 30,
            start_link_days: 7,
        }
    }
}

/// The longest retention accepted: ten years.
const MAX_DAYS: i64 = 3_650;

/// Reads the retention policy; each setting is optional.
pub fn retention_settings(get: impl Fn(&str) -> Option<String>) -> Result<RetentionPolicy, String> {
    let defaults = RetentionPolicy::default();
    let days = |name: &str, default: i64| match get(name) {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|days| (1..=MAX_DAYS).contains(days))
            .ok_or_else(|| format!("{name}={text:?} must be whole days from 1 to {MAX_DAYS}")),
    };
    Ok(RetentionPolicy {
        abandoned_days: days(
            "BANKIDENT_RETENTION_ABANDONED_DAYS",
            defaults.abandoned_days,
        )?,
        finished_days: days("BANKIDENT_RETENTION_FINISHED_DAYS", defaults.finished_days)?,
        event_days: days("BANKIDENT_RETENTION_EVENT_DAYS", defaults.event_days)?,
        solaris_webhook_days: days(
            "BANKIDENT_RETENTION_SOLARIS_WEBHOOK_DAYS",
            defaults.solaris_webhook_days,
        )?,
        start_link_days: days(
            "BANKIDENT_RETENTION_START_LINK_DAYS",
            defaults.start_link_days,
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_period_has_a_default_and_takes_whole_days_within_ten_years() {
        assert_eq!(retention_settings(|_| None), Ok(RetentionPolicy::default()));
        let set = |value: &'static str| {
            move |name: &str| {
                (name == "BANKIDENT_RETENTION_FINISHED_DAYS").then(|| value.to_string())
            }
        };
        assert_eq!(retention_settings(set("365")).unwrap().finished_days, 365);
        for refused in ["0", "3651", "-5", "a year", "1.5"] {
            let error = retention_settings(set(refused)).unwrap_err();
            assert!(
                error.starts_with("BANKIDENT_RETENTION_FINISHED_DAYS=")
                    && error.contains("1 to 3650"),
                "{error}"
            );
        }
    }
}
