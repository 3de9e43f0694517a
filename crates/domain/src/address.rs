//! Postal address (Solaris `address`): street and number, optional second line, postal code,
//! city, state and country. German postal codes are exactly five digits; a German address names
//! its federal state (Solaris' `state`, the guide lists it in the mandatory address).

use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::field_error::{Field, FieldError, FieldErrors, Problem};

/// Longest address line we accept (fits every German street and the Solaris fields).
pub const MAX_LINE_CHARS: usize = 60;
/// Longest city name we accept ("Frankfurt am Main", "Halle (Saale)" fit easily).
pub const MAX_CITY_CHARS: usize = 50;
/// Longest foreign postal code (ISO 3166 countries use at most 10 characters).
pub const MAX_POSTAL_CODE_CHARS: usize = 10;

/// Germany's federal states by their ISO 3166-2:DE codes (`BE` for Berlin), as Solaris'
/// `address.state` takes them, in the order of their German names.
pub const GERMAN_STATES: [&str; 16] = [
    "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH",
];

/// Checks the state for its country: one of [`GERMAN_STATES`] in Germany, where it is required;
/// other countries' addresses carry none (the question is not asked).
pub fn parse_state(input: &str, country: Country) -> Result<Option<String>, Problem> {
    if country != Country::GERMANY {
        return Ok(None);
    }
    let code = input.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(Problem::Required);
    }
    if GERMAN_STATES.contains(&code.as_str()) {
        Ok(Some(code))
    } else {
        Err(Problem::UnknownValue)
    }
}

/// A validated postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street and house number.
    pub line_1: String,
    /// Anything else: c/o, apartment, building. Empty if not needed.
    pub line_2: String,
    /// Postal code: five digits in Germany.
    pub postal_code: String,
    /// City or town.
    pub city: String,
    /// Federal state code in Germany (`BE`); none elsewhere.
    pub state: Option<String>,
    /// Country.
    pub country: Country,
}

/// Letters, digits, their accents and the punctuation of street addresses; no symbols or emoji.
fn is_address_char(c: char) -> bool {
    c.is_alphanumeric()
        || ('\u{0300}'..='\u{036F}').contains(&c)
        || matches!(
            c,
            ' ' | '.' | ',' | '-' | '/' | '\'' | '\u{2019}' | '(' | ')' | '&' | '#' | '+'
        )
}

/// Checks one free-text address part: trimmed, required or optional, limited in length.
fn text(input: &str, required: bool, max_chars: usize) -> Result<String, Problem> {
    let value = input.trim();
    if value.is_empty() {
        return if required {
            Err(Problem::Required)
        } else {
            Ok(String::new())
        };
    }
    if !value.chars().all(is_address_char) {
        return Err(Problem::InvalidCharacters);
    }
    if value.chars().count() > max_chars {
        return Err(Problem::TooLong);
    }
    Ok(value.to_string())
}

/// Checks a city name (also used for the city of birth).
pub fn parse_city(input: &str) -> Result<String, Problem> {
    let city = text(input, true, MAX_CITY_CHARS)?;
    if !city.chars().any(char::is_alphabetic) {
        return Err(Problem::InvalidCharacters);
    }
    Ok(city)
}

/// Checks a postal code for its country: five digits for Germany, letters, digits, spaces and
/// hyphens elsewhere. Upper-cases it (`sw1a 1aa` becomes `SW1A 1AA`).
pub fn parse_postal_code(input: &str, country: Country) -> Result<String, Problem> {
    // Postal codes are ASCII; ASCII upper-casing keeps Unicode's case tables out of the web app.
    let code = input.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(Problem::Required);
    }
    if country == Country::GERMANY {
        return if code.len() == 5 && code.chars().all(|c| c.is_ascii_digit()) {
            Ok(code)
        } else {
            Err(Problem::InvalidFormat)
        };
    }
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    {
        return Err(Problem::InvalidCharacters);
    }
    if code.chars().count() > MAX_POSTAL_CODE_CHARS {
        return Err(Problem::TooLong);
    }
    Ok(code)
}

/// The address as the customer typed it, one string per input.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressAnswers {
    /// Street and house number.
    pub line_1: String,
    /// Optional second line.
    pub line_2: String,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// Federal state code (asked for German addresses).
    #[serde(default)]
    pub state: String,
    /// Alpha-2 country code from the country list.
    pub country: String,
}

