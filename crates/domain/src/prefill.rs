//! Answers the partner already knows about its customer (name, email, mobile number, address),
//! given through the partner API and offered on the customer's screens: the customer sees them
//! in the fields, can change them, and confirms them like their own answers.

use serde::{Deserialize, Serialize};

use crate::address::AddressAnswers;
use crate::answers::PersonAnswers;
use crate::email::Email;
use crate::field_error::{Field, FieldError, FieldErrors};
use crate::mobile_number::MobileNumber;
use crate::name::PersonName;

/// What the partner may fill in for its customer; every part is optional.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Prefill {
    /// All first names, as on the ID document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name, as on the ID document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile number, international (`+49…`) or German national notation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    /// Postal address (every part, as the address screen asks it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<AddressAnswers>,
}

impl Prefill {
    /// Checks what is given by the rules the screens apply, so the customer never starts
    /// with an answer the journey would refuse.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        if let Some(name) = &self.first_name {
            errors.check(Field::FirstName, PersonName::parse(name));
        }
        if let Some(name) = &self.last_name {
            errors.check(Field::LastName, PersonName::parse(name));
        }
        if let Some(address) = &self.address
            && let Err(address_errors) = address.validate()
        {
            for error in address_errors {
                errors.push(error.field, error.problem);
            }
        }
        if let Some(email) = &self.email {
            errors.check(Field::Email, Email::parse(email));
        }
        if let Some(number) = &self.mobile_number {
            errors.check(Field::MobileNumber, MobileNumber::parse(number));
        }
        let errors = errors.into_vec();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Fills the answers the customer has not given yet; what they typed stays.
    pub fn fill(&self, answers: &mut PersonAnswers) {
        let fill = |answer: &mut String, known: &Option<String>| {
            if answer.trim().is_empty()
                && let Some(known) = known
            {
                *answer = known.clone();
            }
        };
        fill(&mut answers.first_name, &self.first_name);
        fill(&mut answers.last_name, &self.last_name);
        fill(&mut answers.email, &self.email);
        fill(&mut answers.mobile_number, &self.mobile_number);
        if let Some(address) = &self.address
            && answers.address == AddressAnswers::default()
        {
            answers.address = address.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field_error::Problem;

    fn berlin() -> AddressAnswers {
        AddressAnswers {
            line_1: "Unter den Linden 1".into(),
            line_2: String::new(),
            postal_code: "10117".into(),
            city: "Berlin".into(),
            state: "BE".into(),
            country: "DE".into(),
        }
    }

    #[test]
    fn the_partners_answers_follow_the_screens_rules() {
        let good = Prefill {
            first_name: Some("Anna Maria".into()),
            last_name: Some("Schmidt".into()),
            email: Some("anna@example.com".into()),
            mobile_number: Some("+49 151 23456789".into()),
            address: Some(berlin()),
        };
        assert_eq!(good.validate(), Ok(()));
        let bad = Prefill {
            email: Some("anna@".into()),
            address: Some(AddressAnswers {
                postal_code: "1011".into(),
                ..berlin()
            }),
            ..Prefill::default()
        };
        let fields: Vec<Field> = bad
            .validate()
            .unwrap_err()
            .iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(fields, [Field::PostalCode, Field::Email]);
        let unknown: Result<Prefill, _> = serde_json::from_str(r#"{"iban":"DE02…"}"#);
        assert!(unknown.is_err(), "only the documented parts are taken");
        assert_eq!(
            Prefill {
                first_name: Some("".into()),
                ..Prefill::default()
            }
            .validate()
            .unwrap_err()[0]
                .problem,
            Problem::Required
        );
    }

    #[test]
    fn filling_keeps_what_the_customer_typed() {
        let prefill = Prefill {
            first_name: Some("Anna".into()),
            email: Some("anna@example.com".into()),
            address: Some(berlin()),
            ..Prefill::default()
        };
        let mut answers = PersonAnswers {
            first_name: "Ann".into(),
            ..PersonAnswers::default()
        };
        prefill.fill(&mut answers);
        assert_eq!(answers.first_name, "Ann");
        assert_eq!(answers.email, "anna@example.com");
        assert_eq!(answers.address, berlin());
        assert_eq!(answers.last_name, "");
    }
}
