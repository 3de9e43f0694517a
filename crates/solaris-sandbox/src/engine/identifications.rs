//! Person identifications with method `bank` (Bankident) and their state machine:
//!
//! `created` -(request)-> `pending` (customer at the bank, cent transfer) -(bank step done)->
//! `authorization_required` (contract ready) -(authorize: QES code by SMS)->
//! `confirmation_required` -(confirm with the code)-> `confirmed` -> `successful`,
//! or `failed` with a `failure_reason` from the guide's Appendix III, or `expired`.
//!
//! Time limits are applied whenever an identification is read or changed: 10 minutes from the
//! request to the end of the QES (`ACCOUNT_SNAPSHOT_EXPIRED`), 10 minutes for a QES code, and
//! 30 days from creation (`expired`, `EXPIRED`).

use axum::http::StatusCode;
use bankident_domain::{ErrorCode, Iban, IbanError, IdentificationStatus};
use solaris_contract::Identification as WireIdentification;
use time::OffsetDateTime;

use super::mobile_numbers::STATIC_NUMBER;
use crate::Sandbox;
use crate::error::ApiError;
use crate::ids::{new_id, random_hex, sms_code};
use crate::mocked_ibans::{IbanBehaviour, MOCKED_IBANS, behaviour};
use crate::model::{Changes, Identification, Person, QES_CODE_VALIDITY, State as Data};

/// The guide's FAQ: 20 attempts with different IBANs per person.
pub const MAX_IBAN_ATTEMPTS: usize = 20;
/// Failed attempts with one mobile number, or one first and last name, across persons, after
/// which Solaris answers `IDENTIFICATION_ATTEMPTS_EXCEEDED` (the guide gives no figure).
pub const MAX_FAILED_ATTEMPTS_PER_NUMBER_OR_NAME: usize = 20;
/// Failed attempts with one IBAN across persons, after which it is blocked with
/// `IBAN_USAGE_LIMIT_EXCEEDED` (the guide gives no figure).
pub const MAX_FAILED_ATTEMPTS_PER_IBAN: usize = 10;
impl Data {
    /// The limit a new attempt of `person_id` with `iban` runs into, if any: failed attempts
    /// with that IBAN across persons (the guide's mocked IBANs excepted), or with the person's
    /// mobile number (the guide's static test number excepted) or first and last name.
    fn limit_reached(&self, person_id: &str, iban: &str) -> Option<ErrorCode> {
        let failed: Vec<(&str, &str)> = self
            .identifications
            .values()
            .filter(|identification| identification.status == IdentificationStatus::Failed)
            .map(|identification| {
                (
                    identification.person_id.as_str(),
                    identification.iban.as_str(),
                )
            })
            .chain(
                self.refused_attempts
                    .iter()
                    .map(|(person, iban)| (person.as_str(), iban.as_str())),
            )
            .collect();
        let iban_failures = failed
            .iter()
            .filter(|(_, failed_iban)| *failed_iban == iban)
            .count();
        if !MOCKED_IBANS.contains(&iban) && iban_failures >= MAX_FAILED_ATTEMPTS_PER_IBAN {
            return Some(ErrorCode::IbanUsageLimitExceeded);
        }
        let person = self.persons.get(person_id)?;
        let number = person
            .mobile_number
            .as_ref()
            .map(|mobile| mobile.number.as_str())
            .filter(|number| *number != STATIC_NUMBER);
        let name = Person::identity_key(&person.fields);
        let (same_number, same_name) =
            failed.iter().fold((0, 0), |(numbers, names), (other, _)| {
                let Some(other) = self.persons.get(*other) else {
                    return (numbers, names);
                };
                let other_number = other
                    .mobile_number
                    .as_ref()
                    .map(|mobile| mobile.number.as_str());
                let other_name = Person::identity_key(&other.fields);
                (
                    numbers + usize::from(number.is_some() && other_number == number),
                    names + usize::from(other_name[..2] == name[..2]),
                )
            });
        (same_number >= MAX_FAILED_ATTEMPTS_PER_NUMBER_OR_NAME
            || same_name >= MAX_FAILED_ATTEMPTS_PER_NUMBER_OR_NAME)
            .then_some(ErrorCode::IdentificationAttemptsExceeded)
    }

