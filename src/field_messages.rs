//! The text of each field error, from the DE/EN catalogs (`errors.<field>.<problem>`).

use bankident_domain::{Field, FieldError, Problem};

use crate::i18n::{I18nKeys, Locale};

/// The message for a field error in `locale`; `None` for a pair no rule produces.
pub fn field_error_message(locale: Locale, error: FieldError) -> Option<&'static str> {
    let keys: I18nKeys = locale.get_keys_const();
    Some(match (error.field, error.problem) {
        (Field::Salutation, Problem::Required) => keys.errors().salutation().required().inner(),
        (Field::Salutation, Problem::UnknownValue) => {
            keys.errors().salutation().unknown_value().inner()
        }
        (Field::FirstName, Problem::Required) => keys.errors().first_name().required().inner(),
        (Field::FirstName, Problem::TooLong) => keys.errors().first_name().too_long().inner(),
        (Field::FirstName, Problem::InvalidCharacters) => {
            keys.errors().first_name().invalid_characters().inner()
        }
        (Field::LastName, Problem::Required) => keys.errors().last_name().required().inner(),
        (Field::LastName, Problem::TooLong) => keys.errors().last_name().too_long().inner(),
        (Field::LastName, Problem::InvalidCharacters) => {
            keys.errors().last_name().invalid_characters().inner()
        }
        (Field::BirthDate, Problem::Required) => keys.errors().birth_date().required().inner(),
        (Field::BirthDate, Problem::InvalidFormat) => {
            keys.errors().birth_date().invalid_format().inner()
        }
        (Field::BirthDate, Problem::NotARealDate) => {
            keys.errors().birth_date().not_a_real_date().inner()
        }
        (Field::BirthDate, Problem::InFuture) => keys.errors().birth_date().in_future().inner(),
        (Field::BirthDate, Problem::TooYoung) => keys.errors().birth_date().too_young().inner(),
        (Field::BirthDate, Problem::TooOld) => keys.errors().birth_date().too_old().inner(),
        (Field::BirthCity, Problem::Required) => keys.errors().birth_city().required().inner(),
        (Field::BirthCity, Problem::TooLong) => keys.errors().birth_city().too_long().inner(),
        (Field::BirthCity, Problem::InvalidCharacters) => {
            keys.errors().birth_city().invalid_characters().inner()
        }
        (Field::BirthCountry, Problem::Required) => {
            keys.errors().birth_country().required().inner()
        }
        (Field::BirthCountry, Problem::UnknownValue) => {
            keys.errors().birth_country().unknown_value().inner()
        }
        (Field::Nationality, Problem::Required) => keys.errors().nationality().required().inner(),
        (Field::Nationality, Problem::UnknownValue) => {
            keys.errors().nationality().unknown_value().inner()
        }
        (Field::AddressLine1, Problem::Required) => {
            keys.errors().address_line_1().required().inner()
        }
        (Field::AddressLine1, Problem::TooLong) => {
            keys.errors().address_line_1().too_long().inner()
        }
        (Field::AddressLine1, Problem::InvalidCharacters) => {
            keys.errors().address_line_1().invalid_characters().inner()
        }
        (Field::AddressLine2, Problem::TooLong) => {
            keys.errors().address_line_2().too_long().inner()
        }
        (Field::AddressLine2, Problem::InvalidCharacters) => {
            keys.errors().address_line_2().invalid_characters().inner()
        }
        (Field::PostalCode, Problem::Required) => keys.errors().postal_code().required().inner(),
        (Field::PostalCode, Problem::InvalidFormat) => {
            keys.errors().postal_code().invalid_format().inner()
        }
        (Field::PostalCode, Problem::InvalidCharacters) => {
            keys.errors().postal_code().invalid_characters().inner()
        }
        (Field::PostalCode, Problem::TooLong) => keys.errors().postal_code().too_long().inner(),
        (Field::City, Problem::Required) => keys.errors().city().required().inner(),
        (Field::City, Problem::TooLong) => keys.errors().city().too_long().inner(),
        (Field::City, Problem::InvalidCharacters) => {
            keys.errors().city().invalid_characters().inner()
        }
        (Field::AddressState, Problem::Required) => {
            keys.errors().address_state().required().inner()
        }
        (Field::AddressState, Problem::UnknownValue) => {
            keys.errors().address_state().unknown_value().inner()
        }
        (Field::AddressCountry, Problem::Required) => {
            keys.errors().address_country().required().inner()
        }
        (Field::AddressCountry, Problem::UnknownValue) => {
            keys.errors().address_country().unknown_value().inner()
        }
        (Field::Email, Problem::Required) => keys.errors().email().required().inner(),
        (Field::Email, Problem::TooLong) => keys.errors().email().too_long().inner(),
        (Field::Email, Problem::InvalidFormat) => keys.errors().email().invalid_format().inner(),
        (Field::Email, Problem::InvalidCharacters) => {
            keys.errors().email().invalid_characters().inner()
        }
        (Field::MobileNumber, Problem::Required) => {
            keys.errors().mobile_number().required().inner()
        }
        (Field::MobileNumber, Problem::InvalidFormat) => {
            keys.errors().mobile_number().invalid_format().inner()
        }
        (Field::MobileNumber, Problem::InvalidCharacters) => {
            keys.errors().mobile_number().invalid_characters().inner()
        }
        (Field::MobileNumber, Problem::TooShort) => {
            keys.errors().mobile_number().too_short().inner()
        }
        (Field::MobileNumber, Problem::TooLong) => keys.errors().mobile_number().too_long().inner(),
        (Field::MobileNumber, Problem::CountryNotSupported) => keys
            .errors()
            .mobile_number()
            .country_not_supported()
            .inner(),
        (Field::EmploymentStatus, Problem::Required) => {
            keys.errors().employment_status().required().inner()
        }
        (Field::EmploymentStatus, Problem::UnknownValue) => {
            keys.errors().employment_status().unknown_value().inner()
        }
        (Field::Iban, Problem::Required) => keys.errors().iban().required().inner(),
        (Field::Iban, Problem::InvalidCharacters) => {
            keys.errors().iban().invalid_characters().inner()
        }
        (Field::Iban, Problem::NotGerman) => keys.errors().iban().not_german().inner(),
        (Field::Iban, Problem::TooShort) => keys.errors().iban().too_short().inner(),
        (Field::Iban, Problem::TooLong) => keys.errors().iban().too_long().inner(),
        (Field::Iban, Problem::CheckDigits) => keys.errors().iban().check_digits().inner(),
        (Field::DataTerms, Problem::NotPlausible) => {
            keys.errors().data_terms().not_plausible().inner()
        }
        (Field::DataTerms, Problem::NotConsented) => {
            keys.errors().data_terms().not_consented().inner()
        }
        (Field::TermsConditions, Problem::NotPlausible) => {
            keys.errors().terms_conditions().not_plausible().inner()
        }
        (Field::TermsConditions, Problem::NotConsented) => {
            keys.errors().terms_conditions().not_consented().inner()
        }
        (Field::OwnEconomicInterest, Problem::NotPlausible) => keys
            .errors()
            .own_economic_interest()
            .not_plausible()
            .inner(),
        (Field::OwnEconomicInterest, Problem::NotConsented) => keys
            .errors()
            .own_economic_interest()
            .not_consented()
            .inner(),
        (Field::FatcaRelevant, Problem::Required) => {
            keys.errors().fatca_relevant().required().inner()
        }
        (Field::FatcaRelevant, Problem::UnknownValue) => {
            keys.errors().fatca_relevant().unknown_value().inner()
        }
        (Field::FatcaCrs, Problem::NotPlausible) => {
            keys.errors().fatca_crs().not_plausible().inner()
        }
        (Field::FatcaCrs, Problem::NotConsented) => {
            keys.errors().fatca_crs().not_consented().inner()
        }
        _ => return None,
    })
}
