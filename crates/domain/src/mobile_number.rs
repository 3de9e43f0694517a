//! Mobile numbers in international E.164 form. Solaris supports every country calling code
//! except Iran (+98) and North Korea (+850) (the guide's FAQ).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::field_error::Problem;

/// Fewest digits of a callable international number, country code included (small islands).
pub const MIN_DIGITS: usize = 7;
/// Most digits E.164 allows, country code included.
pub const MAX_DIGITS: usize = 15;

/// Country calling codes Solaris does not support.
const UNSUPPORTED_CALLING_CODES: [&str; 2] = ["98", "850"];

/// A mobile number as `+` and digits, e.g. `+4915123456789` or the sandbox's `+15550101`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct MobileNumber(String);

/// Characters people put between digits: spaces, dashes, slashes, dots, brackets, underscores.
fn is_filler(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '/' | '.' | '(' | ')' | '_' | '\u{2010}'..='\u{2015}'
        )
}

impl MobileNumber {
    /// Reads a number as people write it: `+49 151 2345-6789`, `0049 151 23456789`, or a German
    /// national number such as `0151 23456789`, which gets the German country code.
    pub fn parse(input: &str) -> Result<MobileNumber, Problem> {
        let compact: String = input.chars().filter(|c| !is_filler(*c)).collect();
        if compact.is_empty() {
            return Err(Problem::Required);
        }
        let digits = if let Some(rest) = compact.strip_prefix('+') {
            rest.to_string()
        } else if let Some(rest) = compact.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = compact.strip_prefix('0') {
            format!("49{rest}")
        } else {
            return Err(Problem::InvalidFormat);
        };
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Problem::InvalidCharacters);
        }
        if digits.starts_with('0') {
            return Err(Problem::InvalidFormat);
        }
        if digits.len() < MIN_DIGITS {
            return Err(Problem::TooShort);
        }
        if digits.len() > MAX_DIGITS {
            return Err(Problem::TooLong);
        }
        if UNSUPPORTED_CALLING_CODES
            .iter()
            .any(|code| digits.starts_with(code))
        {
            return Err(Problem::CountryNotSupported);
        }
        Ok(MobileNumber(format!("+{digits}")))
    }

    /// The E.164 form, e.g. `+4915123456789`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MobileNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        MobileNumber::parse(&text).map_err(|problem| {
            serde::de::Error::custom(format!("invalid mobile number: {}", problem.code()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_to_e164() {
        for (input, expected) in [
            ("+15550101", "+15550101"),
            ("+49 151 23456789", "+4915123456789"),
            ("+49-151-2345-6789", "+4915123456789"),
            ("0049 151 23456789", "+4915123456789"),
            ("0151 / 234 567 89", "+4915123456789"),
            ("+43 664 1234567", "+436641234567"),
            ("+852 9123 4567", "+85291234567"),
            ("+1 (555) 010-1234", "+15550101234"),
        ] {
            let number = MobileNumber::parse(input).unwrap_or_else(|p| panic!("{input:?}: {p:?}"));
            assert_eq!(number.as_str(), expected, "{input:?}");
        }
    }

    #[test]
    fn rejects_iran_and_north_korea() {
        for input in ["+98 912 345 6789", "0098 912 345 6789", "+850 191 234 5678"] {
            assert_eq!(
                MobileNumber::parse(input),
                Err(Problem::CountryNotSupported),
                "{input}"
            );
        }
        // Neighbouring codes are fine: +852 Hong Kong, +855 Cambodia, +9 India-area codes.
        for input in [
            "+852 9123 4567",
            "+855 12 345 678",
            "+91 98765 43210",
            "+989",
        ] {
            let result = MobileNumber::parse(input);
            assert_ne!(result, Err(Problem::CountryNotSupported), "{input}");
        }
    }

    #[test]
    fn length_limits_count_digits_with_country_code() {
        assert_eq!(
            MobileNumber::parse("+123456").unwrap_err(),
            Problem::TooShort
        );
        assert!(MobileNumber::parse("+1234567").is_ok(), "7 digits");
        assert!(MobileNumber::parse("+123456789012345").is_ok(), "15 digits");
        assert_eq!(
            MobileNumber::parse("+1234567890123456").unwrap_err(),
            Problem::TooLong
        );
    }

    #[test]
    fn rejects_garbage_specifically() {
        for (input, expected) in [
            ("", Problem::Required),
            (" - ", Problem::Required),
            ("151 23456789", Problem::InvalidFormat),
            ("+49 151 ABC", Problem::InvalidCharacters),
            ("+49 151 2345#", Problem::InvalidCharacters),
            ("+0151 23456789", Problem::InvalidFormat),
        ] {
            assert_eq!(MobileNumber::parse(input), Err(expected), "{input:?}");
        }
    }
}
