//! Person names as Solaris accepts them: at most 50 characters, letters and the few marks that
//! names on ID documents use, no symbols or emoji, no whitespace at either end.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::field_error::Problem;

/// Longest name Solaris accepts (its error: "is too long (maximum is 50 characters)").
pub const MAX_NAME_CHARS: usize = 50;

/// A first name (with all middle names) or last name exactly as printed on the ID document,
/// trimmed at both ends. Also used for a city of birth, which follows the same rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

/// Why a text is not a name Solaris accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    /// Nothing but whitespace.
    Empty,
    /// More than [`MAX_NAME_CHARS`] characters.
    TooLong,
    /// A digit, symbol or emoji.
    InvalidCharacters,
}

impl From<NameError> for Problem {
    fn from(error: NameError) -> Problem {
        match error {
            NameError::Empty => Problem::Required,
            NameError::TooLong => Problem::TooLong,
            NameError::InvalidCharacters => Problem::InvalidCharacters,
        }
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameError::Empty => "the name is empty",
            NameError::TooLong => "the name is longer than 50 characters",
            NameError::InvalidCharacters => "the name contains digits, symbols or emoji",
        })
    }
}

impl std::error::Error for NameError {}

/// Letters of any script and their combining accents, plus the separators found in names:
/// space, hyphen, apostrophes and the period of abbreviations such as "St.".
fn is_name_char(c: char) -> bool {
    c.is_alphabetic()
        || is_combining_mark(c)
        || matches!(
            c,
            ' ' | '-' | '\'' | '\u{2019}' | '.' | '\u{2010}' | '\u{2011}'
        )
}

/// Combining diacritical marks, for names typed in decomposed form (e + U+0301 for é).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

impl PersonName {
    /// Trims the text and checks it against Solaris' rules.
    pub fn parse(input: &str) -> Result<PersonName, NameError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if !name.chars().all(is_name_char) || !name.chars().any(char::is_alphabetic) {
            return Err(NameError::InvalidCharacters);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(NameError::TooLong);
        }
        Ok(PersonName(name.to_string()))
    }

    /// The name as entered, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PersonName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PersonName::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_names_from_id_documents() {
        for name in [
            "Leander",
            "Zierfisch",
            "Anna-Lena Maria",
            "Müller-Lüdenscheidt",
            "O'Brien",
            "D\u{2019}Angelo",
            "St. John",
            "Łukasz Żółć",
            "José",
            "Jose\u{301}",
            "Αλέξανδρος",
            "Дмитрий",
            "李",
            "X",
        ] {
            assert_eq!(PersonName::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn trims_both_ends() {
        assert_eq!(
            PersonName::parse("  Leander \t").unwrap().as_str(),
            "Leander"
        );
    }

    #[test]
    fn length_limit_is_fifty_characters_not_bytes() {
        let fifty = "ä".repeat(50);
        assert_eq!(PersonName::parse(&fifty).unwrap().as_str(), fifty);
        assert_eq!(PersonName::parse(&"ä".repeat(51)), Err(NameError::TooLong));
        assert_eq!(
            PersonName::parse(&format!(" {} ", "a".repeat(50)))
                .unwrap()
                .as_str()
                .len(),
            50
        );
    }

    #[test]
    fn rejects_empty_symbols_digits_and_emoji() {
        for (input, expected) in [
            ("", NameError::Empty),
            ("   ", NameError::Empty),
            ("Leander2", NameError::InvalidCharacters),
            ("Leander!", NameError::InvalidCharacters),
            ("Lean@der", NameError::InvalidCharacters),
            ("Leander 😀", NameError::InvalidCharacters),
            ("Lean\nder", NameError::InvalidCharacters),
            ("Lean_der", NameError::InvalidCharacters),
            ("-", NameError::InvalidCharacters),
            ("...", NameError::InvalidCharacters),
        ] {
            assert_eq!(PersonName::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn deserializing_applies_the_rules() {
        assert!(serde_json::from_str::<PersonName>("\"Leander\"").is_ok());
        assert!(serde_json::from_str::<PersonName>("\"L3ander\"").is_err());
    }
}
