//! The emulator's clock: real time plus an offset that test controls can advance, so the
//! guide's time limits (10 minutes, 30 days) can be tested without waiting.

use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// Wall-clock time, shifted by however far tests advanced it.
#[derive(Debug, Default)]
pub struct Clock {
    offset: Mutex<Duration>,
}

impl Clock {
    /// The emulator's current time, in UTC.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + *self.offset.lock().expect("clock lock")
    }

    /// Moves the clock forward; it never goes back.
    pub fn advance(&self, by: Duration) {
        if by.is_positive() {
            *self.offset.lock().expect("clock lock") += by;
        }
    }
}

/// RFC 3339 in UTC with whole seconds, as Solaris' examples show timestamps.
pub fn format_timestamp(at: OffsetDateTime) -> String {
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&time::format_description::well_known::Rfc3339)
        .expect("a UTC timestamp always formats")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_forward_only() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::minutes(11));
        assert!(clock.now() - before >= Duration::minutes(11));
        clock.advance(Duration::minutes(-30));
        assert!(clock.now() - before >= Duration::minutes(11));
    }
}