    /// Applies time limits to one identification, recording what changed.
    pub fn refresh_identification(
        &mut self,
        id: &str,
        now: OffsetDateTime,
        public_url: &str,
        changes: &mut Changes,
    ) {
        let documented_only = self.documented_fields_only;
        if let Some(identification) = self.identifications.get_mut(id)
            && identification.refresh(now)
        {
            changes.identification(identification, public_url, documented_only);
        }
    }

    fn identification_of(
        &mut self,
        person_id: &str,
        id: &str,
    ) -> Result<&mut Identification, ApiError> {
        if !self.persons.contains_key(person_id) {
            return Err(ApiError::not_found("Person", person_id));
        }
        self.identifications
            .get_mut(id)
            .filter(|identification| identification.person_id == person_id)
            .ok_or_else(|| ApiError::not_found("Identification", id))
    }
}

impl Sandbox {
    /// Creates a bank identification (API flow and webview IBAN screen). In the webview a
    /// refusal is also recorded on the session as a failed identification, so the partner can
    /// read why (the API flow gets the 412 directly).
    pub(crate) fn create_identification(
        &self,
        person_id: &str,
        iban_text: &str,
        terms_signed_at: Option<String>,
        session_id: Option<String>,
    ) -> Result<WireIdentification, ApiError> {
        let now = self.now();
        let public_url = self.config().public_url.clone();
        let mut changes = Changes::default();
        let result = {
            let mut state = self.state();
            let person = state
                .persons
                .get(person_id)
                .ok_or_else(|| ApiError::not_found("Person", person_id))?;
            let iban = Iban::parse(iban_text).map_err(|error| invalid_iban(iban_text, error))?;
            if !person.has_verified_mobile_number() {
                return Err(ApiError::bankident(&ErrorCode::MobileNumberNotVerified));
            }
            let ids: Vec<String> = state
                .identifications
                .values()
                .filter(|identification| identification.person_id == person_id)
                .map(|identification| identification.id.clone())
                .collect();
            for id in &ids {
                state.refresh_identification(id, now, &public_url, &mut changes);
            }
            if ids
                .iter()
                .any(|id| state.identifications[id].status == IdentificationStatus::Successful)
            {
                return Err(ApiError::bankident(
                    &ErrorCode::AlreadyIdentifiedSuccessfully,
                ));
            }
            let over_a_limit = state.limit_reached(person_id, iban.electronic());
            let person = state.persons.get_mut(person_id).expect("checked above");
            person.iban_attempts.insert(iban.electronic().to_string());
            let refusal = if person.iban_attempts.len() > MAX_IBAN_ATTEMPTS {
                Some(ErrorCode::IdentificationAttemptsExceeded)
            } else if let Some(code) = over_a_limit {
                Some(code)
            } else if let IbanBehaviour::RejectedAtCreation(code) = behaviour(iban.electronic()) {
                Some(code)
            } else {
                None
            };
            let mut identification = new_identification(
                person_id,
                session_id.clone(),
                iban.electronic(),
                terms_signed_at,
                now,
            );
            match refusal {
                Some(code) if session_id.is_none() => {
                    // No identification is created, but the attempt failed all the same.
                    state
                        .refused_attempts
                        .push((person_id.to_string(), iban.electronic().to_string()));
                    Err(ApiError::bankident(&code))
                }
                Some(code) => {
                    identification.fail(code.clone(), now);
                    changes.identification(
                        &identification,
                        &public_url,
                        state.documented_fields_only,
                    );
                    state.link_to_session(&identification);
                    state
                        .identifications
                        .insert(identification.id.clone(), identification);
                    Err(ApiError::bankident(&code))
                }
                None => {
                    changes.identification(
                        &identification,
                        &public_url,
                        state.documented_fields_only,
                    );
                    let wire = identification.to_wire(&public_url, state.documented_fields_only);
                    state.link_to_session(&identification);
                    state
                        .identifications
                        .insert(identification.id.clone(), identification);
                    Ok(wire)
                }
            }
        };
        self.publish(changes);
        result
    }

