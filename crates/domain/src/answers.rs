//! The customer's answers as the app collects them (text as typed, one field per input), the
//! rules that turn them into a [`Person`], and the other app <-> backend messages. The app
//! validates with these rules before sending; the backend validates again with the same ones
//! and answers 422 with the same [`FieldError`]s.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::address::{Address, AddressAnswers, parse_city};
use crate::birth_date::BirthDate;
use crate::consent::Consents;
use crate::country::Country;
use crate::email::Email;
use crate::employment::EmploymentStatus;
use crate::error_code::OutcomeCategory;
use crate::field_error::{Field, FieldError, FieldErrors, Problem};
use crate::mobile_number::MobileNumber;
use crate::name::PersonName;
use crate::salutation::Salutation;

/// Everything the sign-up screens ask, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonAnswers {
    /// `MR`, `MS` or `NONE`.
    pub salutation: String,
    /// All first names, as on the ID document.
    pub first_name: String,
    /// Last name, as on the ID document.
    pub last_name: String,
    /// Day of birth.
    pub birth_day: String,
    /// Month of birth (number).
    pub birth_month: String,
    /// Year of birth (four digits).
    pub birth_year: String,
    /// City of birth.
    pub birth_city: String,
    /// Country of birth (alpha-2).
    pub birth_country: String,
    /// Nationality (alpha-2).
    pub nationality: String,
    /// Postal address.
    pub address: AddressAnswers,
    /// Email address.
    pub email: String,
    /// Mobile number in any common notation.
    pub mobile_number: String,
    /// Solaris employment status code.
    pub employment_status: String,
    /// Whether the customer is liable to pay tax in the USA: `yes` or `no`.
    pub fatca_relevant: String,
    /// When each consent was ticked.
    pub consents: Consents,
}

/// Reads the answer to "Are you liable to pay tax in the USA?".
pub fn parse_yes_no(input: &str) -> Result<bool, Problem> {
    match input.trim() {
        "yes" => Ok(true),
        "no" => Ok(false),
        "" => Err(Problem::Required),
        _ => Err(Problem::UnknownValue),
    }
}

/// A customer's validated data, ready for Solaris.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Salutation.
    pub salutation: Salutation,
    /// First names.
    pub first_name: PersonName,
    /// Last name.
    pub last_name: PersonName,
    /// Date of birth.
    pub birth_date: BirthDate,
    /// City of birth.
    pub birth_city: String,
    /// Country of birth.
    pub birth_country: Country,
    /// Nationality.
    pub nationality: Country,
    /// Postal address.
    pub address: Address,
    /// Email address.
    pub email: Email,
    /// Mobile number (E.164).
    pub mobile_number: MobileNumber,
    /// Employment status.
    pub employment_status: EmploymentStatus,
    /// Liable to pay tax in the USA (Solaris `fatca_relevant`).
    pub fatca_relevant: bool,
    /// Every consent, each with its time.
    pub consents: Consents,
}

impl PersonAnswers {
    /// Applies every rule; `today` decides adulthood. Errors come in the order of the screens.
    pub fn validate(&self, today: Date) -> Result<Person, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let salutation = errors.check(Field::Salutation, Salutation::parse(&self.salutation));
        let first_name = errors.check(Field::FirstName, PersonName::parse(&self.first_name));
        let last_name = errors.check(Field::LastName, PersonName::parse(&self.last_name));
        let birth_date = errors.check(
            Field::BirthDate,
            BirthDate::from_parts(&self.birth_day, &self.birth_month, &self.birth_year, today),
        );
        let birth_city = errors.check(Field::BirthCity, parse_city(&self.birth_city));
        let birth_country = errors.check(
            Field::BirthCountry,
            Country::parse(self.birth_country.trim()),
        );
        let nationality = errors.check(Field::Nationality, Country::parse(self.nationality.trim()));
        let address = self.address.validate().map_err(|address_errors| {
            for error in address_errors {
                errors.push(error.field, error.problem);
            }
        });
        let email = errors.check(Field::Email, Email::parse(&self.email));
        let mobile_number = errors.check(
            Field::MobileNumber,
            MobileNumber::parse(&self.mobile_number),
        );
        let employment_status = errors.check(
            Field::EmploymentStatus,
            EmploymentStatus::parse(self.employment_status.trim()),
        );
        let fatca_relevant = errors.check(Field::FatcaRelevant, parse_yes_no(&self.fatca_relevant));
        for missing in self.consents.missing() {
            errors.push(missing.field, missing.problem);
        }
        match (
            salutation,
            first_name,
            last_name,
            birth_date,
            birth_city,
            birth_country,
            nationality,
            address,
            email,
            mobile_number,
            employment_status,
            fatca_relevant,
        ) {
            (
                Some(salutation),
                Some(first_name),
                Some(last_name),
                Some(birth_date),
                Some(birth_city),
                Some(birth_country),
                Some(nationality),
                Ok(address),
                Some(email),
                Some(mobile_number),
                Some(employment_status),
                Some(fatca_relevant),
            ) if errors.is_empty() => Ok(Person {
                salutation,
                first_name,
                last_name,
                birth_date,
                birth_city,
                birth_country,
                nationality,
                address,
                email,
                mobile_number,
                employment_status,
                fatca_relevant,
                consents: self.consents,
            }),
            _ => Err(errors.into_vec()),
        }
    }
}

