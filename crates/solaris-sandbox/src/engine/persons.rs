//! Persons: stored as Solaris answers them (a JSON map, see the emulator's README), at most
//! [`MAX_IDENTICAL_PERSONS`] with the same identity, changed only through the updatable fields.

use axum::http::StatusCode;
use serde_json::{Map, Value};
use solaris_contract::EventType;

use crate::Sandbox;
use crate::error::ApiError;
use crate::ids::new_id;
use crate::model::{Payload, Person};

/// The guide: "If you create over 1000 identical person resources, the API will return a 400".
pub const MAX_IDENTICAL_PERSONS: usize = 1000;

impl Sandbox {
    /// Stores a new person from fields the API has validated; answers them with the new `id`.
    pub(crate) fn create_person(
        &self,
        mut fields: Map<String, Value>,
    ) -> Result<Map<String, Value>, ApiError> {
        let id = new_id("cper");
        fields.insert("id".into(), Value::String(id.clone()));
        normalise_fatca(&mut fields);
        let key = Person::identity_key(&fields);
        let mut state = self.state();
        let identical = state.identical_persons.entry(key).or_default();
        if *identical >= MAX_IDENTICAL_PERSONS {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "validation_error",
                "Validation Error",
                format!(
                    "more than {MAX_IDENTICAL_PERSONS} persons with the same first_name, last_name, birth_city and birth_date; use unique values on Sandbox"
                ),
            ));
        }
        *identical += 1;
        let person = Person {
            fields: fields.clone(),
            mobile_number: None,
            iban_attempts: Default::default(),
        };
        state.person_order.push(id.clone());
        state.persons.insert(id, person);
        Ok(fields)
    }

    /// Every person, oldest first.
    pub(crate) fn persons(&self) -> Vec<Value> {
        let state = self.state();
        state
            .person_order
            .iter()
            .filter_map(|id| state.persons.get(id))
            .map(|person| Value::Object(person.fields.clone()))
            .collect()
    }

    /// One person's fields.
    pub(crate) fn person(&self, id: &str) -> Result<Map<String, Value>, ApiError> {
        let state = self.state();
        let person = state
            .persons
            .get(id)
            .ok_or_else(|| ApiError::not_found("Person", id))?;
        Ok(person.fields.clone())
    }

    /// Applies validated updatable fields: `null` is ignored, as Solaris ignores it, except for
    /// `industry` and `industry_key`, which the FREELANCER rule lets be cleared. Publishes
    /// `PERSON_CHANGED`.
    pub(crate) fn update_person(
        &self,
        id: &str,
        changes: Map<String, Value>,
    ) -> Result<Map<String, Value>, ApiError> {
        let fields = {
            let mut state = self.state();
            let person = state
                .persons
                .get_mut(id)
                .ok_or_else(|| ApiError::not_found("Person", id))?;
            for (key, value) in changes {
                if !value.is_null() || key == "industry" || key == "industry_key" {
                    person.fields.insert(key, value);
                }
            }
            normalise_fatca(&mut person.fields);
            person.fields.clone()
        };
        self.webhooks()
            .publish(EventType::PersonChanged, id, &Payload::Empty {});
        Ok(fields)
    }
}

/// The guide's sandbox example sends `"fatca_relevant": "false"`; Solaris returns a boolean.
fn normalise_fatca(fields: &mut Map<String, Value>) {
    if let Some(Value::String(text)) = fields.get("fatca_relevant") {
        let flag = text == "true";
        fields.insert("fatca_relevant".into(), Value::Bool(flag));
    }
}