    /// Runs `change` on an identification after applying its time limits, then publishes.
    pub(crate) fn change_identification(
        &self,
        person_id: &str,
        id: &str,
        change: impl FnOnce(&mut Identification, OffsetDateTime, &mut Data) -> Result<(), ApiError>,
    ) -> Result<WireIdentification, ApiError> {
        let now = self.now();
        let public_url = self.config().public_url.clone();
        let mut changes = Changes::default();
        let result = {
            let mut state = self.state();
            state.identification_of(person_id, id)?;
            state.refresh_identification(id, now, &public_url, &mut changes);
            let mut identification = state.identifications[id].clone();
            let before = identification.status.clone();
            let outcome = change(&mut identification, now, &mut state);
            if identification.status != before {
                changes.identification(&identification, &public_url, state.documented_fields_only);
            }
            let wire = identification.to_wire(&public_url, state.documented_fields_only);
            state.identifications.insert(id.to_string(), identification);
            if let Some(session) = state.session_of_identification(id) {
                state.refresh_session(&session, now, &public_url, &mut changes);
            }
            outcome.map(|()| wire)
        };
        self.publish(changes);
        result
    }

    /// The customer finished the bank login and the cent transfer in the payment wizard.
    pub(crate) fn complete_bank_step(
        &self,
        person_id: &str,
        id: &str,
    ) -> Result<WireIdentification, ApiError> {
        self.change_identification(person_id, id, |identification, now, _| {
            if identification.status != IdentificationStatus::Pending {
                return Err(ApiError::expectation_mismatch(format!(
                    "the identification is {}, not pending",
                    identification.status.as_str()
                )));
            }
            match behaviour(&identification.iban) {
                IbanBehaviour::FailsAtBankStep(reason) => identification.fail(reason, now),
                _ => {
                    identification.status = IdentificationStatus::AuthorizationRequired;
                    identification.add_document("QES_DOCUMENT", now);
                }
            }
            Ok(())
        })
    }

    /// Starts (or restarts) the QES: a new SMS code replaces any previous one.
    pub(crate) fn authorize_qes(
        &self,
        person_id: &str,
        id: &str,
    ) -> Result<WireIdentification, ApiError> {
        self.change_identification(person_id, id, |identification, now, state| {
            use IdentificationStatus::*;
            if !matches!(
                identification.status,
                AuthorizationRequired | ConfirmationRequired
            ) {
                return Err(ApiError::expectation_mismatch(format!(
                    "the identification is {}, not authorization_required",
                    identification.status.as_str()
                )));
            }
            let number = state.persons[person_id]
                .mobile_number
                .as_ref()
                .map(|m| m.number.clone())
                .unwrap_or_default();
            let code = sms_code();
            identification.qes_code = Some((code.clone(), now));
            identification.reference_token =
                Some(format!("{}-{}", &random_hex(2)[..4], &random_hex(2)[..4]));
            identification.status = ConfirmationRequired;
            state.deliver_sms(number, code, "qes", now);
            Ok(())
        })
    }

    /// Confirms the QES with the SMS code.
    pub(crate) fn confirm_qes(
        &self,
        person_id: &str,
        id: &str,
        token: &str,
    ) -> Result<WireIdentification, ApiError> {
        self.change_identification(person_id, id, |identification, now, _| {
            if identification.status != IdentificationStatus::ConfirmationRequired {
                return Err(ApiError::expectation_mismatch(format!(
                    "the identification is {}, not confirmation_required",
                    identification.status.as_str()
                )));
            }
            let valid = identification
                .qes_code
                .as_ref()
                .is_some_and(|(code, sent)| code == token && now - *sent <= QES_CODE_VALIDITY);
            if !valid {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "invalid_tan",
                    "Invalid TAN",
                    format!(
                        "Invalid or expired TAN for Solaris::Identification with uid: '{}'",
                        identification.id
                    ),
                ));
            }
            identification.qes_code = None;
            if behaviour(&identification.iban) == IbanBehaviour::QesFails {
                identification.fail(ErrorCode::DependencyError, now);
            } else {
                identification.status = IdentificationStatus::Confirmed;
            }
            Ok(())
        })
    }

    /// An identification as Solaris shows it, time limits applied.
    pub(crate) fn show_identification(
        &self,
        person_id: &str,
        id: &str,
    ) -> Result<WireIdentification, ApiError> {
        self.change_identification(person_id, id, |_, _, _| Ok(()))
    }
}