/// The backend's answer when it cannot accept the answers: which fields are wrong.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrorsResponse {
    /// The field errors, in screen order.
    pub errors: Vec<FieldError>,
}

/// The backend's answer to "open the identification": where to send the customer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenedIdentification {
    /// The Solaris webview URL (its host is on the backend's allow-list).
    pub url: String,
}

/// How far the customer's identification is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeState {
    /// No identification was opened for this browser.
    NotStarted,
    /// Opened, an identification is under way: ask again later.
    Pending,
    /// Opened, but the customer came back without an identification under way: they can
    /// continue the open session.
    Unfinished,
    /// Finished: `category` says what to do next.
    Final,
}

/// The outcome of the customer's identification, as the callback page shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Finished or not.
    pub state: OutcomeState,
    /// What to do next, once final.
    pub category: Option<OutcomeCategory>,
    /// The Appendix III code, for failures (the app shows its DE/EN text).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "JOINT_ACCOUNT"))]
    pub error_code: Option<crate::error_code::ErrorCode>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::ConsentKind;
    use crate::field_error::Problem;
    use time::macros::{date, datetime};

    const TODAY: Date = date!(2026 - 11 - 25);

    /// The guide's sandbox person, as the screens would collect it.
    pub(crate) fn sandbox_answers() -> PersonAnswers {
        let mut consents = Consents::default();
        for kind in ConsentKind::ALL {
            consents.tick(kind, datetime!(2026-11-25 09:00 UTC));
        }
        PersonAnswers {
            salutation: "MR".into(),
            first_name: "Leander".into(),
            last_name: "Zierfisch".into(),
            birth_day: "15".into(),
            birth_month: "7".into(),
            birth_year: "1978".into(),
            birth_city: "Aachen".into(),
            birth_country: "DE".into(),
            nationality: "DE".into(),
            address: AddressAnswers {
                line_1: "BERLINER STR. 45".into(),
                line_2: String::new(),
                postal_code: "14169".into(),
                city: "Berlin".into(),
                state: "BE".into(),
                country: "DE".into(),
            },
            email: "person@example.com".into(),
            mobile_number: "+1 555 0101".into(),
            employment_status: "EMPLOYED".into(),
            fatca_relevant: "no".into(),
            consents,
        }
    }

    #[test]
    fn us_taxpayers_answer_yes_and_are_not_shut_out() {
        assert_eq!(parse_yes_no("yes"), Ok(true));
        assert_eq!(parse_yes_no(" no "), Ok(false));
        assert_eq!(parse_yes_no(""), Err(Problem::Required));
        assert_eq!(parse_yes_no("maybe"), Err(Problem::UnknownValue));
        let taxpayer = PersonAnswers {
            fatca_relevant: "yes".into(),
            ..sandbox_answers()
        };
        assert!(taxpayer.validate(TODAY).unwrap().fatca_relevant);
    }

    #[test]
    fn the_guides_sandbox_person_is_valid() {
        let person = sandbox_answers().validate(TODAY).unwrap();
        assert_eq!(person.first_name.as_str(), "Leander");
        assert_eq!(person.mobile_number.as_str(), "+15550101");
        assert_eq!(person.birth_date.to_string(), "1978-07-15");
    }

    #[test]
    fn empty_answers_list_every_field_in_screen_order() {
        let errors = PersonAnswers::default().validate(TODAY).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.id()).collect();
        assert_eq!(
            fields,
            [
                "salutation",
                "first_name",
                "last_name",
                "birth_date",
                "birth_city",
                "birth_country",
                "nationality",
                "address_line_1",
                "postal_code",
                "city",
                "address_country",
                "email",
                "mobile_number",
                "employment_status",
                "fatca_relevant",
                "data_terms",
                "terms_conditions",
                "own_economic_interest",
                "fatca_crs",
            ]
        );
        assert!(
            errors
                .iter()
                .all(|e| matches!(e.problem, Problem::Required | Problem::NotConsented))
        );
    }

    #[test]
    fn one_wrong_field_is_reported_alone() {
        let mut answers = sandbox_answers();
        answers.mobile_number = "+98 912 345 6789".into();
        assert_eq!(
            answers.validate(TODAY).unwrap_err(),
            vec![FieldError::new(
                Field::MobileNumber,
                Problem::CountryNotSupported
            )]
        );
        let mut answers = sandbox_answers();
        answers.consents.untick(ConsentKind::TermsConditions);
        assert_eq!(
            answers.validate(TODAY).unwrap_err(),
            vec![FieldError::new(
                Field::TermsConditions,
                Problem::NotConsented
            )]
        );
    }

    #[test]
    fn answers_travel_as_json_and_missing_fields_are_empty() {
        let json = serde_json::to_string(&sandbox_answers()).unwrap();
        assert_eq!(
            serde_json::from_str::<PersonAnswers>(&json).unwrap(),
            sandbox_answers()
        );
        let partial: PersonAnswers = serde_json::from_str(r#"{"first_name":"Anna"}"#).unwrap();
        assert_eq!(partial.first_name, "Anna");
        assert!(partial.last_name.is_empty());
    }
}
