//! What the emulator remembers, in memory: tokens, persons with their mobile numbers,
//! identifications, sessions, the SMS inbox, injected faults and webhook subscriptions.
//!
//! A person is kept as the JSON object Solaris keeps: Solaris answers with every attribute it
//! was given and validates an attribute that is absent, `null` or of the wrong type each in its
//! own way (the self-employed rule tells `null` from absent), which a typed record would hide.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};
use solaris_contract::MobileNumberBody;
use time::OffsetDateTime;

/// A person resource: the JSON Solaris stores, plus what the emulator tracks about it.
#[derive(Debug, Clone)]
pub struct Person {
    /// The person's fields as Solaris returns them (`id` included).
    pub fields: Map<String, Value>,
    /// The person's mobile number, if one was created.
    pub mobile_number: Option<MobileNumber>,
    /// Distinct IBANs tried in identifications (the guide allows 20).
    pub iban_attempts: HashSet<String>,
}

impl Person {
    /// The person's id.
    pub fn id(&self) -> &str {
        self.fields["id"].as_str().unwrap_or_default()
    }

    /// `(first_name, last_name, birth_city, birth_date)`: what makes two sandbox persons identical.
    pub fn identity_key(fields: &Map<String, Value>) -> [String; 4] {
        ["first_name", "last_name", "birth_city", "birth_date"].map(|key| {
            fields
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
    }

    /// Whether the person has a verified mobile number.
    pub fn has_verified_mobile_number(&self) -> bool {
        self.mobile_number
            .as_ref()
            .is_some_and(|number| number.verified)
    }
}

/// A person's mobile number.
#[derive(Debug, Clone)]
pub struct MobileNumber {
    /// `…cmno`.
    pub id: String,
    /// E.164.
    pub number: String,
    /// Whether the SMS code was confirmed.
    pub verified: bool,
    /// The last code sent and when, if any.
    pub pending_code: Option<(String, OffsetDateTime)>,
}

impl MobileNumber {
    /// The number as Solaris answers it.
    pub fn to_wire(&self) -> MobileNumberBody {
        MobileNumberBody {
            id: self.id.clone(),
            number: self.number.clone(),
            verified: self.verified,
        }
    }
}

/// An SMS the emulator "sent", readable through the test controls.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sms {
    /// Recipient.
    pub number: String,
    /// The code.
    pub code: String,
    /// What the code is for: `mobile_number` or `qes`.
    pub purpose: &'static str,
    /// When it was sent (emulator clock), RFC 3339.
    pub sent_at: String,
}

/// Everything the emulator holds.
#[derive(Debug, Default)]
pub struct State {
    /// Bearer token -> expiry.
    pub tokens: HashMap<String, OffsetDateTime>,
    /// Person id -> person.
    pub persons: HashMap<String, Person>,
    /// Person ids, oldest first: the order of `GET /v1/persons`.
    pub person_order: Vec<String>,
    /// Identity key -> how many persons share it.
    pub identical_persons: HashMap<[String; 4], usize>,
    /// SMS inbox, oldest first: the latest [`super::KEPT_RECORDS`].
    pub sms: std::collections::VecDeque<Sms>,
    /// Injected faults, first match wins.
    pub faults: Vec<super::Fault>,
    /// Identification id -> identification.
    pub identifications: HashMap<String, super::Identification>,
    /// Payment wizard key -> (person id, identification id).
    pub wizard_keys: HashMap<String, (String, String)>,
    /// Session id -> session.
    pub sessions: HashMap<String, super::Session>,
    /// Session URL token -> session id.
    pub session_tokens: HashMap<String, String>,
    /// Attempts refused when the identification was created through the API (no identification
    /// records them): (person id, IBAN).
    pub refused_attempts: Vec<(String, String)>,
    /// Leave out of answers and webhooks what Solaris does not document
    /// ([`crate::SandboxConfig::documented_fields_only`]).
    pub documented_fields_only: bool,
}

impl State {
    /// Puts an SMS into the inbox.
    pub fn deliver_sms(
        &mut self,
        number: String,
        code: String,
        purpose: &'static str,
        at: OffsetDateTime,
    ) {
        super::keep_latest(
            &mut self.sms,
            Sms {
                number,
                code,
                purpose,
                sent_at: crate::clock::format_timestamp(at),
            },
        );
    }
}