/// A fresh identification in status `created`.
fn new_identification(
    person_id: &str,
    session_id: Option<String>,
    iban: &str,
    terms_signed_at: Option<String>,
    now: OffsetDateTime,
) -> Identification {
    Identification {
        id: new_id("cidt"),
        person_id: person_id.to_string(),
        session_id,
        iban: iban.to_string(),
        status: IdentificationStatus::Created,
        failure_reason: None,
        terms_and_conditions_signed_at: terms_signed_at,
        created_at: now,
        requested_at: None,
        completed_at: None,
        wizard_key: None,
        qes_code: None,
        reference_token: None,
        documents: Vec::new(),
    }
}

impl Data {
    /// Makes an identification its session's latest.
    fn link_to_session(&mut self, identification: &Identification) {
        if let Some(session) = identification
            .session_id
            .as_ref()
            .and_then(|id| self.sessions.get_mut(id))
        {
            session.identification_id = Some(identification.id.clone());
        }
    }
}

impl Sandbox {
    /// Starts the payment initiation of a created identification (API flow and webview).
    pub(crate) fn request_identification(
        &self,
        person_id: &str,
        id: &str,
    ) -> Result<WireIdentification, ApiError> {
        self.change_identification(person_id, id, |identification, now, state| {
            if identification.status != IdentificationStatus::Created {
                return Err(ApiError::expectation_mismatch(format!(
                    "the identification is {}, not created",
                    identification.status.as_str()
                )));
            }
            let key = random_hex(20);
            state.wizard_keys.insert(
                key.clone(),
                (identification.person_id.clone(), identification.id.clone()),
            );
            identification.wizard_key = Some(key);
            identification.requested_at = Some(now);
            identification.status = IdentificationStatus::Pending;
            Ok(())
        })
    }

    /// The person's identifications, oldest first, time limits applied.
    pub(crate) fn identifications_of(
        &self,
        person_id: &str,
    ) -> Result<Vec<WireIdentification>, ApiError> {
        let ids: Vec<String> = {
            let state = self.state();
            if !state.persons.contains_key(person_id) {
                return Err(ApiError::not_found("Person", person_id));
            }
            let mut own: Vec<&Identification> = state
                .identifications
                .values()
                .filter(|i| i.person_id == person_id)
                .collect();
            own.sort_by_key(|identification| identification.created_at);
            own.into_iter()
                .map(|identification| identification.id.clone())
                .collect()
        };
        ids.iter()
            .map(|id| self.show_identification(person_id, id))
            .collect()
    }

    /// The PDF of a document and its file name.
    pub(crate) fn document_pdf(
        &self,
        person_id: &str,
        id: &str,
        document_id: &str,
    ) -> Result<(Vec<u8>, String), ApiError> {
        let mut state = self.state();
        let identification = state.identification_of(person_id, id)?;
        let document = identification
            .documents
            .iter()
            .find(|document| document.id == document_id)
            .ok_or_else(|| ApiError::not_found("Document", document_id))?;
        Ok((document.pdf.clone(), document.name.clone()))
    }
}

fn invalid_iban(text: &str, error: IbanError) -> ApiError {
    let detail = match error {
        IbanError::NotGerman => {
            format!("IBAN ({text}) is not German; Bankident supports German IBANs only")
        }
        _ => format!("IBAN ({text}) is structurally invalid: {error}"),
    };
    ApiError {
        field: Some("iban".into()),
        ..ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_iban",
            "Invalid IBAN",
            detail,
        )
    }
}
