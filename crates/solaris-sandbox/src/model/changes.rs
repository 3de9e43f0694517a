//! Changes made under the data lock, published as webhooks once it is released.

use serde::Serialize;
use solaris_contract::{EventType, Identification as WireIdentification, IdentificationSession};

use super::Identification;

/// The body of a webhook, as Solaris sends it for its event.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Payload {
    /// `IDENTIFICATION`: the identification as `GET` answers it.
    Identification(Box<WireIdentification>),
    /// `IDENTIFICATION_SESSION`: the session as `GET` answers it.
    Session(Box<IdentificationSession>),
    /// Events that only name their entity: `{"id": …}`.
    Entity {
        /// The entity's id.
        id: String,
    },
    /// Events whose body carries nothing: `{}`.
    Empty {},
}

/// What changed, to publish as webhooks once the data lock is released.
#[derive(Debug, Default)]
#[must_use]
pub struct Changes(Vec<(EventType, String, Payload)>);

impl Changes {
    pub(crate) fn identification(
        &mut self,
        identification: &Identification,
        public_url: &str,
        documented_only: bool,
    ) {
        self.0.push((
            EventType::Identification,
            identification.id.clone(),
            Payload::Identification(Box::new(
                identification.to_wire(public_url, documented_only),
            )),
        ));
    }

    /// Records a session webhook.
    pub fn session(&mut self, session: IdentificationSession) {
        self.0.push((
            EventType::IdentificationSession,
            session.id.clone(),
            Payload::Session(Box::new(session)),
        ));
    }

    /// The webhooks to send: event, entity id, body.
    pub(crate) fn into_events(self) -> Vec<(EventType, String, Payload)> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_without_a_resource_are_objects() {
        assert_eq!(serde_json::to_string(&Payload::Empty {}).unwrap(), "{}");
        let entity = Payload::Entity { id: "x".into() };
        assert_eq!(serde_json::to_string(&entity).unwrap(), r#"{"id":"x"}"#);
    }
}
