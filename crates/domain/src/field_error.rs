//! Field errors: which field of the customer's answers is wrong, and how. The app and the backend
//! produce the same pairs from the same rules; the app turns each pair into a message from its
//! DE/EN catalog (key `errors.<field>.<problem>`), so a backend 422 renders exactly like a
//! client-side error.

use serde::{Deserialize, Serialize};

/// A field the customer fills in. The serialized name is also the HTML `id` of its input.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // the names say what they are
pub enum Field {
    Salutation,
    FirstName,
    LastName,
    BirthDate,
    BirthCity,
    BirthCountry,
    Nationality,
    #[serde(rename = "address_line_1")]
    AddressLine1,
    #[serde(rename = "address_line_2")]
    AddressLine2,
    PostalCode,
    City,
    AddressState,
    AddressCountry,
    Email,
    MobileNumber,
    EmploymentStatus,
    Iban,
    DataTerms,
    TermsConditions,
    OwnEconomicInterest,
    FatcaRelevant,
    FatcaCrs,
}

impl Field {
    /// The field's id: the HTML `id` of its input and its name in API error bodies.
    pub fn id(self) -> &'static str {
        match self {
            Field::Salutation => "salutation",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::BirthDate => "birth_date",
            Field::BirthCity => "birth_city",
            Field::BirthCountry => "birth_country",
            Field::Nationality => "nationality",
            Field::AddressLine1 => "address_line_1",
            Field::AddressLine2 => "address_line_2",
            Field::PostalCode => "postal_code",
            Field::City => "city",
            Field::AddressState => "address_state",
            Field::AddressCountry => "address_country",
            Field::Email => "email",
            Field::MobileNumber => "mobile_number",
            Field::EmploymentStatus => "employment_status",
            Field::Iban => "iban",
            Field::DataTerms => "data_terms",
            Field::TermsConditions => "terms_conditions",
            Field::OwnEconomicInterest => "own_economic_interest",
            Field::FatcaRelevant => "fatca_relevant",
            Field::FatcaCrs => "fatca_crs",
        }
    }
}

/// What is wrong with a field's value.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Nothing was entered or chosen.
    Required,
    /// Longer than the field allows.
    TooLong,
    /// Shorter than the field needs.
    TooShort,
    /// Contains characters the field does not accept (symbols, emoji, digits in a name).
    InvalidCharacters,
    /// Not in the expected format (an email address without `@`, a postal code with letters).
    InvalidFormat,
    /// Not one of the allowed values (an unknown country code).
    UnknownValue,
    /// A date that does not exist, such as 31 February.
    NotARealDate,
    /// A date of birth in the future.
    InFuture,
    /// A date of birth of someone younger than 18.
    TooYoung,
    /// A date of birth implausibly long ago.
    TooOld,
    /// An IBAN that is not German (Bankident supports German IBANs only).
    NotGerman,
    /// An IBAN whose check digits do not match: a typo.
    CheckDigits,
    /// A mobile number of a country Solaris does not support (Iran, North Korea).
    CountryNotSupported,
    /// A consent that must be given was not ticked.
    NotConsented,
    /// A consent time that cannot be true (in the future, or long before the journey).
    NotPlausible,
}

impl Problem {
    /// The problem's name in API error bodies and catalog keys.
    pub fn code(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong => "too_long",
            Problem::TooShort => "too_short",
            Problem::InvalidCharacters => "invalid_characters",
            Problem::InvalidFormat => "invalid_format",
            Problem::UnknownValue => "unknown_value",
            Problem::NotARealDate => "not_a_real_date",
            Problem::InFuture => "in_future",
            Problem::TooYoung => "too_young",
            Problem::TooOld => "too_old",
            Problem::NotGerman => "not_german",
            Problem::CheckDigits => "check_digits",
            Problem::CountryNotSupported => "country_not_supported",
            Problem::NotConsented => "not_consented",
            Problem::NotPlausible => "not_plausible",
        }
    }
}

/// One problem with one field.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldError {
    /// The field that is wrong.
    pub field: Field,
    /// What is wrong with it.
    pub problem: Problem,
}

impl FieldError {
    /// A field error.
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }
}

/// Collects the field errors of a form while its fields are parsed one by one.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Parses one field; on failure records the error against `field` and returns `None`.
    pub fn check<T, E: Into<Problem>>(&mut self, field: Field, parsed: Result<T, E>) -> Option<T> {
        parsed
            .map_err(|error| self.0.push(FieldError::new(field, error.into())))
            .ok()
    }

    /// Records an error found by a rule that spans fields.
    pub fn push(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }

    /// The errors in the order the fields were checked, which is the order of the form.
    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    /// Whether every field so far was valid.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_the_serialized_names() {
        for field in [
            Field::FirstName,
            Field::AddressLine1,
            Field::AddressLine2,
            Field::Iban,
            Field::FatcaCrs,
        ] {
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.id()));
        }
        let json = serde_json::to_string(&Problem::NotARealDate).unwrap();
        assert_eq!(json, format!("\"{}\"", Problem::NotARealDate.code()));
    }

    #[test]
    fn collector_keeps_form_order() {
        let mut errors = FieldErrors::default();
        let ok: Option<u8> = errors.check(Field::FirstName, Ok::<u8, Problem>(1));
        assert_eq!(ok, Some(1));
        errors.check::<u8, _>(Field::LastName, Err(Problem::Required));
        errors.push(Field::Email, Problem::InvalidFormat);
        assert_eq!(
            errors.into_vec(),
            vec![
                FieldError::new(Field::LastName, Problem::Required),
                FieldError::new(Field::Email, Problem::InvalidFormat),
            ]
        );
    }
}
