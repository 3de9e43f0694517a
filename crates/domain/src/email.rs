//! Email address, checked with the `email_address` crate (RFC 5321/5322) plus the rule that a
//! customer's address needs a domain with a dot.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::field_error::Problem;

/// Longest email address that can be delivered to (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// A customer's email address, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Trims and checks an email address.
    pub fn parse(input: &str) -> Result<Email, Problem> {
        let email = input.trim();
        if email.is_empty() {
            return Err(Problem::Required);
        }
        if email.chars().count() > MAX_EMAIL_CHARS {
            return Err(Problem::TooLong);
        }
        // RFC 5322 allows quoted local parts with almost anything in them; a customer's address
        // needs none of that, and markup or invisible direction marks in it would reach Solaris'
        // records and every screen that shows it.
        if email.chars().any(is_refused_in_email) {
            return Err(Problem::InvalidCharacters);
        }
        let domain_has_dot = email
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
        if !domain_has_dot || !email_address::EmailAddress::is_valid(email) {
            return Err(Problem::InvalidFormat);
        }
        Ok(Email(email.to_string()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters no customer's address needs: whitespace, quotes, markup, control characters, and
/// the invisible format characters that reorder or hide text (bidi controls, zero-width marks).
fn is_refused_in_email(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '"' | '<' | '>' | '\\' | '(' | ')' | ',' | ';' | '[' | ']'
        )
        || matches!(
            c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Email::parse(&text).map_err(|_| serde::de::Error::custom("not a valid email address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for email in ["person@example.com", "anna.lena+bank@müller.de", " x@y.io "] {
            assert_eq!(Email::parse(email).unwrap().as_str(), email.trim());
        }
    }

    #[test]
    fn rejects_what_cannot_receive_mail() {
        for (email, expected) in [
            ("", Problem::Required),
            ("person", Problem::InvalidFormat),
            ("person@", Problem::InvalidFormat),
            ("@example.com", Problem::InvalidFormat),
            ("person@localhost", Problem::InvalidFormat),
            ("person@example.", Problem::InvalidFormat),
            ("per son@example.com", Problem::InvalidCharacters),
            ("person@@example.com", Problem::InvalidFormat),
        ] {
            assert_eq!(Email::parse(email), Err(expected), "{email:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(Problem::TooLong));
    }

    #[test]
    fn refuses_markup_quotes_and_invisible_direction_marks() {
        for email in [
            "\"<script>\"@example.com",
            "<b>anna</b>@example.com",
            "anna\u{202E}moc.elpmaxe@example.com",
            "anna\u{200B}@example.com",
            "anna@exam\u{2066}ple.com",
            "anna\u{0007}@example.com",
        ] {
            assert_eq!(
                Email::parse(email),
                Err(Problem::InvalidCharacters),
                "{email:?}"
            );
        }
    }
}
