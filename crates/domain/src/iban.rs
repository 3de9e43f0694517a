//! German IBANs: parsing what people type or paste, the errors they need to hear about, and the
//! grouping in fours while they type.

use std::fmt;

use iban::IbanLike;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::field_error::Problem;

/// Length of every German IBAN: `DE`, 2 check digits, 8-digit bank code, 10-digit account number.
pub const GERMAN_IBAN_LENGTH: usize = 22;

/// A valid German IBAN (Bankident supports German IBANs only).
///
/// Valid means: country DE, 22 characters, digits after the country code, and correct check
/// digits (ISO 13616 mod-97, via `iban_validate`). The account's own check-digit method is not
/// checked here; Solaris' account check is authoritative.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Iban(iban::Iban);

/// Why a text is not a valid German IBAN. Each kind gets its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IbanError {
    /// Nothing was entered.
    Empty,
    /// Something other than letters and digits (separators aside), or letters after `DE`.
    InvalidCharacters,
    /// Not a German IBAN: it does not start with `DE`.
    NotGerman,
    /// Fewer than 22 characters.
    TooShort,
    /// More than 22 characters.
    TooLong,
    /// The check digits do not match the rest: most likely a typo.
    CheckDigits,
}

impl fmt::Display for IbanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IbanError::Empty => "the IBAN is empty",
            IbanError::InvalidCharacters => {
                "the IBAN contains characters other than letters and digits"
            }
            IbanError::NotGerman => "the IBAN is not German (it must start with DE)",
            IbanError::TooShort => "the IBAN is too short (a German IBAN has 22 characters)",
            IbanError::TooLong => "the IBAN is too long (a German IBAN has 22 characters)",
            IbanError::CheckDigits => "the IBAN's check digits do not match (probably a typo)",
        })
    }
}

impl std::error::Error for IbanError {}

impl From<IbanError> for Problem {
    fn from(error: IbanError) -> Problem {
        match error {
            IbanError::Empty => Problem::Required,
            IbanError::InvalidCharacters => Problem::InvalidCharacters,
            IbanError::NotGerman => Problem::NotGerman,
            IbanError::TooShort => Problem::TooShort,
            IbanError::TooLong => Problem::TooLong,
            IbanError::CheckDigits => Problem::CheckDigits,
        }
    }
}

/// Whether a character only separates groups (spaces of any kind, hyphens and dashes).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// The IBAN's characters without separators, upper-cased: the electronic form, if it is valid.
/// ASCII upper-casing is enough (an IBAN is ASCII; anything else is reported as a wrong
/// character) and keeps Unicode's case tables out of the web app.
pub fn normalise(input: &str) -> String {
    input
        .chars()
        .filter(|c| !is_separator(*c))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl Iban {
    /// Parses an IBAN as people type or paste it: any spacing, hyphens, lower case.
    pub fn parse(input: &str) -> Result<Iban, IbanError> {
        let electronic = normalise(input);
        if electronic.is_empty() {
            return Err(IbanError::Empty);
        }
        if !electronic.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(IbanError::InvalidCharacters);
        }
        if !"DE".starts_with(&electronic[..electronic.len().min(2)]) {
            return Err(IbanError::NotGerman);
        }
        if electronic.len() < GERMAN_IBAN_LENGTH {
            return Err(IbanError::TooShort);
        }
        if electronic.len() > GERMAN_IBAN_LENGTH {
            return Err(IbanError::TooLong);
        }
        if !electronic[2..].chars().all(|c| c.is_ascii_digit()) {
            return Err(IbanError::InvalidCharacters);
        }
        // Country, length and characters are settled above, so the checksum is all that is left.
        electronic
            .parse::<iban::Iban>()
            .map(Iban)
            .map_err(|_| IbanError::CheckDigits)
    }

    /// The electronic form: 22 characters, no spaces (`DE11110101010100000020`).
    pub fn electronic(&self) -> &str {
        self.0.electronic_str()
    }

    /// The 8-digit German bank code (Bankleitzahl, BLZ).
    pub fn bank_code(&self) -> &str {
        &self.electronic()[4..12]
    }

    /// The 10-digit account number, left-padded with zeros as in the IBAN.
    pub fn account_number(&self) -> &str {
        &self.electronic()[12..]
    }
}

