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
            ("per son@example.com", Problem::InvalidFormat),
            ("person@@example.com", Problem::InvalidFormat),
        ] {
            assert_eq!(Email::parse(email), Err(expected), "{email:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(Problem::TooLong));
    }
}
