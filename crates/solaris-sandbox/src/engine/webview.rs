//! What the hosted screens read: a session by its token (as the customer's browser holds it),
//! the payment wizard's key, and the way back from the wizard to the session.

use bankident_domain::SessionStatus;

use crate::Sandbox;

/// A webview session as its screens need it, its expiry applied.
#[derive(Debug, Clone)]
pub struct WebviewSession {
    /// The session's id.
    pub id: String,
    /// Where it stands.
    pub status: SessionStatus,
    /// Whose it is.
    pub person_id: String,
    /// Its latest identification.
    pub identification_id: Option<String>,
    /// Where the customer goes back to the partner.
    pub callback_url: String,
    /// The person's mobile number, and whether it is verified.
    pub mobile_number: Option<(String, bool)>,
}

impl Sandbox {
    /// The session behind a webview token, its expiry applied as every Solaris read does.
    pub(crate) fn webview_session(&self, token: &str) -> Option<WebviewSession> {
        let (id, person_id) = {
            let state = self.state();
            let id = state.session_tokens.get(token)?.clone();
            let person_id = state.sessions.get(&id)?.person_id.clone();
            (id, person_id)
        };
        self.show_session(&person_id, &id).ok()?;
        let state = self.state();
        let session = state.sessions.get(&id)?;
        let person = state.persons.get(&session.person_id)?;
        Some(WebviewSession {
            id: session.id.clone(),
            status: session.status.clone(),
            person_id: session.person_id.clone(),
            identification_id: session.identification_id.clone(),
            callback_url: session.callback_url.clone(),
            mobile_number: person
                .mobile_number
                .as_ref()
                .map(|mobile| (mobile.number.clone(), mobile.verified)),
        })
    }

    /// The person and identification a payment wizard key belongs to.
    pub(crate) fn wizard_target(&self, key: &str) -> Option<(String, String)> {
        self.state().wizard_keys.get(key).cloned()
    }

    /// The webview token of the session an identification belongs to, if it has one.
    pub(crate) fn webview_token_of(&self, identification_id: &str) -> Option<String> {
        let state = self.state();
        let session_id = state
            .identifications
            .get(identification_id)?
            .session_id
            .as_ref()?;
        Some(state.sessions.get(session_id)?.token.clone())
    }
}