/// The paper form, in groups of four: `DE11 1101 0101 0100 0000 20`.
impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({})", self.electronic())
    }
}

impl std::str::FromStr for Iban {
    type Err = IbanError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Iban::parse(s)
    }
}

/// Serialized in the electronic form, which is what Solaris expects.
impl Serialize for Iban {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.electronic())
    }
}

/// Deserializing validates again: an invalid IBAN never gets in through JSON.
impl<'de> Deserialize<'de> for Iban {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Iban::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The text of an IBAN field and its caret, after formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IbanInput {
    /// Upper-cased, in groups of four separated by single spaces.
    pub text: String,
    /// The caret's new position, counted in characters.
    pub caret: usize,
}

/// Formats a partially typed IBAN in groups of four and carries the caret along.
///
/// `caret` is a position in `raw`, counted in characters. The caret keeps its place relative to
/// the characters that matter: if it stood after the 5th letter or digit, it stands after the
/// 5th one in the result, whatever spaces were added or removed before it. Characters that are
/// not separators are kept even if invalid, so the customer sees what validation complains about.
pub fn format_iban_input(raw: &str, caret: usize) -> IbanInput {
    let significant_before_caret = raw
        .chars()
        .take(caret)
        .filter(|c| !is_separator(*c))
        .count();
    let mut text = String::with_capacity(raw.len() + raw.len() / 4);
    let mut new_caret = 0;
    for (index, c) in normalise(raw).chars().enumerate() {
        if index > 0 && index % 4 == 0 {
            text.push(' ');
        }
        text.push(c);
        if index < significant_before_caret {
            new_caret = text.chars().count();
        }
    }
    IbanInput {
        text,
        caret: new_caret,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guide's mocked sandbox IBANs (Appendix II): all valid, all at bank code 11010101.
    const SANDBOX_IBANS: [(&str, &str); 8] = [
        ("DE11110101010100000020", "0100000020"),
        ("DE43110101010000000010", "0000000010"),
        ("DE22110101010100000016", "0100000016"),
        ("DE33110101010100000012", "0100000012"),
        ("DE44110101010100000008", "0100000008"),
        ("DE55110101010100000004", "0100000004"),
        ("DE66110101010100000000", "0100000000"),
        ("DE77110101010100000093", "0100000093"),
    ];

    #[test]
    fn every_sandbox_iban_is_valid() {
        for (text, account) in SANDBOX_IBANS {
            let iban = Iban::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(iban.electronic(), text);
            assert_eq!(iban.bank_code(), "11010101");
            assert_eq!(iban.account_number(), account);
        }
    }

    #[test]
    fn accepts_what_people_type_and_paste() {
        for input in [
            "DE11110101010100000020",
            "DE11 1101 0101 0100 0000 20",
            "de11 1101 0101 0100 0000 20",
            "  DE11-1101-0101-0100-0000-20 ",
            "DE11\u{a0}1101\u{a0}0101\u{a0}0100\u{a0}0000\u{a0}20",
            "DE1111010101  0100000020",
        ] {
            let iban = Iban::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(iban.electronic(), "DE11110101010100000020");
        }
    }

    #[test]
    fn displays_in_groups_of_four() {
        let iban = Iban::parse("DE11110101010100000020").unwrap();
        assert_eq!(iban.to_string(), "DE11 1101 0101 0100 0000 20");
    }

    #[test]
    fn rejects_each_kind_of_mistake_specifically() {
        for (input, expected) in [
            ("", IbanError::Empty),
            ("   ", IbanError::Empty),
            (" - ", IbanError::Empty),
            ("DE11 1101 0101 0100 0000 2!", IbanError::InvalidCharacters),
            ("DE11_1101010101000000_20", IbanError::InvalidCharacters),
            ("DE11 1101 0101 0100 0000 2O", IbanError::InvalidCharacters),
            ("DE11 1101 0101 0100 0000 2😀", IbanError::InvalidCharacters),
            // A valid IBAN, but British: Bankident takes German IBANs only.
            ("GB82 WEST 1234 5698 7654 32", IbanError::NotGerman),
            ("AT61 1904 3002 3457 3201", IbanError::NotGerman),
            ("X", IbanError::NotGerman),
            ("1234", IbanError::NotGerman),
            ("D", IbanError::TooShort),
            ("DE", IbanError::TooShort),
            ("DE11 1101 0101 0100 0000 2", IbanError::TooShort),
            ("DE11 1101 0101 0100 0000 200", IbanError::TooLong),
            ("DE11 1101 0101 0100 0000 21", IbanError::CheckDigits),
            ("DE12 1101 0101 0100 0000 20", IbanError::CheckDigits),
            ("DE00 1101 0101 0100 0000 20", IbanError::CheckDigits),
        ] {
            assert_eq!(Iban::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn errors_map_to_field_problems() {
        assert_eq!(Problem::from(IbanError::Empty), Problem::Required);
        assert_eq!(Problem::from(IbanError::NotGerman), Problem::NotGerman);
        assert_eq!(Problem::from(IbanError::CheckDigits), Problem::CheckDigits);
    }

    #[test]
    fn serde_uses_the_electronic_form_and_validates_again() {
        let iban = Iban::parse("DE11 1101 0101 0100 0000 20").unwrap();
        let json = serde_json::to_string(&iban).unwrap();
        assert_eq!(json, "\"DE11110101010100000020\"");
        assert_eq!(serde_json::from_str::<Iban>(&json).unwrap(), iban);
        assert_eq!(
            serde_json::from_str::<Iban>("\"de11 1101 0101 0100 0000 20\"").unwrap(),
            iban
        );
        for bad in [
            "\"DE11110101010100000021\"",
            "\"GB82WEST12345698765432\"",
            "\"\"",
            "42",
        ] {
            assert!(serde_json::from_str::<Iban>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_while_typing_and_keeps_the_caret_in_place() {
        // (raw text, caret in raw) -> (formatted text, caret in formatted); `|` marks the caret.
        for (raw, caret, text, new_caret) in [
            ("", 0, "", 0),
            ("d", 1, "D", 1),
            ("DE12", 4, "DE12", 4),
            // The fifth character starts a new group; the caret follows it past the space.
            ("DE123", 5, "DE12 3", 6),
            ("DE12 3456 7", 11, "DE12 3456 7", 11),
            // Typing in the middle of a group moves the rest along, caret right after the new digit.
            ("DE12 39456", 7, "DE12 3945 6", 7),
            // Typing at the end of a full group: "DE12 3456|" + "7".
            ("DE12 34567", 10, "DE12 3456 7", 11),
            // Deleting in the middle: "DE12 3|456 78" minus "3".
            ("DE12 456 78", 5, "DE12 4567 8", 4),
            // A paste with odd spacing and lower case, caret at its end.
            (
                "de11 11010101 0100-0000 20",
                26,
                "DE11 1101 0101 0100 0000 20",
                27,
            ),
            // Caret at the very start stays there.
            ("DE123456", 0, "DE12 3456", 0),
            // Caret on a separator: after the 4 characters before it.
            ("DE12 3456", 5, "DE12 3456", 4),
            // Invalid characters stay visible so validation can point at them.
            ("DE1!23", 6, "DE1! 23", 7),
        ] {
            let formatted = format_iban_input(raw, caret);
            assert_eq!(
                formatted,
                IbanInput {
                    text: text.to_string(),
                    caret: new_caret
                },
                "{raw:?} caret {caret}"
            );
        }
    }

    #[test]
    fn caret_past_the_end_is_clamped() {
        assert_eq!(
            format_iban_input("DE12", 99),
            IbanInput {
                text: "DE12".into(),
                caret: 4
            }
        );
    }
}
