//! The emulator's clock: real time plus an offset that test controls can advance, so the
//! guide's time limits (10 minutes, 30 days) can be tested without waiting.

use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// How far the clock may be ahead of real time in all: 10 years, far beyond the guide's longest
/// limit (30 days), and far from the end of the representable dates.
pub const MAX_OFFSET: Duration = Duration::days(3_653);

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

    /// Moves the clock forward; it never goes back, nor further than [`MAX_OFFSET`] ahead of
    /// real time (then nothing moves and `false` says so).
    pub fn advance(&self, by: Duration) -> bool {
        let mut offset = self.offset.lock().expect("clock lock");
        match offset.checked_add(by) {
            Some(moved) if by.is_positive() && moved <= MAX_OFFSET => {
                *offset = moved;
                true
            }
            _ => false,
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
        assert!(!clock.advance(Duration::minutes(-30)));
        assert!(clock.now() - before >= Duration::minutes(11));
        assert!(!clock.advance(Duration::seconds(400_000_000_000)));
        assert!(!clock.advance(Duration::MAX));
        assert!(clock.now() - before < Duration::days(1), "nothing moved");
    }
}
