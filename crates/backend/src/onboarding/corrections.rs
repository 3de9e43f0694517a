//! Keeping the customer's record at Solaris true when they change an answer after the person
//! exists: which differences Solaris' `PATCH /v1/persons/{id}` takes (the guide's updatable
//! fields), and which it cannot take (names, birth data, nationality). The comparison is made
//! against the person as Solaris shows it, so the backend stores no personal data to compare.

use serde_json::{Map, Value};
use solaris_contract::PersonRequest;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Fields the guide lists as updatable, of those we send.
const UPDATABLE: [&str; 8] = [
    "salutation",
    "address",
    "email",
    "employment_status",
    "fatca_relevant",
    "fatca_crs_confirmed_at",
    "own_economic_interest_signed_at",
    "data_terms_signed_at",
];
/// Fields only Solaris' Customer Support can change.
const LOCKED: [&str; 6] = [
    "first_name",
    "last_name",
    "birth_date",
    "birth_city",
    "birth_country",
    "nationality",
];

/// How the customer's answers differ from the person at Solaris.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Differences {
    /// The body of a `PATCH` that brings the updatable fields up to date (empty: nothing to do).
    pub patch: Map<String, Value>,
    /// Changed fields that no `PATCH` can change.
    pub locked: Vec<&'static str>,
}

/// Compares what Solaris holds (`GET /v1/persons/{id}`) with what the customer answered now.
pub fn differences(at_solaris: &Value, wanted: &PersonRequest) -> Differences {
    let wanted = serde_json::to_value(wanted).expect("person requests serialize");
    let mut result = Differences::default();
    for field in LOCKED {
        if !same(&at_solaris[field], &wanted[field]) {
            result.locked.push(field);
        }
    }
    for field in UPDATABLE {
        if same(&at_solaris[field], &wanted[field]) {
            continue;
        }
        // PATCH ignores null values: a salutation cannot be taken away that way.
        if wanted[field].is_null() {
            result.locked.push(field);
            continue;
        }
        result
            .patch
            .insert(field.to_string(), wanted[field].clone());
    }
    let becomes_self_employed = result
        .patch
        .get("employment_status")
        .and_then(Value::as_str)
        .and_then(|code| bankident_domain::EmploymentStatus::parse(code).ok())
        .is_some_and(|status| status.needs_nace_code());
    if becomes_self_employed {
        // The guide's rule: without a NACE code, industry and industry_key are cleared.
        result.patch.insert("industry".into(), Value::Null);
        result.patch.insert("industry_key".into(), Value::Null);
    }
    result
}

/// Whether two values mean the same: objects field by field, empty text and null alike,
/// `"false"` and `false` alike, timestamps by the moment they name.
fn same(held: &Value, wanted: &Value) -> bool {
    match (held, wanted) {
        (Value::Object(held), Value::Object(wanted)) => {
            held.keys().chain(wanted.keys()).all(|key| {
                same(
                    held.get(key).unwrap_or(&Value::Null),
                    wanted.get(key).unwrap_or(&Value::Null),
                )
            })
        }
        (Value::String(a), Value::String(b)) => a == b || same_moment(a, b),
        (Value::Null, Value::String(text)) | (Value::String(text), Value::Null) => text.is_empty(),
        (Value::Bool(flag), Value::String(text)) | (Value::String(text), Value::Bool(flag)) => {
            text.parse::<bool>() == Ok(*flag)
        }
        _ => held == wanted,
    }
}

fn same_moment(a: &str, b: &str) -> bool {
    match (
        OffsetDateTime::parse(a, &Rfc3339),
        OffsetDateTime::parse(b, &Rfc3339),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use solaris_contract::AddressBody;

    fn wanted() -> PersonRequest {
        PersonRequest {
            salutation: Some("MR".into()),
            first_name: "Leander".into(),
            last_name: "Zierfisch".into(),
            birth_date: "1978-07-15".into(),
            birth_city: "Aachen".into(),
            birth_country: "DE".into(),
            nationality: "DE".into(),
            address: AddressBody {
                line_1: "BERLINER STR. 45".into(),
                line_2: None,
                postal_code: "14169".into(),
                city: "Berlin".into(),
                country: "DE".into(),
                state: Some("BE".into()),
            },
            mobile_number: "+15550101".into(),
            email: "person@example.com".into(),
            employment_status: "EMPLOYED".into(),
            fatca_relevant: false,
            fatca_crs_confirmed_at: Some("2019-01-01T00:00:00Z".into()),
            data_terms_signed_at: Some("2019-01-01T00:00:00Z".into()),
            terms_conditions_signed_at: Some("2019-01-01T00:00:00Z".into()),
            own_economic_interest_signed_at: Some("2019-01-01T00:00:00Z".into()),
        }
    }

    /// The person as Solaris shows it (the guide's sandbox example, as a GET might answer).
    fn held() -> Value {
        json!({
            "id": "a1cper", "salutation": "MR", "first_name": "Leander", "last_name": "Zierfisch",
            "birth_date": "1978-07-15", "birth_city": "Aachen", "birth_country": "DE", "nationality": "DE",
            "address": { "line_1": "BERLINER STR. 45", "line_2": "", "postal_code": "14169", "city": "Berlin", "country": "DE", "state": "BE" },
            "email": "person@example.com", "employment_status": "EMPLOYED", "fatca_relevant": "false",
            "fatca_crs_confirmed_at": "2019-01-01T00:00:00.000Z", "data_terms_signed_at": "2019-01-01T00:00:00Z",
            "terms_conditions_signed_at": "2019-01-01T00:00:00Z", "own_economic_interest_signed_at": "2019-01-01T00:00:00Z"
        })
    }

    #[test]
    fn the_same_answers_need_nothing() {
        assert_eq!(differences(&held(), &wanted()), Differences::default());
    }

    #[test]
    fn updatable_changes_become_a_patch() {
        let mut changed = wanted();
        changed.address.line_1 = "Torstr. 1".into();
        changed.email = "new@example.com".into();
        changed.employment_status = "FREELANCER".into();
        changed.terms_conditions_signed_at = Some("2026-11-25T09:00:00Z".into());
        let found = differences(&held(), &changed);
        assert!(found.locked.is_empty(), "{found:?}");
        assert_eq!(found.patch["address"]["line_1"], "Torstr. 1");
        assert_eq!(found.patch["email"], "new@example.com");
        assert_eq!(found.patch["industry"], Value::Null);
        assert!(
            !found.patch.contains_key("terms_conditions_signed_at"),
            "not updatable: the consent on file stands"
        );
    }

    #[test]
    fn names_birth_data_and_a_removed_salutation_are_locked() {
        let mut changed = wanted();
        changed.last_name = "Zierfish".into();
        changed.birth_city = "Köln".into();
        changed.salutation = None;
        let found = differences(&held(), &changed);
        assert_eq!(found.locked, ["last_name", "birth_city", "salutation"]);
        assert!(found.patch.is_empty());
    }
}
