//! Salutation: Mr, Ms, or none (Solaris takes `null` for people who want neither).

use serde::{Deserialize, Serialize};

use crate::field_error::Problem;

/// How the customer wants to be addressed. Serialized as Solaris expects: `"MR"`, `"MS"`, and
/// `null` for [`Salutation::None`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Salutation {
    /// Mr / Herr.
    #[serde(rename = "MR")]
    Mr,
    /// Ms / Frau.
    #[serde(rename = "MS")]
    Ms,
    /// No salutation.
    #[serde(rename = "NONE")]
    None,
}

impl Salutation {
    /// Every choice, in the order a form offers them.
    pub const ALL: [Salutation; 3] = [Salutation::Mr, Salutation::Ms, Salutation::None];

    /// The value of the form control for this choice.
    pub fn form_value(self) -> &'static str {
        match self {
            Salutation::Mr => "MR",
            Salutation::Ms => "MS",
            Salutation::None => "NONE",
        }
    }

    /// Reads a form control's value; an empty value means the customer chose nothing.
    pub fn parse(value: &str) -> Result<Salutation, Problem> {
        Salutation::ALL
            .into_iter()
            .find(|s| s.form_value() == value)
            .ok_or(if value.is_empty() {
                Problem::Required
            } else {
                Problem::UnknownValue
            })
    }

    /// The value of Solaris' `salutation` field: `Some("MR")`, `Some("MS")` or `None` (JSON null).
    pub fn solaris_value(self) -> Option<&'static str> {
        match self {
            Salutation::Mr => Some("MR"),
            Salutation::Ms => Some("MS"),
            Salutation::None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_round_trip_and_none_is_null_for_solaris() {
        for salutation in Salutation::ALL {
            assert_eq!(Salutation::parse(salutation.form_value()), Ok(salutation));
        }
        assert_eq!(Salutation::None.solaris_value(), None);
        assert_eq!(Salutation::Ms.solaris_value(), Some("MS"));
        assert_eq!(Salutation::parse(""), Err(Problem::Required));
        assert_eq!(Salutation::parse("DR"), Err(Problem::UnknownValue));
    }
}
