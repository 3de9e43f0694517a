//! Identification sessions (the webview flow): the partner creates one with a callback URL and
//! redirects the customer to its `url`; the hosted screens run the identification; the session
//! becomes `successful` with it, or `expired` 30 days after creation.
//!
//! Beyond the documented fields, a session also shows `identification_id` and
//! `failure_reason` of its latest identification, so a partner learns why it did not succeed.

use bankident_domain::{ErrorCode, IdentificationStatus, SessionStatus};
use solaris_contract::IdentificationSession;
use time::{Duration, OffsetDateTime};

use crate::Sandbox;
use crate::error::ApiError;
use crate::ids::{new_id, random_hex};
use crate::model::{Changes, Session, State as Data};

/// A session that has not succeeded by then expires (the guide gives no figure; the emulator
/// uses the identification's 30 days).
pub const SESSION_EXPIRY: Duration = Duration::days(30);

impl Data {
    /// The session an identification belongs to.
    pub fn session_of_identification(&self, identification_id: &str) -> Option<String> {
        self.identifications
            .get(identification_id)?
            .session_id
            .clone()
    }

    /// Follows the session's identification and the session's own expiry.
    pub fn refresh_session(
        &mut self,
        session_id: &str,
        now: OffsetDateTime,
        public_url: &str,
        changes: &mut Changes,
    ) {
        let Some(session) = self.sessions.get(session_id).cloned() else {
            return;
        };
        if session.status.is_final() {
            return;
        }
        if let Some(identification_id) = &session.identification_id {
            self.refresh_identification(identification_id, now, public_url, changes);
        }
        let succeeded = session
            .identification_id
            .as_ref()
            .is_some_and(|id| self.identifications[id].status == IdentificationStatus::Successful);
        let new_status = if succeeded {
            SessionStatus::Successful
        } else if now - session.created_at > SESSION_EXPIRY {
            SessionStatus::Expired
        } else {
            return;
        };
        if let Some(session) = self.sessions.get_mut(session_id) {
            session.status = new_status;
        }
        changes.session(self.session_wire(session_id, public_url));
    }

    /// A session as Solaris answers it. Beyond the documented fields it names the person and its
    /// latest identification with that identification's failure reason, unless the emulator
    /// answers with documented fields only.
    pub fn session_wire(&self, session_id: &str, public_url: &str) -> IdentificationSession {
        let session = &self.sessions[session_id];
        let undocumented = !self.documented_fields_only;
        let failure_reason = session
            .identification_id
            .as_ref()
            .and_then(|id| self.identifications[id].failure_reason.as_ref())
            .map(|code| code.code().to_string());
        IdentificationSession {
            id: session.id.clone(),
            url: format!("{public_url}/webview/{}", session.token),
            callback_url: session.callback_url.clone(),
            identification_methods: session.identification_methods.clone(),
            status: session.status.clone(),
            person_id: Some(session.person_id.clone()).filter(|_| undocumented),
            identification_id: session.identification_id.clone().filter(|_| undocumented),
            failure_reason: failure_reason.filter(|_| undocumented),
        }
    }
}

impl Sandbox {
    /// Opens a session for the person with a callback URL and methods the API has checked;
    /// refused once the person is identified.
    pub(crate) fn create_session(
        &self,
        person_id: &str,
        callback_url: String,
        methods: Vec<String>,
    ) -> Result<IdentificationSession, ApiError> {
        let now = self.now();
        let public_url = self.config().public_url.clone();
        let mut changes = Changes::default();
        let wire = {
            let mut state = self.state();
            if !state.persons.contains_key(person_id) {
                return Err(ApiError::not_found("Person", person_id));
            }
            let own: Vec<String> = state
                .identifications
                .values()
                .filter(|i| i.person_id == person_id)
                .map(|i| i.id.clone())
                .collect();
            for id in &own {
                state.refresh_identification(id, now, &public_url, &mut changes);
            }
            if own
                .iter()
                .any(|id| state.identifications[id].status == IdentificationStatus::Successful)
            {
                return Err(ApiError::bankident(
                    &ErrorCode::AlreadyIdentifiedSuccessfully,
                ));
            }
            let session = Session {
                id: new_id("ises"),
                person_id: person_id.to_string(),
                token: random_hex(48),
                callback_url,
                identification_methods: methods,
                status: SessionStatus::Created,
                created_at: now,
                identification_id: None,
            };
            let id = session.id.clone();
            state
                .session_tokens
                .insert(session.token.clone(), id.clone());
            state.sessions.insert(id.clone(), session);
            let wire = state.session_wire(&id, &public_url);
            changes.session(wire.clone());
            wire
        };
        self.publish(changes);
        Ok(wire)
    }

    /// A session as Solaris shows it, its identification and expiry followed.
    pub(crate) fn show_session(
        &self,
        person_id: &str,
        id: &str,
    ) -> Result<IdentificationSession, ApiError> {
        let now = self.now();
        let public_url = self.config().public_url.clone();
        let mut changes = Changes::default();
        let wire = {
            let mut state = self.state();
            if !state.persons.contains_key(person_id) {
                return Err(ApiError::not_found("Person", person_id));
            }
            if state
                .sessions
                .get(id)
                .is_none_or(|session| session.person_id != person_id)
            {
                return Err(ApiError::not_found("IdentificationSession", id));
            }
            state.refresh_session(id, now, &public_url, &mut changes);
            state.session_wire(id, &public_url)
        };
        self.publish(changes);
        Ok(wire)
    }
}
