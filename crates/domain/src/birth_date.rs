//! Date of birth, entered as day, month and year, checked to be a real date of an adult.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use crate::field_error::Problem;

/// Age from which a person may open the products Bankident is used for.
pub const ADULT_AGE: u8 = 18;

/// Oldest plausible age; anything older is a typo in the year.
pub const MAX_AGE: u8 = 120;

/// A customer's date of birth: a real calendar date. Serialized as Solaris' `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BirthDate(Date);

impl BirthDate {
    /// Reads the three inputs of a GOV.UK-style date field and checks the customer is an adult
    /// (at least [`ADULT_AGE`] on `today`) and not implausibly old.
    pub fn from_parts(
        day: &str,
        month: &str,
        year: &str,
        today: Date,
    ) -> Result<BirthDate, Problem> {
        let (day, month, year) = (day.trim(), month.trim(), year.trim());
        if day.is_empty() && month.is_empty() && year.is_empty() {
            return Err(Problem::Required);
        }
        if day.is_empty() || month.is_empty() || year.is_empty() {
            return Err(Problem::InvalidFormat);
        }
        let number = |text: &str, max_digits: usize| -> Result<u16, Problem> {
            if text.len() > max_digits || !text.chars().all(|c| c.is_ascii_digit()) {
                return Err(Problem::InvalidFormat);
            }
            text.parse().map_err(|_| Problem::InvalidFormat)
        };
        let (day, month) = (number(day, 2)?, number(month, 2)?);
        if year.len() != 4 {
            return Err(Problem::InvalidFormat);
        }
        let year = number(year, 4)?;
        let month = u8::try_from(month)
            .ok()
            .and_then(|m| Month::try_from(m).ok())
            .ok_or(Problem::NotARealDate)?;
        let date = Date::from_calendar_date(i32::from(year), month, day as u8)
            .map_err(|_| Problem::NotARealDate)?;
        BirthDate::checked(date, today)
    }

    /// Checks an already parsed date against `today`.
    pub fn checked(date: Date, today: Date) -> Result<BirthDate, Problem> {
        if date > today {
            return Err(Problem::InFuture);
        }
        let birth_date = BirthDate(date);
        let age = birth_date.age_on(today);
        if age < u32::from(ADULT_AGE) {
            return Err(Problem::TooYoung);
        }
        if age > u32::from(MAX_AGE) {
            return Err(Problem::TooOld);
        }
        Ok(birth_date)
    }

    /// Reads Solaris' `YYYY-MM-DD` form and applies the same checks as [`BirthDate::from_parts`].
    pub fn parse_iso(text: &str, today: Date) -> Result<BirthDate, Problem> {
        let mut parts = text.splitn(3, '-');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(year), Some(month), Some(day)) if month.len() == 2 && day.len() == 2 => {
                BirthDate::from_parts(day, month, year, today)
            }
            _ if text.trim().is_empty() => Err(Problem::Required),
            _ => Err(Problem::InvalidFormat),
        }
    }

    /// Full years of age on `today` (a person born on 29 February turns a year older on 1 March
    /// in common years).
    pub fn age_on(self, today: Date) -> u32 {
        let years = today.year() - self.0.year();
        let had_birthday =
            (today.month() as u8, today.day()) >= (self.0.month() as u8, self.0.day());
        (if had_birthday { years } else { years - 1 }).max(0) as u32
    }

    /// The calendar date.
    pub fn date(self) -> Date {
        self.0
    }
}

/// `YYYY-MM-DD`.
impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month() as u8,
            self.0.day()
        )
    }
}

impl Serialize for BirthDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deserializing checks the format and that the date is real; the age depends on the day it is
/// checked, so callers apply [`BirthDate::checked`] with their own "today".
impl<'de> Deserialize<'de> for BirthDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Date::parse(&text, format)
            .map(BirthDate)
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a date as YYYY-MM-DD")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    #[test]
    fn accepts_adults_with_or_without_leading_zeros() {
        for (day, month, year, expected) in [
            ("15", "7", "1978", date!(1978 - 07 - 15)),
            ("05", "07", "1978", date!(1978 - 07 - 05)),
            (" 1 ", " 1 ", " 2000 ", date!(2000 - 01 - 01)),
            ("29", "2", "2000", date!(2000 - 02 - 29)),
        ] {
            assert_eq!(
                BirthDate::from_parts(day, month, year, TODAY)
                    .unwrap()
                    .date(),
                expected
            );
        }
    }

    #[test]
    fn adulthood_starts_on_the_eighteenth_birthday() {
        assert!(
            BirthDate::from_parts("25", "11", "2008", TODAY).is_ok(),
            "18 today"
        );
        assert_eq!(
            BirthDate::from_parts("26", "11", "2008", TODAY),
            Err(Problem::TooYoung)
        );
        assert_eq!(
            BirthDate::from_parts("25", "11", "2026", TODAY),
            Err(Problem::TooYoung)
        );
        assert_eq!(
            BirthDate::from_parts("26", "11", "2026", TODAY),
            Err(Problem::InFuture)
        );
        assert!(
            BirthDate::from_parts("26", "11", "1905", TODAY).is_ok(),
            "121 tomorrow"
        );
        assert_eq!(
            BirthDate::from_parts("25", "11", "1905", TODAY),
            Err(Problem::TooOld)
        );
    }

    #[test]
    fn leap_day_birthdays() {
        let leap = BirthDate::from_parts("29", "2", "2008", date!(2026 - 02 - 28)).unwrap_err();
        assert_eq!(leap, Problem::TooYoung, "17 until 1 March in a common year");
        assert!(BirthDate::from_parts("29", "2", "2008", date!(2026 - 03 - 01)).is_ok());
    }

    #[test]
    fn rejects_incomplete_malformed_and_unreal_dates() {
        for (day, month, year, expected) in [
            ("", "", "", Problem::Required),
            ("15", "", "1978", Problem::InvalidFormat),
            ("15", "7", "78", Problem::InvalidFormat),
            ("15", "July", "1978", Problem::InvalidFormat),
            ("1.5", "7", "1978", Problem::InvalidFormat),
            ("-1", "7", "1978", Problem::InvalidFormat),
            ("150", "7", "1978", Problem::InvalidFormat),
            ("31", "2", "1978", Problem::NotARealDate),
            ("29", "2", "1978", Problem::NotARealDate),
            ("0", "7", "1978", Problem::NotARealDate),
            ("15", "13", "1978", Problem::NotARealDate),
            ("15", "0", "1978", Problem::NotARealDate),
        ] {
            assert_eq!(
                BirthDate::from_parts(day, month, year, TODAY),
                Err(expected),
                "{day}.{month}.{year}"
            );
        }
    }

    #[test]
    fn iso_form_round_trips() {
        let date = BirthDate::parse_iso("1978-07-15", TODAY).unwrap();
        assert_eq!(date.to_string(), "1978-07-15");
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"1978-07-15\"");
        assert_eq!(
            serde_json::from_str::<BirthDate>("\"1978-07-15\"").unwrap(),
            date
        );
        assert!(serde_json::from_str::<BirthDate>("\"1978-02-30\"").is_err());
        assert_eq!(
            BirthDate::parse_iso("15.07.1978", TODAY),
            Err(Problem::InvalidFormat)
        );
        assert_eq!(BirthDate::parse_iso("", TODAY), Err(Problem::Required));
    }
}