impl AddressAnswers {
    /// Validates every part; the postal code rule follows the chosen country.
    pub fn validate(&self) -> Result<Address, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let line_1 = errors.check(
            Field::AddressLine1,
            text(&self.line_1, true, MAX_LINE_CHARS),
        );
        let line_2 = errors.check(
            Field::AddressLine2,
            text(&self.line_2, false, MAX_LINE_CHARS),
        );
        let country = Country::parse(self.country.trim());
        let postal_code = match country {
            Ok(country) => errors.check(
                Field::PostalCode,
                parse_postal_code(&self.postal_code, country),
            ),
            // Without a country the postal code can only be checked for presence.
            Err(_) if self.postal_code.trim().is_empty() => {
                errors.push(Field::PostalCode, Problem::Required);
                None
            }
            Err(_) => None,
        };
        let city = errors.check(Field::City, parse_city(&self.city));
        let state = match &country {
            Ok(country) => errors.check(Field::AddressState, parse_state(&self.state, *country)),
            Err(_) => Some(None),
        };
        let country = errors.check(Field::AddressCountry, country);
        match (line_1, line_2, postal_code, city, state, country) {
            (
                Some(line_1),
                Some(line_2),
                Some(postal_code),
                Some(city),
                Some(state),
                Some(country),
            ) => Ok(Address {
                line_1,
                line_2,
                postal_code,
                city,
                state,
                country,
            }),
            _ => Err(errors.into_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(line_1: &str, postal_code: &str, city: &str, country: &str) -> AddressAnswers {
        AddressAnswers {
            line_1: line_1.into(),
            line_2: String::new(),
            postal_code: postal_code.into(),
            city: city.into(),
            state: if country == "DE" {
                "BE".into()
            } else {
                String::new()
            },
            country: country.into(),
        }
    }

    #[test]
    fn accepts_the_guides_sandbox_address() {
        let address = answers("BERLINER STR. 45", "14169", "Berlin", "DE")
            .validate()
            .unwrap();
        assert_eq!(address.line_1, "BERLINER STR. 45");
        assert_eq!(address.postal_code, "14169");
        assert_eq!(address.state.as_deref(), Some("BE"));
        assert_eq!(address.country, Country::GERMANY);
    }

    #[test]
    fn german_addresses_name_their_state_others_none() {
        assert_eq!(parse_state(" by ", Country::GERMANY), Ok(Some("BY".into())));
        assert_eq!(parse_state("", Country::GERMANY), Err(Problem::Required));
        assert_eq!(
            parse_state("XX", Country::GERMANY),
            Err(Problem::UnknownValue)
        );
        let austria = Country::parse("AT").unwrap();
        assert_eq!(parse_state("W", austria), Ok(None));
        let missing = AddressAnswers {
            state: String::new(),
            ..answers("Street 1", "14169", "Berlin", "DE")
        };
        assert_eq!(
            missing.validate().unwrap_err(),
            vec![FieldError::new(Field::AddressState, Problem::Required)]
        );
    }

    #[test]
    fn german_postal_codes_are_five_digits() {
        for code in ["1416", "141690", "1416a", "14 169"] {
            assert_eq!(
                parse_postal_code(code, Country::GERMANY),
                Err(Problem::InvalidFormat),
                "{code}"
            );
        }
        assert_eq!(
            parse_postal_code(" 01067 ", Country::GERMANY),
            Ok("01067".into())
        );
    }

    #[test]
    fn foreign_postal_codes_follow_looser_rules() {
        let uk = Country::parse("GB").unwrap();
        assert_eq!(parse_postal_code("sw1a 1aa", uk), Ok("SW1A 1AA".into()));
        assert_eq!(
            parse_postal_code("1010", Country::parse("AT").unwrap()),
            Ok("1010".into())
        );
        assert_eq!(parse_postal_code("12345678901", uk), Err(Problem::TooLong));
        assert_eq!(
            parse_postal_code("SW1A_1AA", uk),
            Err(Problem::InvalidCharacters)
        );
    }

    #[test]
    fn cities_with_brackets_and_hyphens() {
        for city in [
            "Halle (Saale)",
            "Frankfurt am Main",
            "Castrop-Rauxel",
            "St. Ingbert",
        ] {
            assert_eq!(parse_city(city), Ok(city.to_string()));
        }
        assert_eq!(parse_city("12345"), Err(Problem::InvalidCharacters));
        assert_eq!(parse_city("Berlin 🐻"), Err(Problem::InvalidCharacters));
        assert_eq!(parse_city(&"a".repeat(51)), Err(Problem::TooLong));
    }

    #[test]
    fn reports_every_wrong_part_in_form_order() {
        let errors = answers("", "123", "", "XX").validate().unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new(Field::AddressLine1, Problem::Required),
                FieldError::new(Field::City, Problem::Required),
                FieldError::new(Field::AddressCountry, Problem::UnknownValue),
            ]
        );
        let errors = answers("Street 1", "", "Berlin", "")
            .validate()
            .unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new(Field::PostalCode, Problem::Required),
                FieldError::new(Field::AddressCountry, Problem::Required),
            ]
        );
        let long = AddressAnswers {
            line_2: "x".repeat(61),
            ..answers("Street 1", "14169", "Berlin", "DE")
        };
        assert_eq!(
            long.validate().unwrap_err(),
            vec![FieldError::new(Field::AddressLine2, Problem::TooLong)]
        );
    }
}
