//! A person's mobile number: add, read, send a code to the SMS inbox, confirm, remove. The
//! guide's static test values work: number `+15550101` with code `212212`.

use axum::http::StatusCode;
use solaris_contract::{EventType, MobileNumberBody};
use time::Duration;

use crate::Sandbox;
use crate::error::ApiError;
use crate::ids::new_id;
use crate::model::{MobileNumber, Payload, State};

/// The guide's static sandbox number.
pub const STATIC_NUMBER: &str = "+15550101";
/// The guide's static sandbox SMS code for that number.
pub const STATIC_CODE: &str = "212212";
/// How long an SMS code stays valid (the guide's FAQ gives 10 minutes for QES codes; the
/// emulator uses the same for mobile-number codes).
pub const CODE_VALIDITY: Duration = Duration::minutes(10);

impl State {
    /// The person's mobile number, if it is `number`.
    fn mobile_number_mut(
        &mut self,
        person_id: &str,
        number: &str,
    ) -> Result<&mut MobileNumber, ApiError> {
        let person = self
            .persons
            .get_mut(person_id)
            .ok_or_else(|| ApiError::not_found("Person", person_id))?;
        let mobile = person
            .mobile_number
            .as_mut()
            .ok_or_else(|| ApiError::not_found("MobileNumber", person_id))?;
        if mobile.number == number {
            Ok(mobile)
        } else {
            Err(ApiError::not_found("MobileNumber", number))
        }
    }
}

impl Sandbox {
    /// Gives the person an unverified mobile number (normalised by the API); a person has one
    /// at most. Publishes `PERSON_MOBILE_NUMBER_CREATED`.
    pub(crate) fn add_mobile_number(
        &self,
        person_id: &str,
        number: String,
    ) -> Result<MobileNumberBody, ApiError> {
        let wire = {
            let mut state = self.state();
            let person = state
                .persons
                .get_mut(person_id)
                .ok_or_else(|| ApiError::not_found("Person", person_id))?;
            if person.mobile_number.is_some() {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "mobile_number_exists",
                    "Mobile Number Exists",
                    "the person already has a mobile number",
                ));
            }
            let mobile = MobileNumber {
                id: new_id("cmno"),
                number,
                verified: false,
                pending_code: None,
            };
            let wire = mobile.to_wire();
            person.mobile_number = Some(mobile);
            wire
        };
        self.webhooks().publish(
            EventType::PersonMobileNumberCreated,
            person_id,
            &Payload::Empty {},
        );
        Ok(wire)
    }

    /// The person's mobile number.
    pub(crate) fn mobile_number(&self, person_id: &str) -> Result<MobileNumberBody, ApiError> {
        let state = self.state();
        let person = state
            .persons
            .get(person_id)
            .ok_or_else(|| ApiError::not_found("Person", person_id))?;
        let mobile = person
            .mobile_number
            .as_ref()
            .ok_or_else(|| ApiError::not_found("MobileNumber", person_id))?;
        Ok(mobile.to_wire())
    }

    /// Removes the person's mobile number if it is `number`. The emulator removes verified
    /// numbers directly too (the real API asks the owner by SMS first). Publishes
    /// `PERSON_MOBILE_NUMBER_DELETED`.
    pub(crate) fn remove_mobile_number(
        &self,
        person_id: &str,
        number: &str,
    ) -> Result<MobileNumberBody, ApiError> {
        let removed = {
            let mut state = self.state();
            let person = state
                .persons
                .get_mut(person_id)
                .ok_or_else(|| ApiError::not_found("Person", person_id))?;
            match person.mobile_number.take() {
                None => {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "unauthorized_action",
                        "Unauthorized Action",
                        "the person has no mobile number",
                    ));
                }
                Some(mobile) if mobile.number != number => {
                    person.mobile_number = Some(mobile);
                    return Err(ApiError::not_found("MobileNumber", number));
                }
                Some(mobile) => mobile.to_wire(),
            }
        };
        self.webhooks().publish(
            EventType::PersonMobileNumberDeleted,
            person_id,
            &Payload::Entity {
                id: removed.id.clone(),
            },
        );
        Ok(removed)
    }

    /// Sends a new mobile-number code to the person's number (shared by the API and the webview).
    pub(crate) fn send_mobile_number_code(
        &self,
        person_id: &str,
        number: &str,
    ) -> Result<MobileNumberBody, ApiError> {
        let now = self.now();
        let mut state = self.state();
        let mobile = state.mobile_number_mut(person_id, number)?;
        let code = crate::ids::sms_code();
        mobile.pending_code = Some((code.clone(), now));
        let wire = mobile.to_wire();
        let number = mobile.number.clone();
        state.deliver_sms(number, code, "mobile_number", now);
        Ok(wire)
    }

    /// Checks a mobile-number code; the latest code within 10 minutes, or the static pair.
    pub(crate) fn confirm_mobile_number(
        &self,
        person_id: &str,
        number: &str,
        token: &str,
    ) -> Result<MobileNumberBody, ApiError> {
        let now = self.now();
        let mut state = self.state();
        let mobile = state.mobile_number_mut(person_id, number)?;
        let static_pair = mobile.number == STATIC_NUMBER && token == STATIC_CODE;
        let sent_code_matches = mobile
            .pending_code
            .as_ref()
            .is_some_and(|(code, sent)| code == token && now - *sent <= CODE_VALIDITY);
        if !static_pair && !sent_code_matches {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "invalid_tan",
                "Invalid TAN",
                format!(
                    "Invalid or expired TAN for Solaris::MobileNumber with uid: '{}'",
                    mobile.id
                ),
            ));
        }
        mobile.verified = true;
        mobile.pending_code = None;
        Ok(mobile.to_wire())
    }
}
